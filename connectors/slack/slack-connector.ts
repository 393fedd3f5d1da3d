/**
 * The Slack connector on Bolt: direct messages and app mentions start the same conversation as in
 * Teams, button presses go to the core, answers are rendered as Block Kit. Socket Mode (app-level
 * token) or HTTP mode (signing secret, `httpListener` mounted at `/slack/events`), or off.
 * Technicians' presses on approval cards (Approve / Reject with the typed reason, Stop) go to the core
 * too, and its answer is shown to the presser alone; `notifier` posts and updates those cards.
 *
 * Every delivery is acknowledged first (Bolt acks events before listeners run; listeners ack button
 * presses before anything else) and the work is done after, so Slack always gets its answer within
 * 3 seconds. Deliveries seen before (a retried event id, the same message, the same press) change nothing.
 *
 * This file wires Bolt's listeners and the connector's lifecycle; the parts: slack-receivers.ts (Socket
 * Mode or HTTP), slack-turn-intake.ts (a message or a press as a turn of the core), press-payload.ts
 * (what a press says), proactive-sends.ts (messages outside a turn).
 */
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { App, type BlockAction, type ButtonAction, LogLevel, type webApi } from '@slack/bolt';
import { type Bot, type Clock, type ReferenceStore, systemClock } from '../../bot';
import type { Locale } from '../../rules/vocabulary';
import type { Readiness } from '../app/app';
import { ChatTurns } from '../chat/chat-turns';
import type { ChatConnector, ChatRoute } from '../chat/contract';
import { ConversationQueue } from '../chat/conversation-queue';
import { DeliveryFailures } from '../chat/delivery-failures';
import { type SeenDeliveries, seenDeliveries } from '../chat/seen-deliveries';
import { boltLogger, type ConnectorLogger } from './connector-logger';
import { buttonPressOf } from './press-payload';
import { ProactiveSends } from './proactive-sends';
import { ResponseUrlPolicy } from './response-urls';
import { ACTION_ID_PATTERN, isDirectMessageChannel, PLATFORM, plainTextOf } from './slack-inputs';
import { SlackNotifier } from './slack-notifier';
import { slackReceiver } from './slack-receivers';
import { SlackReplies } from './slack-replies';
import { decideSlackMode, type SlackMode, type SlackSettings } from './slack-settings';
import { SlackTurnIntake } from './slack-turn-intake';
import { UserProfiles } from './user-profile';

export interface SlackConnectorOptions {
  bot: Bot;
  /** The Slack settings (`config.slack` from cli/config.ts). */
  config: SlackSettings;
  references: ReferenceStore;
  /** Default: the console. */
  logger?: ConnectorLogger;
  /** Checks request timestamps and expires the dedup cache. Default: the system clock. */
  clock?: Clock;
  /** Bolt's own log level. Default INFO. */
  boltLogLevel?: LogLevel;
  /** Which deliveries were handled (shared by every instance when it is the database's). Default: in memory. */
  seen?: SeenDeliveries;
  /** The apology's language when the user's Slack locale is not one the bot speaks. Default en. */
  defaultLocale?: Locale;
  /** For POSTs to a press's `response_url`. Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * How long one Web API call may wait for Slack's answer before it is abandoned and retried (default
   * 10 s). Without it a call Slack never answers waits for Node's five-minute limit, three times, and
   * holds its conversation (every later message queues behind it).
   */
  apiTimeoutMs?: number;
}

/** The default of `apiTimeoutMs`. */
export const SLACK_API_TIMEOUT_MS = 10_000;

export interface SlackConnector extends ChatConnector {
  readonly mode: SlackMode;
  /** Checks the token (`auth.test`) and, in Socket Mode, connects. Does nothing when Slack is off. */
  start(): Promise<void>;
  /** Disconnects (Socket Mode), refuses new requests (HTTP mode) and waits for work in progress. */
  stop(): Promise<void>;
  /** Resolves when no delivery is being worked on. */
  idle(): Promise<void>;
  /**
   * HTTP mode only: the node:http listener for `POST /slack/events`. Mount it with no body parser in
   * front, or behind one that keeps `req.rawBody` (restify's bodyParser does): the signature is over
   * the raw bytes. It answers 503 until `start()` has finished and after `stop()`.
   */
  readonly httpListener?: (req: HttpRequest, res: ServerResponse) => void;
  /**
   * Remote runs' notifier for platform "slack" (approval cards in SLACK_TECHNICIAN_CHANNEL, proactive
   * messages to users), on this connector's Web API client. Null when Slack is off. Its deliveries
   * count as this connector's work (`idle()`, `stop()`).
   */
  readonly notifier: SlackNotifier | null;
  /**
   * For GET /readyz: started, and in Socket Mode the WebSocket to Slack up (while Bolt reconnects
   * after a drop, not ready). Details under `slack`: the mode, the connection, the technicians' channel.
   */
  readiness(): Promise<Readiness>;
}

