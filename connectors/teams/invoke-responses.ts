/**
 * Answers to an `adaptiveCard/action` invoke (Universal Actions), as the Agents SDK sends them: an
 * activity of type `invokeResponse` whose value becomes the HTTP answer to the invoke. The body is an
 * AdaptiveCardInvokeResponse: the card to show in place of the pressed one (statusCode 200, type
 * `application/vnd.microsoft.card.adaptive`), a short message Teams shows instead (type
 * `application/vnd.microsoft.activity.message`), or an error (`application/vnd.microsoft.error`).
 */
import type { AdaptiveCardInvokeResponse, InvokeResponse } from '@microsoft/agents-hosting';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCardJson } from './adaptive-cards';

export const MESSAGE_RESPONSE_TYPE = 'application/vnd.microsoft.activity.message';
export const ERROR_RESPONSE_TYPE = 'application/vnd.microsoft.error';

/** What context.sendActivity takes to set the invoke's answer (the SDK keeps it, nothing is posted). */
export interface InvokeResponseActivity {
  type: 'invokeResponse';
  value: InvokeResponse<AdaptiveCardInvokeResponse>;
}

const answer = (body: AdaptiveCardInvokeResponse): InvokeResponseActivity => ({
  type: 'invokeResponse',
  value: { status: 200, body },
});

/** The card shown in place of the pressed card. */
export const cardResponse = (card: AdaptiveCardJson): InvokeResponseActivity =>
  answer({
    statusCode: 200,
    type: ADAPTIVE_CARD_CONTENT_TYPE,
    value: card as unknown as Record<string, unknown>,
  });

/** The card stays as it is; Teams shows `text` briefly. */
export const messageResponse = (text: string): InvokeResponseActivity =>
  answer({ statusCode: 200, type: MESSAGE_RESPONSE_TYPE, value: text as unknown as Record<string, unknown> });

/** A press the bot cannot read (not one of its cards, or malformed data): 400 with a reason. */
export const badActionResponse = (message: string): InvokeResponseActivity =>
  answer({ statusCode: 400, type: ERROR_RESPONSE_TYPE, value: { code: 'BadRequest', message } });
