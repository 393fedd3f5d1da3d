/**
 * The Teams connector: turns each incoming activity into the core's input, hands it to the bot and
 * sends back what the bot said (teams-delivery.ts: Adaptive Cards, plain text, in-place edits of
 * answered cards, a press's next card as the invoke's answer). It also stores a conversation reference
 * for every activity and sends proactive messages through it (teams-proactive.ts), and copies
 * hand-offs to the technicians' channel. Transport and acknowledgement only: what to say is the core's
 * business.
 *
 * Timing: Teams gives a bot about 15 s to answer the HTTP request. A turn whose core work takes longer
 * than `replyBudgetMs` lets the request be answered at once and sends its replies proactively when
 * they are ready (the SDK revokes the turn context when the request ends, so they cannot go through it).
 */
import {
  CardFactory,
  CloudAdapter,
  type Connections,
  MessageFactory,
  type TurnContext,
} from '@microsoft/agents-hosting';
import {
  type Bot,
  type IncomingMessage,
  InMemoryReferenceStore,
  type OutgoingMessage,
  type ReferenceStore,
} from '../../bot';
import { withinDeadline } from '../../bot/deadline';
import { createTranslator } from '../../bot/i18n/translator';
import { platformLocale } from '../../bot/locale';
import type { Locale } from '../../rules/vocabulary';
import { apologyFor } from '../chat/apology';
import type { ChatConnector, ChatRoute, DeliveryFailureListener } from '../chat/contract';
import { ConversationQueue } from '../chat/conversation-queue';
import { DeliveryFailures } from '../chat/delivery-failures';
import { firstDelivery, type SeenDeliveries, seenDeliveries } from '../chat/seen-deliveries';
import { type AdaptiveCardJson, handoffForTechnicians } from './adaptive-cards';
import { ANONYMOUS, authConfiguration, type TeamsAuthSettings } from './auth';
import { type ActivityLike, cardActionOf, PLATFORM, toIncoming } from './incoming';
import { badActionResponse, type InvokeResponseActivity, messageResponse } from './invoke-responses';
import { stderrLog, type TeamsLog } from './log';
import { type Activity, TeamsDelivery } from './teams-delivery';
import { type BotIdentity, type ProactiveResult, TeamsProactive } from './teams-proactive';
import {
  type ObservedActivity,
  type TechnicianPost,
  TechniciansChannel,
  type TechniciansChannelSettings,
} from './technicians-channel';

export { cardKey } from './teams-delivery';
export type { ProactiveResult } from './teams-proactive';

export interface TeamsConnectorOptions {
  bot: Bot;
  /** Conversation references and card message ids. Default: a new InMemoryReferenceStore. */
  references?: ReferenceStore;
  /** Default: anonymous (development only). */
  auth?: TeamsAuthSettings;
  /** Core work longer than this answers the HTTP request first and replies proactively. Default 5000 ms. */
  replyBudgetMs?: number;
  /** Default: standard error. */
  log?: TeamsLog;
  /** Token providers for calls to the channel. Default: the SDK's MSAL connection manager (tests pass a fake). */
  connections?: Connections;
  /** How many open cards are remembered, to redraw them without buttons once answered. Default 10,000. */
  openCardLimit?: number;
  /**
   * The technicians' channel: hand-off summaries are copied there, and proactive messages to it work
   * before the bot has seen it (see TechniciansChannel). Default: none.
   */
  technicians?: TechniciansChannelSettings | null;
  /** Which activities were handled (shared by every instance when it is the database's). Default: in memory. */
  seen?: SeenDeliveries;
  /** The apology's language when the user's Teams locale is not one the bot speaks. Default en. */
  defaultLocale?: Locale;
}

const translator = createTranslator();

/** What a press answered late shows at once (the answer follows as new messages). */
const stillWorking = (locale: string | null | undefined, fallback: Locale) =>
  translator.t(platformLocale(locale) ?? fallback, 'turn.still-working');

/** An activity is known by its conversation and id; without an id it cannot be told from another. */
export function activityKey(activity: ActivityLike): string | null {
  const conversationId = activity.conversation?.id;
  const id = activity.id;
  if (!conversationId || !id) return null;
  return `activity:${conversationId}:${id}`;
}

type Settled<T> = { state: 'done'; value: T } | { state: 'failed'; error: unknown } | { state: 'late' };

/** Stands for "no answer yet" when the reply budget runs out. */
const LATE = new Error('the turn is still running');

function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  return withinDeadline(work, ms, () => LATE).then(
    (value): Settled<T> => ({ state: 'done', value }),
    (error: unknown): Settled<T> => (error === LATE ? { state: 'late' } : { state: 'failed', error }),
  );
}

