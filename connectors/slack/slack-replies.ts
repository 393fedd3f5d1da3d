/**
 * Sends the bot's answer for one turn to Slack: new messages with `chat.postMessage` (in the thread for
 * channel conversations), answered cards edited in place with `chat.update` (their buttons removed),
 * the card a press answered replaced in place by what follows it (press-in-place.ts: one call per
 * press, through the press's `response_url`), a refusal of a button press shown only to the presser
 * (`chat.postEphemeral`), hand-off summaries copied to the technicians' channel when one is configured,
 * and the answer to a technician's press on an approval card shown only to that technician.
 */
import type { webApi } from '@slack/bolt';
import type { HandoffMessage, OutgoingMessage, ReferenceStore } from '../../bot';
import { inPlacePlan } from '../chat/card-in-place';
import { answeredCard, escapeMrkdwn, handoffPlainText, handoffSummary, renderMessage } from './block-kit';
import type { ConnectorLogger } from './connector-logger';
import { webApiError } from './errors';
import { type PressedCard, PressInPlace } from './press-in-place';
import { ResponseUrlPolicy } from './response-urls';
import {
  cardKeyOf,
  isDirectMessageChannel,
  isReference,
  PLATFORM,
  type SlackConversationReference,
  type SlackPlace,
} from './slack-inputs';
import { DEFAULT_SLACK_API_URL } from './slack-settings';

export interface TurnDelivery {
  client: webApi.WebClient;
  conversationId: string;
  place: SlackPlace;
  /** Who wrote or pressed. */
  userId: string;
  /**
   * A button press: when the core only says something back (no card closed, nothing new), the reply
   * goes to the presser alone; this is how a press on an answered card is refused.
   */
  fromButton: boolean;
  /** The employee's press this turn answers: its card is replaced in place by what follows. */
  pressed?: PressedCard;
}

export interface SlackRepliesOptions {
  references: ReferenceStore;
  logger: ConnectorLogger;
  technicianChannel: string | null;
  /** Which response_url values may be called. Default: Slack's own (`https://hooks.slack.com/actions/…`). */
  responseUrls?: ResponseUrlPolicy;
  /** For response_url calls. Default: the global fetch. */
  fetch?: typeof fetch;
  /** How long a response_url call may take before the connector falls back to chat.update. Default 5 s. */
  responseUrlTimeoutMs?: number;
}

export { webApiError };

export class SlackReplies {
  private readonly inPlace: PressInPlace;

  constructor(private readonly options: SlackRepliesOptions) {
    this.inPlace = new PressInPlace({
      references: options.references,
      logger: options.logger,
      policy: options.responseUrls ?? new ResponseUrlPolicy(DEFAULT_SLACK_API_URL),
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.responseUrlTimeoutMs ?? 5000,
    });
  }

  async deliver(turn: TurnDelivery, messages: OutgoingMessage[]): Promise<void> {
    const { references } = this.options;
    const stored = await references.getReference(PLATFORM, turn.conversationId);
    const reference: SlackConversationReference = isReference(stored)
      ? { ...stored, ...turn.place }
      : { ...turn.place, userId: turn.userId, card: null };
    try {
      if (turn.fromButton && messages.length > 0 && messages.every((m) => m.kind === 'text')) {
        for (const m of messages) await this.ephemeral(turn, m);
        return;
      }
      let rest = messages;
      if (turn.pressed) {
        const plan = inPlacePlan(messages, turn.pressed.cardId);
        // When the card could not be replaced at all, everything goes out as before (close, then post).
        if (await this.inPlace.show(turn, turn.pressed, reference, plan.inPlace)) rest = plan.rest;
      }
      for (const message of rest) {
        if (message.kind === 'card-update')
          await this.update(turn, reference, message.cardId, message.answer);
        else await this.post(turn, reference, message);
        if (message.kind === 'handoff') await this.copyToTechnicians(turn, message);
      }
    } finally {
      await references.saveReference(PLATFORM, turn.conversationId, reference);
    }
  }

