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
 */
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import {
  App,
  type BlockAction,
  type ButtonAction,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import {
  type Bot,
  type Clock,
  isTechnicianAction,
  type OutgoingMessage,
  type ReferenceStore,
  type Sender,
  systemClock,
} from '../../bot';
import type { Locale } from '../../rules/vocabulary';
import type { Readiness } from '../app/app';
import { ChatTurns } from '../chat/chat-turns';
import type { ChatConnector, ChatRoute, DeliveryOutcome } from '../chat/contract';
import { ConversationQueue } from '../chat/conversation-queue';
import { DeliveryFailures } from '../chat/delivery-failures';
import { type SeenDeliveries, seenDeliveries } from '../chat/seen-deliveries';
import { boltLogger, type ConnectorLogger } from './connector-logger';
import { SlackHttpReceiver } from './http-receiver';
import { ResponseUrlPolicy } from './response-urls';
import {
  ACTION_ID_PATTERN,
  conversationIdOf,
  decodeButtonValue,
  inputFieldsOf,
  isDirectMessageChannel,
  PLATFORM,
  placeOf,
  plainTextOf,
  type SlackPlace,
} from './slack-inputs';
import { SlackNotifier } from './slack-notifier';
import { isReference, SlackReplies } from './slack-replies';
import { decideSlackMode, type SlackMode, type SlackSettings } from './slack-settings';
import { type SlackProfile, UserProfiles } from './user-profile';

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
}

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