/** Sets the answer to the invoke being handled (the SDK sends it as the HTTP response, nothing is posted). */
const answerInvoke = (context: TurnContext, response: InvokeResponseActivity) =>
  context.sendActivity(response as unknown as Activity);

const channelOfActivity = (activity: TurnContext['activity']) =>
  (activity.conversation?.id ?? '').split(';')[0] ?? '';

export class TeamsConnector implements ChatConnector {
  readonly platform = PLATFORM;
  /** Mounted by createTeamsService's HTTP side (POST /api/messages needs the adapter's token check). */
  readonly routes: readonly ChatRoute[] = [];
  readonly adapter: CloudAdapter;
  private readonly bot: Bot;
  private readonly references: ReferenceStore;
  private readonly log: TeamsLog;
  private readonly replyBudgetMs: number;
  private readonly delivery: TeamsDelivery;
  private readonly proactive: TeamsProactive;
  /** Turns of one conversation reach the core in order; work after the request counts until done. */
  private readonly queue = new ConversationQueue();
  private readonly seen: SeenDeliveries;
  private readonly failures: DeliveryFailures;
  private readonly defaultLocale: Locale;
  /** The technicians' channel, when configured. */
  readonly technicians: TechniciansChannel | null;

  constructor(options: TeamsConnectorOptions) {
    const auth = options.auth ?? ANONYMOUS;
    this.bot = options.bot;
    this.references = options.references ?? new InMemoryReferenceStore();
    this.log = options.log ?? stderrLog;
    this.replyBudgetMs = options.replyBudgetMs ?? 5000;
    this.seen = seenDeliveries(options.seen);
    this.failures = new DeliveryFailures(this.log);
    this.defaultLocale = options.defaultLocale ?? 'en';
    this.adapter = new CloudAdapter(authConfiguration(auth));
    if (options.connections) this.adapter.connectionManager = options.connections;
    this.delivery = new TeamsDelivery({
      references: this.references,
      log: this.log,
      failures: this.failures,
      viewers: () => this.viewers(),
      openCardLimit: options.openCardLimit ?? 10_000,
    });
    this.proactive = new TeamsProactive({
      adapter: this.adapter,
      // Anonymous: an identity without an audience makes the SDK call the channel without a token.
      identity: auth.appId ? auth.appId : ({} as BotIdentity),
      references: this.references,
      log: this.log,
      failures: this.failures,
      technicians: () => this.technicians,
    });
    this.technicians = options.technicians
      ? new TechniciansChannel(options.technicians, {
          references: this.references,
          log: this.log,
          // Teams prefixes a bot's id with 28: in activities.
          botId: auth.appId ? `28:${auth.appId}` : 'winfix',
          sender: {
            send: (post) => this.sendToTechnicians(post),
            member: (entry) => this.proactive.member(entry),
          },
        })
      : null;
    // Only reached if something escapes onTurn's own handling; the SDK's default would tell the user
    // to "fix the source code".
    this.adapter.onTurnError = async (_context, error) => {
      this.log.error(`unhandled error in a turn: ${error.stack ?? error.message}`);
    };
  }