export function createSlackConnector(options: SlackConnectorOptions): SlackConnector {
  const logger = options.logger ?? console;
  const decision = decideSlackMode(options.config);
  logger.info(decision.reason);
  if (decision.mode === 'off') {
    const nothing = async () => {};
    return {
      platform: PLATFORM,
      routes: [],
      mode: 'off',
      start: nothing,
      stop: nothing,
      idle: nothing,
      notifier: null,
      sendProactive: async (conversationId) => ({
        ok: false,
        delivered: 0,
        failure: { platform: PLATFORM, conversationId, code: 'winfix_slack_off', message: 'Slack is off' },
      }),
      onDeliveryFailure: () => {},
      readiness: async () => ({ ready: true, slack: { mode: 'off' } }),
    };
  }

  const { bot, config, references } = options;
  const clock = options.clock ?? systemClock;
  const work = new ConversationQueue();
  const failures = new DeliveryFailures(logger);
  const turns = new ChatTurns({
    bot,
    platform: 'Slack',
    log: logger,
    seen: seenDeliveries(options.seen, clock),
    queue: work,
    failures,
    ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}),
  });
  const profiles = new UserProfiles({ clock, logger });
  const replies = new SlackReplies({
    references,
    logger,
    technicianChannel: config.technicianChannel,
    responseUrls: new ResponseUrlPolicy(config.apiUrl),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const boltLog = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: config.apiUrl,
    // A reply nobody reads any more is worth little: a few quick retries, not Bolt's thirty minutes.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    timeout: options.apiTimeoutMs ?? SLACK_API_TIMEOUT_MS,
  };

  const slack = slackReceiver({ mode: decision.mode, config, clock, logger: boltLog, work });
  const httpReceiver = slack.http;

  const app = new App({
    token: config.botToken ?? '',
    receiver: slack.receiver,
    logger: boltLog,
    logLevel: options.boltLogLevel ?? LogLevel.INFO,
    clientOptions,
    deferInitialization: true,
    convoStore: false,
  });

  const notifier = new SlackNotifier({
    client: app.client,
    references,
    technicianChannel: config.technicianChannel,
    logger,
    replies,
    work,
  });

  const intake = new SlackTurnIntake({ turns, profiles, replies });
  const proactive = new ProactiveSends({ client: app.client, references, replies, work, failures });

  // Direct messages (message.im). Edits, joins, bot messages and the like have a subtype and are skipped.
  app.event('message', async ({ event, body, context, client }) => {
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if (event.channel_type !== 'im' || !event.user || ('bot_id' in event && event.bot_id)) return;
    const team = body.team_id ?? ('team' in event ? event.team : undefined) ?? '';
    await intake.text({
      client,
      place: { team, channel: event.channel, threadTs: null },
      userId: event.user,
      text: plainTextOf(event.text ?? '', context.botUserId ?? null),
      keys: [`event:${body.event_id}`, `message:${event.channel}:${event.ts}`],
    });
  });

  // Mentions in channels: the conversation is the thread the mention starts (or is in).
  app.event('app_mention', async ({ event, body, context, client }) => {
    // In a DM the message event already carries the same words.
    if (isDirectMessageChannel(event.channel) || !event.user || event.bot_id) return;
    const team = body.team_id ?? event.team ?? '';
    await intake.text({
      client,
      place: { team, channel: event.channel, threadTs: event.thread_ts ?? event.ts },
      userId: event.user,
      text: plainTextOf(event.text, context.botUserId ?? null),
      keys: [`event:${body.event_id}`, `message:${event.channel}:${event.ts}`],
    });
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_ID_PATTERN },
    async ({ ack, body, action, client }) => {
      await ack();
      const press = buttonPressOf(body, action, logger);
      if (press) await intake.press(client, press);
    },
  );

  app.error(async (error) => {
    logger.error(`Slack: ${error.message}`);
  });

  let started = false;
  const routes: ChatRoute[] = httpReceiver
    ? [{ method: 'POST', path: '/slack/events', handle: httpReceiver.requestListener }]
    : [];
  const connector: SlackConnector = {
    platform: PLATFORM,
    routes,
    sendProactive: (conversationId, messages) => proactive.send(conversationId, messages),
    onDeliveryFailure: (listener) => failures.on(listener),
    mode: decision.mode,
    async start() {
      if (started) return;
      await app.init();
      await app.start();
      started = true;
      logger.info(
        `Slack: started (${decision.mode === 'socket' ? 'Socket Mode' : 'HTTP mode, /slack/events'})`,
      );
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
      await work.idle();
    },
    idle: () => work.idle(),
    notifier,
    async readiness() {
      const socketUp = slack.socketUp();
      const details = {
        mode: decision.mode,
        ...(decision.mode === 'socket' ? { connected: socketUp } : {}),
        technicianChannel: config.technicianChannel ? 'set' : 'unset',
      };
      if (!started)
        return {
          ready: false,
          code: 'winfix_slack_not_started',
          reason: 'Slack is not started',
          slack: details,
        };
      if (decision.mode === 'socket' && !socketUp)
        return {
          ready: false,
          code: 'winfix_slack_socket_down',
          reason: 'the Socket Mode connection to Slack is down (reconnecting)',
          slack: details,
        };
      return { ready: true, slack: details };
    },
  };
  if (httpReceiver) return { ...connector, httpListener: httpReceiver.requestListener };
  return connector;
}
