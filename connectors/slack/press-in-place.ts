/**
 * The card an employee pressed, replaced in place by what follows it, in one call per press (decision
 * 0035): POST `{ replace_original: true, text, blocks }` to the press's `response_url`. The next step,
 * question or summary is drawn with the record of the press and the texts said just before it on top
 * (the rule is connectors/chat/card-in-place.ts); otherwise the pressed card is only closed (its
 * content without buttons, the answer). When the response_url is missing, not Slack's (see
 * response-urls.ts), expired, used up or fails, the same content goes out with `chat.update` of the
 * pressed message: still one call. Only when that fails too is the caller told to send the turn the
 * old way (close the card, post what follows).
 */
import type { webApi } from '@slack/bolt';
import type { ReferenceStore } from '../../bot';
import { type InPlace, pressRecord } from '../chat/card-in-place';
import { answeredCard, type RenderedMessage, renderMessage, withLead } from './block-kit';
import type { ConnectorLogger } from './connector-logger';
import { webApiError } from './errors';
import { originOf, type ResponseUrlPolicy, responseUrlFailure } from './response-urls';
import { cardKeyOf, PLATFORM, type SlackConversationReference, type SlackPlace } from './slack-inputs';

/** The employee's press a turn answers. */
export interface PressedCard {
  /** The card id in the pressed button's value. */
  cardId: string;
  /** The pressed message's ts (`container.message_ts`). */
  ts: string;
  /** The payload's `response_url`; null when it had none. */
  responseUrl: string | null;
}

export interface PressInPlaceOptions {
  references: ReferenceStore;
  logger: ConnectorLogger;
  policy: ResponseUrlPolicy;
  fetch: typeof fetch;
  /** How long a response_url call may take before chat.update is tried instead. */
  timeoutMs: number;
}

interface Turn {
  client: webApi.WebClient;
  conversationId: string;
  place: SlackPlace;
}

export class PressInPlace {
  constructor(private readonly options: PressInPlaceOptions) {}

  /**
   * Shows `inPlace` in place of the pressed card and keeps `reference.card` (what the card now shows)
   * and the card's message ts current. False when the next card could not be shown at all: the caller
   * then sends the whole turn the old way.
   */
  async show(
    turn: Turn,
    pressed: PressedCard,
    reference: SlackConversationReference,
    inPlace: InPlace,
  ): Promise<boolean> {
    if (inPlace.kind === 'unchanged') return true;
    const own = reference.card?.id === pressed.cardId ? reference.card : null;
    if (inPlace.kind === 'answered') {
      // A failure is logged: the old buttons stay, and the core refuses presses on a closed card anyway.
      await this.replace(turn, pressed, answeredCard(own?.content ?? null, inPlace.answer));
      if (own) reference.card = null;
      return true;
    }
    const next = inPlace.message;
    const rendered = renderMessage(next);
    if (!rendered) return false;
    const drawn = withLead(rendered, pressRecord(own?.title, inPlace.answer), inPlace.lead);
    if (!(await this.replace(turn, pressed, drawn))) return false;
    if (drawn.content) {
      // The next card lives in the pressed message now: a typed answer later closes it there.
      await this.options.references.saveCardMessage(
        PLATFORM,
        cardKeyOf(turn.conversationId, next.id),
        pressed.ts,
      );
      reference.card = {
        id: next.id,
        content: drawn.content,
        ...(next.kind === 'step' ? { title: next.title } : {}),
      };
    } else reference.card = null;
    return true;
  }

  /** Replaces the pressed message: through its response_url, else with chat.update. False if neither worked. */
  private async replace(turn: Turn, pressed: PressedCard, rendered: RenderedMessage): Promise<boolean> {
    const { logger } = this.options;
    if (pressed.responseUrl) {
      const verdict = this.options.policy.check(pressed.responseUrl);
      const failure = verdict.ok ? await this.post(verdict.url, rendered) : `not called (${verdict.reason})`;
      if (!failure) return true;
      logger.warn(
        `Slack: response_url at ${originOf(pressed.responseUrl)} ${failure}; the card is updated with chat.update instead`,
      );
    }
    try {
      await turn.client.chat.update({
        channel: turn.place.channel,
        ts: pressed.ts,
        text: rendered.text,
        blocks: rendered.blocks,
      });
      return true;
    } catch (error) {
      logger.warn(webApiError(`chat.update of the pressed card ${pressed.cardId}`, error).message);
      return false;
    }
  }

  /** POSTs the replacement to the response_url; null when Slack took it, else why not. */
  private async post(url: URL, rendered: RenderedMessage): Promise<string | null> {
    try {
      const response = await this.options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ replace_original: true, text: rendered.text, blocks: rendered.blocks }),
        // A redirect could lead anywhere: only the checked URL is called.
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const failure = responseUrlFailure(response.status, await response.text());
      return failure ? `answered ${failure}` : null;
    } catch (error) {
      return `failed: ${(error as Error).message}`;
    }
  }
}