  /** The turn handler for CloudAdapter.process: one incoming activity. */
  readonly onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const conversationId = activity.conversation?.id ?? '';
    // Stored while the core works and the replies go out (it never throws); awaited before the turn
    // ends, and before any proactive reply (those go through the stored reference).
    const saving = this.rememberReference(activity);
    // Posting what waits for the technicians' channel may take a while: not on the request's time.
    if (this.technicians)
      this.track(saving.then(() => this.technicians?.observe(activity as unknown as ObservedActivity)));
    // An Action.Execute press comes as an invoke, answered with the card that takes the pressed one's place.
    const invoke = cardActionOf(activity as ActivityLike);
    const input = toIncoming(activity as ActivityLike);
    if (!input) {
      if (invoke) await answerInvoke(context, badActionResponse('not a press on a winfix card'));
      return saving;
    }
    if (!(await firstDelivery(this.seen, activityKey(activity as ActivityLike)))) {
      this.log.info(`activity ${activity.id} in ${conversationId} was delivered before: ignored`);
      if (invoke) await answerInvoke(context, messageResponse(''));
      return saving;
    }
    const work = this.queue.submit(conversationId, () => this.bot.handle(input));
    const settled = await settleWithin(work, this.replyBudgetMs);
    if (settled.state === 'late') {
      if (invoke)
        await answerInvoke(context, messageResponse(stillWorking(input.user.locale, this.defaultLocale)));
      await saving;
      this.log.warn(
        `turn in ${conversationId} took longer than ${this.replyBudgetMs} ms: answering the request now, replying proactively`,
      );
      this.track(
        work.then(
          (messages) => {
            this.copyHandoffs(input, activity, messages);
            return this.sendProactive(conversationId, messages);
          },
          (error: unknown) => {
            this.log.error(`turn in ${conversationId} failed: ${(error as Error).message}`);
            return this.sendProactive(conversationId, [apologyFor(input.user.locale, this.defaultLocale)]);
          },
        ),
      );
      return;
    }
    let messages: OutgoingMessage[];
    if (settled.state === 'done') messages = settled.value;
    else {
      this.turnFailed(conversationId, settled.error);
      messages = [apologyFor(input.user.locale, this.defaultLocale)];
    }
    this.copyHandoffs(input, activity, messages);
    if (invoke && input.kind === 'action' && input.cardId) {
      // Sent before the turn ends: the SDK answers the invoke with it once the handler returns.
      const pressedId = (activity as ActivityLike & { replyToId?: string }).replyToId ?? null;
      await answerInvoke(
        context,
        await this.delivery.answerInPlace(context, conversationId, input.cardId, pressedId, messages),
      );
    } else await this.delivery.deliverInTurn(context, conversationId, messages);
    await saving;
  };

  /**
   * Sends messages to a conversation outside a turn (job results, approvals). Never throws: a failure
   * comes back as `{ ok: false, error }` and is logged; a 403/404 from the channel (the bot was removed
   * from the conversation) is a TeamsConversationGoneError.
   */
  async sendProactive(conversationId: string, messages: OutgoingMessage[]): Promise<ProactiveResult> {
    return this.proactive.send(conversationId, (context, progress) =>
      this.delivery.deliver(context, conversationId, messages, true, progress),
    );
  }

  /** One Adaptive Card drawn by the connector (not a core message) as a new message, proactively. */
  async sendCard(conversationId: string, card: AdaptiveCardJson): Promise<ProactiveResult> {
    return this.proactive.send(conversationId, async (context, progress) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.summary = card.fallbackText.split('\n')[0] ?? '';
      await context.sendActivity(activity);
      progress.count++;
    });
  }

  private async sendToTechnicians(post: TechnicianPost) {
    const channel = this.technicians?.conversationId ?? '';
    const result =
      post.kind === 'card'
        ? await this.sendCard(channel, post.card)
        : await this.sendProactive(channel, post.messages);
    return result.ok ? { ok: true as const } : { ok: false as const, error: result.error };
  }

  /**
   * Copies each hand-off of a turn to the technicians' channel, with who asked and from where (not
   * when the hand-off happened in that channel). In the background: a slow or unreachable channel
   * never holds up the employee's answer; a failure is logged and the copy kept for later.
   */
  private copyHandoffs(
    input: IncomingMessage,
    activity: TurnContext['activity'],
    messages: OutgoingMessage[],
  ) {
    const technicians = this.technicians;
    if (!technicians || technicians.is(channelOfActivity(activity))) return;
    for (const message of messages) {
      if (message.kind !== 'handoff') continue;
      const card = handoffForTechnicians(message, {
        name: input.user.name ?? input.user.id,
        directoryId: input.user.directoryId ?? null,
        conversationType: activity.conversation?.conversationType ?? null,
        conversationId: input.conversationId,
      });
      const who = `the hand-off from ${input.user.name ?? input.user.id} (${input.conversationId})`;
      this.track(
        technicians.post({
          key: `handoff:${input.conversationId}:${message.id}`,
          kind: 'card',
          what: who,
          card,
        }),
      );
    }
  }

  /** Resolves when every turn that went on after its HTTP request has finished sending. */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  onDeliveryFailure(listener: DeliveryFailureListener): void {
    this.failures.on(listener);
  }

  /** Nothing to connect: the channel calls in over HTTP. */
  async start(): Promise<void> {}

  /** Waits for the turns still sending (the app stops taking requests first). */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** How many open cards are remembered for redrawing (for the benchmark's memory figures). */
  get openCardCount(): number {
    return this.delivery.openCards.size;
  }

  private track(work: Promise<unknown>): void {
    void this.queue.track(work.catch(() => {}));
  }

  private turnFailed(conversationId: string, error: unknown): void {
    const code = (error as { code?: string }).code ?? 'error';
    this.log.error(`the bot failed on a turn in ${conversationId} (${code}): ${(error as Error).message}`);
  }

  private async rememberReference(activity: TurnContext['activity']): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId) return;
    try {
      const reference = activity.getConversationReference();
      // Proactive messages go to the conversation, not as a reply to whatever came last.
      delete reference.activityId;
      await this.references.saveReference(PLATFORM, conversationId, reference);
    } catch (error) {
      this.log.warn(
        `could not store the conversation reference of ${conversationId}: ${(error as Error).message}`,
      );
    }
  }

  /** The technicians' Teams user ids for an approval card's refresh (null: none known, or no channel). */
  private async viewers(): Promise<string[] | null> {
    return (await this.technicians?.viewers.userIds()) ?? null;
  }
}
