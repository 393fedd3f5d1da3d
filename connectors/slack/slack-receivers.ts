/**
 * The Bolt receiver for the connector's mode: HTTP mode verifies and takes `POST /slack/events`
 * (http-receiver.ts); Socket Mode connects with the app-level token and says whether the WebSocket is
 * up. Either way, the work a delivery starts counts as the connector's work until it ends.
 */
import { type App, type Logger, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Clock } from '../../bot';
import type { ConversationQueue } from '../chat/conversation-queue';
import { SlackHttpReceiver } from './http-receiver';
import type { SlackSettings } from './slack-settings';

export interface SlackReceiverOptions {
  mode: 'socket' | 'http';
  config: SlackSettings;
  clock: Clock;
  /** Bolt's logger (connector-logger.ts). */
  logger: Logger;
  work: ConversationQueue;
}

export interface SlackReceiver {
  receiver: Receiver;
  /** HTTP mode: the receiver, whose `requestListener` serves `POST /slack/events`. Null in Socket Mode. */
  http: SlackHttpReceiver | null;
  /** Socket Mode: whether the WebSocket to Slack is up now. Always false in HTTP mode. */
  socketUp(): boolean;
}

/** Bolt receivers only call `app.processEvent`; this one counts that work as running until it ends. */
function tracked(inner: Receiver, work: ConversationQueue): Receiver {
  return {
    init: (app) => {
      const facade = {
        processEvent: (event: Parameters<App['processEvent']>[0]) => work.track(app.processEvent(event)),
      };
      inner.init(facade as unknown as App);
    },
    start: () => inner.start(),
    stop: () => inner.stop(),
  };
}

export function slackReceiver(options: SlackReceiverOptions): SlackReceiver {
  const { config, clock, logger, work } = options;
  if (options.mode === 'http') {
    const http = new SlackHttpReceiver({
      signingSecret: config.signingSecret ?? '',
      clock,
      logger,
      work,
    });
    return { receiver: http, http, socketUp: () => false };
  }
  let socketUp = false;
  const socket = new SocketModeReceiver({
    appToken: config.appToken ?? '',
    logger,
    installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
  });
  // Bolt's Socket Mode client says when the WebSocket is up ("connected" follows Slack's hello) and
  // when it went away (it then reconnects by itself after a delay).
  socket.client.on('connected', () => {
    socketUp = true;
  });
  for (const down of ['close', 'reconnecting', 'disconnecting', 'disconnected'])
    socket.client.on(down, () => {
      socketUp = false;
    });
  return { receiver: tracked(socket, work), http: null, socketUp: () => socketUp };
}
