/**
 * How a Teams turn's messages reach the conversation: new messages posted in order, answered cards
 * redrawn in place (PUT) without their buttons, and a press's next card given as the invoke's answer
 * (Universal Actions). Keeps each open card's content and activity id, in this process and in the
 * reference store, so a card can be closed in place later, also after a restart.
 */
import { CardFactory, MessageFactory, type TurnContext } from '@microsoft/agents-hosting';
import type { CardUpdate, OutgoingMessage, ReferenceStore } from '../../bot';
import type { DeliveryFailures } from '../chat/delivery-failures';
import { type OpenCard, OpenCards, openCardOf } from '../chat/open-cards';
import {
  type AdaptiveCardJson,
  adaptiveCardFor,
  answeredOnlyCard,
  type CardMessage,
  hasButtons,
  isCardMessage,
  plainTextOf,
  withLead,
} from './adaptive-cards';
import { approvalAdaptiveCard, approvalCardForEveryone } from './approval-adaptive-card';
import { inPlacePlan } from './card-in-place';
import { type Delivery, deliveryPlan, messagesIn } from './delivery-plan';
import { deliveryError } from './errors';
import { PLATFORM } from './incoming';
import { cardResponse, type InvokeResponseActivity, messageResponse } from './invoke-responses';
import type { TeamsLog } from './log';

export type Activity = ReturnType<typeof MessageFactory.text>;

/** Card ids are unique only within a conversation: the reference store keys them by both. */
export const cardKey = (conversationId: string, cardId: string) => `${conversationId}\n${cardId}`;

const isCardMessageValue = (message: unknown): message is CardMessage =>
  !!message && typeof message === 'object' && typeof (message as { kind?: unknown }).kind === 'string';

export interface TeamsDeliveryOptions {
  references: ReferenceStore;
  log: TeamsLog;
  failures: DeliveryFailures;
  /** The technicians' Teams user ids for an approval card's refresh (null: none known, or no channel). */
  viewers: () => Promise<string[] | null>;
  /** How many open cards are remembered in this process. */
  openCardLimit: number;
}

export class TeamsDelivery {
  readonly openCards: OpenCards<CardMessage>;
  private readonly references: ReferenceStore;
  private readonly log: TeamsLog;
  private readonly failures: DeliveryFailures;
  private readonly viewers: () => Promise<string[] | null>;

  constructor(options: TeamsDeliveryOptions) {
    this.references = options.references;
    this.log = options.log;
    this.failures = options.failures;
    this.viewers = options.viewers;
    this.openCards = new OpenCards<CardMessage>(options.openCardLimit);
  }

  /** Sends a turn's messages through its context; a failure is logged (the user's request still ends). */
  async deliverInTurn(context: TurnContext, conversationId: string, messages: OutgoingMessage[]) {
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
  async answerInPlace(
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
  async deliver(
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
