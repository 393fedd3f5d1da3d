/**
 * The Teams connector: turns each incoming activity into the core's input, hands it to the bot and
 * sends back what the bot said (Adaptive Cards, plain text, in-place edits of answered cards). It also
 * stores a conversation reference for every activity and sends proactive messages through it.
 * Transport and acknowledgement only: what to say is the core's business.
 *
 * Timing: Teams gives a bot about 15 s to answer the HTTP request. A turn whose core work takes longer
 * than `replyBudgetMs` lets the request be answered at once and sends its replies proactively when
 * they are ready (the SDK revokes the turn context when the request ends, so they cannot go through it).
 */
import {
  CardFactory,
  CloudAdapter,
  type Connections,
  type ConnectorClient,
  MessageFactory,
  type TurnContext,
} from '@microsoft/agents-hosting';
import {
  type Bot,
  type CardUpdate,
  type IncomingMessage,
  InMemoryReferenceStore,
  type OutgoingMessage,
  type ReferenceStore,
} from '../../bot';
import { createTranslator } from '../../bot/i18n/translator';
import { platformLocale } from '../../bot/locale';
import type { Locale } from '../../rules/vocabulary';
import { apologyFor } from '../chat/apology';
import type { ChatConnector, ChatRoute, DeliveryFailure, DeliveryFailureListener } from '../chat/contract';
import { ConversationQueue } from '../chat/conversation-queue';
import { DeliveryFailures } from '../chat/delivery-failures';
import { type OpenCard, OpenCards, openCardOf } from '../chat/open-cards';
import { firstDelivery, type SeenDeliveries, seenDeliveries } from '../chat/seen-deliveries';
import {
  type AdaptiveCardJson,
  adaptiveCardFor,
  answeredOnlyCard,
  type CardMessage,
  handoffForTechnicians,
  hasButtons,
  isCardMessage,
  plainTextOf,
  withLead,
} from './adaptive-cards';
import { approvalAdaptiveCard, approvalCardForEveryone } from './approval-adaptive-card';
import { ANONYMOUS, authConfiguration, type TeamsAuthSettings } from './auth';
import { inPlacePlan } from './card-in-place';
import { type Delivery, deliveryPlan, messagesIn } from './delivery-plan';
import { deliveryError, TeamsNoReferenceError, type WinfixTeamsError } from './errors';
import { type ActivityLike, cardActionOf, PLATFORM, toIncoming } from './incoming';
import {
  badActionResponse,
  cardResponse,
  type InvokeResponseActivity,
  messageResponse,
} from './invoke-responses';
import { stderrLog, type TeamsLog } from './log';
import {
  channelOf,
  type ObservedActivity,
  type TechnicianPost,
  TechniciansChannel,
  type TechniciansChannelSettings,
} from './technicians-channel';

type Activity = ReturnType<typeof MessageFactory.text>;
type ConversationReference = Parameters<CloudAdapter['continueConversation']>[1];
type BotIdentity = Parameters<CloudAdapter['continueConversation']>[0];

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

export type ProactiveResult =
  | { ok: true; delivered: number }
  | { ok: false; delivered: number; error: WinfixTeamsError; failure: DeliveryFailure };

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

const isCardMessageValue = (message: unknown): message is CardMessage =>
  !!message && typeof message === 'object' && typeof (message as { kind?: unknown }).kind === 'string';

type Settled<T> = { state: 'done'; value: T } | { state: 'failed'; error: unknown } | { state: 'late' };

function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ state: 'late' }), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve({ state: 'done', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ state: 'failed', error });
      },
    );
  });
}

/** Sets the answer to the invoke being handled (the SDK sends it as the HTTP response, nothing is posted). */
const answerInvoke = (context: TurnContext, response: InvokeResponseActivity) =>
  context.sendActivity(response as unknown as Activity);

const channelOfActivity = (activity: TurnContext['activity']) =>
  (activity.conversation?.id ?? '').split(';')[0] ?? '';

/** Card ids are unique only within a conversation: the reference store keys them by both. */
export const cardKey = (conversationId: string, cardId: string) => `${conversationId}\n${cardId}`;