  private async post(
    turn: TurnDelivery,
    reference: SlackConversationReference,
    message: OutgoingMessage,
  ): Promise<void> {
    const rendered = renderMessage(message);
    if (!rendered) return;
    let ts: string | undefined;
    try {
      const result = await turn.client.chat.postMessage({
        channel: turn.place.channel,
        text: rendered.text,
        blocks: rendered.blocks,
        ...(turn.place.threadTs ? { thread_ts: turn.place.threadTs } : {}),
      });
      ts = result.ts;
    } catch (error) {
      throw webApiError(`chat.postMessage to ${turn.place.channel}`, error);
    }
    if (rendered.content && ts) {
      await this.options.references.saveCardMessage(PLATFORM, cardKeyOf(turn.conversationId, message.id), ts);
      reference.card = {
        id: message.id,
        content: rendered.content,
        ...(message.kind === 'step' ? { title: message.title } : {}),
      };
    }
  }

  private async update(
    turn: TurnDelivery,
    reference: SlackConversationReference,
    cardId: string,
    answer: string,
  ): Promise<void> {
    const key = cardKeyOf(turn.conversationId, cardId);
    const ts = await this.options.references.getCardMessage(PLATFORM, key);
    if (!ts) {
      this.options.logger.debug(`Slack: no message known for card ${key}; it stays as it is`);
      return;
    }
    const content = reference.card?.id === cardId ? reference.card.content : null;
    const rendered = answeredCard(content, answer);
    try {
      await turn.client.chat.update({
        channel: turn.place.channel,
        ts,
        text: rendered.text,
        blocks: rendered.blocks,
      });
    } catch (error) {
      // The old buttons stay visible, but the core refuses presses on a closed card anyway.
      this.options.logger.warn(webApiError(`chat.update of card ${key}`, error).message);
    }
    if (reference.card?.id === cardId) reference.card = null;
  }

  /**
   * The core's answer to a technician's press on an approval card (approved, refused, already decided…),
   * shown only to the presser, in the card's channel. Not in the card's thread: Slack shows an ephemeral
   * message in a thread only once the thread exists, and most cards have none. Failures are logged.
   */
  async toPresser(
    client: webApi.WebClient,
    place: Pick<SlackPlace, 'channel'>,
    userId: string,
    messages: OutgoingMessage[],
  ): Promise<void> {
    const turn = { client, place: { channel: place.channel, threadTs: null }, userId };
    for (const message of messages) {
      try {
        await this.ephemeral(turn, message);
      } catch (error) {
        this.options.logger.error((error as Error).message);
      }
    }
  }

  private async ephemeral(
    turn: Pick<TurnDelivery, 'client' | 'userId'> & { place: Pick<SlackPlace, 'channel' | 'threadTs'> },
    message: OutgoingMessage,
  ): Promise<void> {
    const rendered = renderMessage(message);
    if (!rendered) return;
    try {
      await turn.client.chat.postEphemeral({
        channel: turn.place.channel,
        user: turn.userId,
        text: rendered.text,
        blocks: rendered.blocks,
        ...(turn.place.threadTs ? { thread_ts: turn.place.threadTs } : {}),
      });
    } catch (error) {
      throw webApiError(`chat.postEphemeral to ${turn.place.channel}`, error);
    }
  }

  /**
   * The hand-off summary for the technicians, in their language (the bot's technicians' copy), with who
   * asked, where and why. A failure is logged, not thrown.
   */
  private async copyToTechnicians(turn: TurnDelivery, message: HandoffMessage): Promise<void> {
    const channel = this.options.technicianChannel;
    if (!channel) return;
    const tech = message.forTechnicians;
    const summary = tech ?? message;
    const who = `<@${turn.userId}>`;
    const place = isDirectMessageChannel(turn.place.channel) ? null : `<#${turn.place.channel}>`;
    const where = tech
      ? place
        ? `${escapeMrkdwn(tech.where.channel)} ${place}`
        : escapeMrkdwn(tech.where.personal)
      : (place ?? '');
    const head = tech ? `${escapeMrkdwn(tech.from)}: ${who}` : who;
    const from = [`:sos: ${head}`, where, tech ? escapeMrkdwn(tech.reason) : ''].filter(Boolean).join(' · ');
    try {
      await turn.client.chat.postMessage({
        channel,
        text: `${tech ? `${tech.from}: ` : ''}${who}\n${handoffPlainText(summary)}`,
        blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: from }] }, ...handoffSummary(summary)],
      });
    } catch (error) {
      this.options.logger.error(webApiError(`posting the hand-off to ${channel}`, error).message);
    }
  }
}
