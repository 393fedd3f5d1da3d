/**
 * How one batch of the core's messages goes out to Teams, with as few calls to the channel as the user
 * can't tell apart from one message each:
 * - plain texts said just before a card go inside that card, on top (`withLead`), in one POST. Not as
 *   the activity's `text` next to the card: Teams splits such an activity into two messages and answers
 *   without an activity id, so a card with buttons could not be updated in place once answered;
 * - a card update (a PUT editing an older message) goes out alongside the new messages: its order
 *   relative to them does not matter. It sits in the plan where the core put it, so a card sent earlier
 *   in the same batch has its activity id stored by then;
 * - texts with no card after them, job status, and approval cards (redrawn whole from the core's
 *   content, which knows nothing of a lead) go out as before, one activity each.
 * Order the user sees: unchanged (each text still comes right before what followed it).
 */
import type { CardUpdate, OutgoingMessage } from '../../bot';
import { type CardMessage, isCardMessage } from './adaptive-cards';

export type Delivery =
  | { kind: 'update'; update: CardUpdate }
  /** One activity: `message`, with `lead` (texts said just before a card) on top of it. */
  | { kind: 'post'; message: OutgoingMessage; lead: string[] };

/** Cards whose content the connector draws itself, so a lead can be drawn on top (and kept on redraws). */
export function takesLead(message: OutgoingMessage): message is CardMessage {
  return isCardMessage(message) && message.kind !== 'approval';
}

export function deliveryPlan(messages: readonly OutgoingMessage[]): Delivery[] {
  const plan: Delivery[] = [];
  let texts: Extract<OutgoingMessage, { kind: 'text' }>[] = [];
  const flush = () => {
    for (const message of texts) plan.push({ kind: 'post', message, lead: [] });
    texts = [];
  };
  for (const message of messages) {
    if (message.kind === 'card-update') plan.push({ kind: 'update', update: message });
    else if (message.kind === 'text') texts.push(message);
    else if (takesLead(message)) {
      plan.push({ kind: 'post', message, lead: texts.map((t) => t.text) });
      texts = [];
    } else {
      flush();
      plan.push({ kind: 'post', message, lead: [] });
    }
  }
  flush();
  return plan;
}

/** How many of the core's messages a delivery carries (for `delivered` counts). */
export const messagesIn = (delivery: Delivery) => (delivery.kind === 'update' ? 1 : 1 + delivery.lead.length);