export class TeamsConnector implements ChatConnector {
  readonly platform = PLATFORM;
  /** Mounted by createTeamsService's HTTP side (POST /api/messages needs the adapter's token check). */
  readonly routes: readonly ChatRoute[] = [];
  readonly adapter: CloudAdapter;
  private readonly bot: Bot;
  private readonly references: ReferenceStore;
  private readonly log: TeamsLog;
  private readonly replyBudgetMs: number;
  private readonly identity: BotIdentity;
  private readonly openCards: OpenCards<CardMessage>;
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
    this.openCards = new OpenCards<CardMessage>(options.openCardLimit ?? 10_000);
    this.seen = seenDeliveries(options.seen);
    this.failures = new DeliveryFailures(this.log);
    this.defaultLocale = options.defaultLocale ?? 'en';
    // Anonymous: an identity without an audience makes the SDK call the channel without a token.
    this.identity = auth.appId ? auth.appId : ({} as BotIdentity);
    this.adapter = new CloudAdapter(authConfiguration(auth));
    if (options.connections) this.adapter.connectionManager = options.connections;
    this.technicians = options.technicians
      ? new TechniciansChannel(options.technicians, {
          references: this.references,
          log: this.log,
          // Teams prefixes a bot's id with 28: in activities.
          botId: auth.appId ? `28:${auth.appId}` : 'winfix',
          sender: {
            send: (post) => this.sendToTechnicians(post),
            member: (entry) => this.technicianMember(entry),
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
        await this.answerInPlace(context, conversationId, input.cardId, pressedId, messages),
      );
    } else await this.deliverInTurn(context, conversationId, messages);
    await saving;
  };

  /** Sends a turn's messages through its context; a failure is logged (the user's request still ends). */
  private async deliverInTurn(context: TurnContext, conversationId: string, messages: OutgoingMessage[]) {
    try {
      await this.deliver(context, conversationId, messages, false, { count: 0 });
    } catch (error) {
      const reported = deliveryError(conversationId, error);
      this.log.error(`${reported.code}: ${reported.message}`);
      const { code, message } = reported;
      this.failures.report({ platform: PLATFORM, conversationId, code, message }, true);
    }
  }

  /**
   * An Action.Execute press: posts what stands on its own (see inPlacePlan) and returns the invoke's
   * answer, the card shown in place of the pressed one. A next card with buttons is remembered under
   * the pressed card's activity id, so it can be closed in place later (a typed answer, a restart).
   */
  private async answerInPlace(
    context: TurnContext,
    conversationId: string,
    cardId: string,
    pressedActivityId: string | null,
    messages: OutgoingMessage[],
  ): Promise<InvokeResponseActivity> {
    const key = cardKey(conversationId, cardId);
    const pressed = this.openCards.take(key) ?? openCardOf(await this.storedContent(key), isCardMessageValue);
    const { inPlace, rest } = inPlacePlan(messages, cardId, pressed);
    await this.deliverInTurn(context, conversationId, rest);
    switch (inPlace.kind) {
      case 'unchanged': {
        if (pressed) this.openCards.remember(key, pressed.message, pressed.lead);
        const first = messages.find((m) => m.kind !== 'card-update');
        return messageResponse(first ? plainTextOf(first) : '');
      }
      case 'answered':
        return cardResponse(this.answered(pressed, inPlace.answer));
      case 'redrawn':
        // Still the card everyone sees (redrawn with PUT by the notifier).
        if (pressed) this.openCards.remember(key, pressed.message, pressed.lead);
        // This person's own view (Universal Actions user-specific view): never the card for everyone.
        return cardResponse(withLead(approvalAdaptiveCard(inPlace.card, await this.viewers()), inPlace.lead));
      case 'next': {
        const { message, lead } = inPlace;
        const activityId = pressedActivityId ?? (await this.references.getCardMessage(PLATFORM, key));
        if (hasButtons(message) && activityId)
          await this.rememberOpenCard(conversationId, activityId, message, lead);
        return cardResponse(withLead(adaptiveCardFor(message), lead));
      }
    }
  }

  /** Keeps an open card's content and activity id, to close it in place once answered. */
  private async rememberOpenCard(
    conversationId: string,
    activityId: string,
    message: CardMessage,
    lead: readonly string[],
  ): Promise<void> {
    const key = cardKey(conversationId, message.id);
    this.openCards.remember(key, message, lead);
    try {
      const content: OpenCard<CardMessage> = { message, lead };
      await this.references.saveCardMessage(PLATFORM, key, activityId, content);
    } catch (error) {
      this.log.warn(`could not store the activity id of card ${message.id}: ${(error as Error).message}`);
    }
  }

  /**
   * Sends messages to a conversation outside a turn (job results, approvals), through the conversation
   * reference stored when the conversation last wrote to the bot. Never throws: a failure comes back
   * as `{ ok: false, error }` and is logged; a 403/404 from the channel (the bot was removed from the
   * conversation) is a TeamsConversationGoneError.
   */
  async sendProactive(conversationId: string, messages: OutgoingMessage[]): Promise<ProactiveResult> {
    return this.proactively(conversationId, (context, progress) =>
      this.deliver(context, conversationId, messages, true, progress),
    );
  }