interface TextDelivery {
  client: webApi.WebClient;
  place: SlackPlace;
  userId: string;
  text: string;
  /** The delivery's keys for duplicate detection. */
  keys: string[];
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
  };

  let httpReceiver: SlackHttpReceiver | null = null;
  let receiver: Receiver;
  let socketUp = false;
  if (decision.mode === 'http') {
    httpReceiver = new SlackHttpReceiver({
      signingSecret: config.signingSecret ?? '',
      clock,
      logger: boltLog,
      work,
    });
    receiver = httpReceiver;
  } else {
    const socket = new SocketModeReceiver({
      appToken: config.appToken ?? '',
      logger: boltLog,
      installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
    });
    receiver = tracked(socket, work);
    // Bolt's Socket Mode client says when the WebSocket is up ("connected" follows Slack's hello) and
    // when it went away (it then reconnects by itself after a delay).
    socket.client.on('connected', () => {
      socketUp = true;
    });
    for (const down of ['close', 'reconnecting', 'disconnecting', 'disconnected'])
      socket.client.on(down, () => {
        socketUp = false;
      });
  }

  const app = new App({
    token: config.botToken ?? '',
    receiver,
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

  const senderOf = (userId: string, profile: SlackProfile): Sender => ({
    id: userId,
    name: profile.name,
    locale: profile.locale,
    ...(profile.email ? { email: profile.email } : {}),
  });

  async function handleText(delivery: TextDelivery): Promise<void> {
    const conversationId = conversationIdOf(delivery.place);
    await turns.take({
      conversationId,
      keys: delivery.keys,
      what: 'a message',
      transport: {
        input: async () => {
          const profile = await profiles.lookup(delivery.client, delivery.userId);
          return {
            kind: 'text',
            platform: PLATFORM,
            conversationId,
            user: senderOf(delivery.userId, profile),
            text: delivery.text,
          };
        },
        deliver: (out) =>
          replies.deliver(
            {
              client: delivery.client,
              conversationId,
              place: delivery.place,
              userId: delivery.userId,
              fromButton: false,
            },
            out,
          ),
      },
    });
  }

  // Direct messages (message.im). Edits, joins, bot messages and the like have a subtype and are skipped.
  app.event('message', async ({ event, body, context, client }) => {
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if (event.channel_type !== 'im' || !event.user || ('bot_id' in event && event.bot_id)) return;
    const team = body.team_id ?? ('team' in event ? event.team : undefined) ?? '';
    await handleText({
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
    await handleText({
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
      const messageTs = body.container?.message_ts ?? body.message?.ts ?? '';
      let button: ReturnType<typeof decodeButtonValue>;
      try {
        button = decodeButtonValue(action.value);
      } catch (error) {
        logger.warn(`Slack: ignored a button press: ${(error as Error).message}`);
        return;
      }
      const channel: string | undefined = body.channel?.id ?? body.container?.channel_id;
      if (!channel) return logger.warn('Slack: ignored a button press without a channel');
      const team = body.team?.id ?? body.user.team_id ?? '';
      const thread: string | undefined = body.message?.thread_ts ?? body.container?.thread_ts;
      const place: SlackPlace = {
        team,
        channel,
        threadTs: isDirectMessageChannel(channel) ? null : (thread ?? messageTs),
      };
      const conversationId = conversationIdOf(place);
      const userId = body.user.id;
      // Text typed into the card (an approval card's reason), read when the button was pressed.
      const fields = inputFieldsOf(body.state?.values);
      const technician = isTechnicianAction(button.action);
      // Where Slack lets the app replace the pressed message (checked before use: response-urls.ts).
      const responseUrl =
        typeof body.response_url === 'string' && body.response_url ? body.response_url : null;
      const pressed = { cardId: button.cardId, ts: messageTs, responseUrl };
      await turns.take({
        conversationId,
        keys: [`action:${messageTs}:${action.action_id}:${action.action_ts}`],
        what: 'a button press',
        transport: {
          input: async () => {
            const profile = await profiles.lookup(client, userId);
            return {
              kind: 'action',
              platform: PLATFORM,
              conversationId,
              user: senderOf(userId, profile),
              action: button.action,
              cardId: button.cardId,
              ...(fields ? { fields } : {}),
            };
          },
          // A technician's press on an approval card: the card itself is updated for everyone by the
          // notifier; the core's answer (approved, refused…) is for the presser alone.
          deliver: (out) =>
            technician
              ? replies.toPresser(client, place, userId, out)
              : replies.deliver(
                  {
                    client,
                    conversationId,
                    place,
                    userId,
                    fromButton: true,
                    ...(messageTs ? { pressed } : {}),
                  },
                  out,
                ),
        },
      });
    },
  );

  app.error(async (error) => {
    logger.error(`Slack: ${error.message}`);
  });

  /** The core's messages to a conversation outside a turn, queued behind that conversation's work. */
  async function sendProactive(
    conversationId: string,
    messages: OutgoingMessage[],
  ): Promise<DeliveryOutcome> {
    let outcome: DeliveryOutcome = { ok: true, delivered: messages.length };
    const fail = (code: string, message: string) => {
      const failure = { platform: PLATFORM, conversationId, code, message };
      failures.report(failure);
      outcome = { ok: false, delivered: 0, failure };
    };
    await work.run(
      conversationId,
      async () => {
        const stored = await references.getReference(PLATFORM, conversationId);
        const reference = isReference(stored) ? stored : null;
        const place = reference
          ? { team: reference.team, channel: reference.channel, threadTs: reference.threadTs }
          : placeOf(conversationId);
        if (!place)
          return fail('winfix_slack_no_place', `cannot tell where conversation ${conversationId} is`);
        const turn = {
          client: app.client,
          conversationId,
          place,
          userId: reference?.userId ?? '',
          fromButton: false,
        };
        await replies.deliver(turn, messages);
      },
      (error) =>
        fail((error as { code?: string }).code ?? 'winfix_slack_delivery_failed', (error as Error).message),
    );
    return outcome;
  }

  let started = false;
  const routes: ChatRoute[] = httpReceiver
    ? [{ method: 'POST', path: '/slack/events', handle: httpReceiver.requestListener }]
    : [];
  const connector: SlackConnector = {
    platform: PLATFORM,
    routes,
    sendProactive,
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