  /** One Adaptive Card drawn by the connector (not a core message) as a new message, proactively. */
  async sendCard(conversationId: string, card: AdaptiveCardJson): Promise<ProactiveResult> {
    return this.proactively(conversationId, async (context, progress) => {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.summary = card.fallbackText.split('\n')[0] ?? '';
      await context.sendActivity(activity);
      progress.count++;
    });
  }

  /**
   * The stored reference of a conversation; for the technicians' channel without one, a reference
   * built from the settings (saved once a send through it worked).
   */
  private async referenceOf(
    conversationId: string,
  ): Promise<{ reference: ConversationReference; built: boolean }> {
    const stored = (await this.references.getReference(
      PLATFORM,
      conversationId,
    )) as ConversationReference | null;
    if (stored) return { reference: stored, built: false };
    if (this.technicians?.is(conversationId))
      return { reference: this.technicians.reference() as unknown as ConversationReference, built: true };
    throw new TeamsNoReferenceError(conversationId);
  }

  private async proactively(
    conversationId: string,
    send: (context: TurnContext, progress: { count: number }) => Promise<void>,
  ): Promise<ProactiveResult> {
    const progress = { count: 0 };
    let failure: unknown = null;
    let built: ConversationReference | null = null;
    try {
      const found = await this.referenceOf(conversationId);
      const reference = found.reference;
      if (found.built) built = reference;
      await this.adapter.continueConversation(this.identity, reference, async (context) => {
        // The SDK gives the continuation activity a made-up id (a random UUID) and would send every
        // message as a reply to it (POST …/activities/{uuid}); a proactive message is a new message.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        context.onUpdateActivity(async (_context, activity, next) => {
          delete activity.replyToId;
          return next();
        });
        // Caught here: the adapter would hand an error to onTurnError, which only logs.
        try {
          await send(context, progress);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure === null && built) await this.saveBuiltReference(conversationId, built);
    if (failure === null) return { ok: true, delivered: progress.count };
    const error = deliveryError(conversationId, failure);
    this.log.error(`proactive message not delivered (${error.code}): ${error.message}`);
    const reported: DeliveryFailure = {
      platform: PLATFORM,
      conversationId,
      code: error.code,
      message: error.message,
    };
    this.failures.report(reported, true);
    return { ok: false, delivered: progress.count, error, failure: reported };
  }

  private async saveBuiltReference(conversationId: string, reference: ConversationReference): Promise<void> {
    try {
      await this.references.saveReference(PLATFORM, conversationId, reference);
    } catch (error) {
      this.log.warn(`could not store the reference of ${conversationId}: ${(error as Error).message}`);
    }
  }

  /**
   * The Teams user id (29:…) of a member of the technicians' conversation, asked by Entra object id or
   * e-mail (Bot Connector GET /v3/conversations/{id}/members/{member}, which Teams answers for either);
   * null when that person is not a member or the channel cannot be asked now.
   */
  private async technicianMember(entry: string): Promise<string | null> {
    const channel = this.technicians?.conversationId;
    if (!channel) return null;
    let found: string | null = null;
    let failure: unknown = null;
    try {
      const { reference } = await this.referenceOf(channel);
      await this.adapter.continueConversation(this.identity, reference, async (context) => {
        // Caught here: the adapter would hand an error to onTurnError, which logs it as an error.
        try {
          const client = context.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
          const member = (await client.getConversationMember(entry, channelOf(channel))) as { id?: unknown };
          if (typeof member?.id === 'string') found = member.id;
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    // Not a member (404) or the channel not reachable now: the technician refreshes by hand meanwhile.
    if (failure) this.log.info(`technician ${entry}: not found in the technicians' channel roster`);
    return found;
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
    return this.openCards.size;
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

  /** A card as everyone sees it: an approval card has nothing to press and a refresh (see approval-adaptive-card.ts). */
  private async cardForEveryone(message: CardMessage): Promise<AdaptiveCardJson> {
    return message.kind === 'approval'
      ? approvalCardForEveryone(message, await this.viewers())
      : adaptiveCardFor(message);
  }

  /**
   * The activity for a message, as a plain object with the fields MessageFactory.text/attachment give:
   * sendActivity validates every activity anyway (Activity.fromObject), and the factories validate it
   * once more, a fixed cost per activity seen in the case-cost profile (decision 0025).
   */
  private async activityFor(message: OutgoingMessage, lead: readonly string[]): Promise<Activity> {
    if (!isCardMessage(message))
      // The core writes plain text: "ERROR_FILE_NOT_FOUND" must not turn into italics.
      return {
        type: 'message',
        text: plainTextOf(message),
        inputHint: 'acceptingInput',
        textFormat: 'plain',
      } as unknown as Activity;
    return {
      type: 'message',
      attachmentLayout: 'list',
      attachments: [CardFactory.adaptiveCard(withLead(await this.cardForEveryone(message), lead))],
      inputHint: 'acceptingInput',
      summary: plainTextOf(message),
    } as unknown as Activity;
  }

  /**
   * Sends the messages as `deliveryPlan` groups them: new messages one after the other, in order; card
   * updates alongside them, all settled before this returns. `progress.count` counts the core's
   * messages delivered. A card update that fails only warns, unless `strict`: then its error is thrown
   * once everything else was sent (an error of a new message is thrown first, after the updates settled).
   */
  private async deliver(
    context: TurnContext,
    conversationId: string,
    messages: OutgoingMessage[],
    strict: boolean,
    progress: { count: number },
  ): Promise<void> {
    // Each update's outcome is caught at once (no unhandled rejection while the sends go on).
    const updates: Promise<{ error: unknown } | null>[] = [];
    let sendFailure: { error: unknown } | null = null;
    // A person's own view of an approval card is shown only as the answer to their invoke; the card
    // for everyone is redrawn by the notifier.
    const shared = messages.filter((m) => !(m.kind === 'card-update' && m.personal));
    try {
      for (const delivery of deliveryPlan(shared)) {
        if (delivery.kind === 'update') {
          updates.push(
            this.updateCard(context, conversationId, delivery.update, strict).then(
              () => {
                progress.count++;
                return null;
              },
              (error: unknown) => ({ error }),
            ),
          );
          continue;
        }
        await this.post(context, conversationId, delivery);
        progress.count += messagesIn(delivery);
      }
    } catch (error) {
      sendFailure = { error };
    }
    const updateFailure = (await Promise.all(updates)).find((outcome) => outcome !== null);
    const failure = sendFailure ?? updateFailure;
    if (failure) throw failure.error;
  }

  /** The card as it was, without buttons, with the answer; the answer alone when it is not known. */
  private answered(original: OpenCard<CardMessage> | null, answer: string) {
    if (original)
      try {
        return withLead(adaptiveCardFor(original.message, answer), original.lead);
      } catch (error) {
        // A stored card this version cannot draw (saved by an older one): the answer alone.
        this.log.warn(`an answered card could not be redrawn: ${(error as Error).message}`);
      }
    return answeredOnlyCard(answer);
  }

  private async storedContent(key: string): Promise<unknown> {
    try {
      return await this.references.getCardContent(PLATFORM, key);
    } catch (error) {
      this.log.warn(`could not read the stored content of a card: ${(error as Error).message}`);
      return null;
    }
  }

  /** One new activity; the id of a card with buttons is stored from the answer to it. */
  private async post(
    context: TurnContext,
    conversationId: string,
    delivery: Extract<Delivery, { kind: 'post' }>,
  ): Promise<void> {
    const { message, lead } = delivery;
    const response = await context.sendActivity(await this.activityFor(message, lead));
    if (!hasButtons(message) || !response?.id) return;
    await this.rememberOpenCard(conversationId, response.id, message, lead);
  }

  /** Redraws an answered card without its buttons, in place, so it cannot be pressed again. */
  private async updateCard(
    context: TurnContext,
    conversationId: string,
    update: CardUpdate,
    strict: boolean,
  ): Promise<void> {
    const key = cardKey(conversationId, update.cardId);
    const activityId = await this.references.getCardMessage(PLATFORM, key);
    if (!activityId) {
      this.log.warn(`card ${update.cardId} in ${conversationId} has no stored activity id; not updated`);
      return;
    }
    // This process's copy, else the one stored with the activity id (a card from before a restart).
    const original =
      this.openCards.take(key) ?? openCardOf(await this.storedContent(key), isCardMessageValue);
    // A card redrawn with new content (an approval card as its request moves on) keeps its buttons.
    if (update.card && hasButtons(update.card)) this.openCards.remember(key, update.card);
    const card = update.card
      ? await this.cardForEveryone(update.card)
      : this.answered(original, update.answer);
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    activity.id = activityId;
    activity.summary = card.fallbackText;
    try {
      await context.updateActivity(activity);
    } catch (error) {
      if (strict) throw error;
      const reported = deliveryError(conversationId, error);
      this.log.warn(`card ${update.cardId} not updated (${reported.code}): ${reported.message}`);
    }
  }
}
