/**
 * Which card an Action.Execute press shows in place of the pressed card (Microsoft's "sequential
 * workflow"), and what is still posted as new messages. One troubleshooting case is one card that moves
 * on: the next step (or question, or the summary once fixed) replaces the pressed card, with a one-line
 * record of the press above it, and the plain texts the bot said just before it; no PUT, no extra POST.
 * Only when that card is the first new message of the turn: a card posted after other new messages
 * (a code explanation, a hand-off) would otherwise sit above them. Then the pressed card is closed in
 * place as before (its content, no buttons, the answer) and everything else is posted. Hand-offs and
 * job results stand on their own and are always posted. An approval card redrawn by the core
 * (card-update with `card`) is shown in place as it is; when it is the presser's own view (`personal`),
 * the texts answered to the press ("Approved…", "Only technicians…") go on top of it instead of being
 * posted to the channel.
 */
import type { ApprovalMessage, CardUpdate, OutgoingMessage } from '../../bot';
import type { OpenCard } from '../chat/open-cards';
import type { CardMessage } from './adaptive-cards';
import { deliveryPlan } from './delivery-plan';

export type InPlace =
  /** The card that follows, drawn with `lead` on top; it is a new open card when it has buttons. */
  | { kind: 'next'; message: CardMessage; lead: string[] }
  /** The pressed card closed: its own content without buttons (when known), with `answer`. */
  | { kind: 'answered'; answer: string }
  /**
   * The pressed card redrawn whole: an approval card as the one who pressed or refreshed it may see it
   * now (a `personal` card-update), with the texts answered to them on top (`lead`).
   */
  | { kind: 'redrawn'; card: ApprovalMessage; lead: string[] }
  /** The core did not answer the press on that card (e.g. it was no longer current): the card stays. */
  | { kind: 'unchanged' };

export interface InPlacePlan {
  inPlace: InPlace;
  /** What is still sent as new messages (and updates of other cards), in the core's order. */
  rest: OutgoingMessage[];
}

/** Cards that can take the pressed card's place: the steps of a case, its questions, its end. */
const MOVES_ON = new Set<OutgoingMessage['kind']>(['step', 'question', 'summary']);

/** The one-line record of a press: "Clear the update cache — Didn't help" for a step, else the answer. */
export function pressRecord(pressed: OpenCard<CardMessage> | null, answer: string): string {
  const message = pressed?.message;
  return message?.kind === 'step' ? `${message.title} — ${answer}` : answer;
}

export function inPlacePlan(
  messages: readonly OutgoingMessage[],
  pressedCardId: string,
  pressed: OpenCard<CardMessage> | null,
): InPlacePlan {
  const update = messages.find(
    (m): m is CardUpdate => m.kind === 'card-update' && m.cardId === pressedCardId,
  );
  if (!update) return { inPlace: { kind: 'unchanged' }, rest: [...messages] };
  const others = messages.filter((m) => m !== update);
  if (update.card) {
    // What the core answered the presser goes on their own view of the card, not into the channel.
    const said = update.personal ? others.filter((m) => m.kind === 'text') : [];
    return {
      inPlace: { kind: 'redrawn', card: update.card, lead: said.map((m) => m.text) },
      rest: others.filter((m) => !said.includes(m as never)),
    };
  }
  const first = deliveryPlan(others).find((d) => d.kind === 'post');
  if (first?.kind !== 'post' || !MOVES_ON.has(first.message.kind))
    return { inPlace: { kind: 'answered', answer: update.answer }, rest: others };
  // Being the first post, its lead is every text before it (see deliveryPlan): those go with it.
  const at = others.indexOf(first.message);
  const rest = others.filter((m, i) => i > at || (i < at && m.kind !== 'text'));
  return {
    inPlace: {
      kind: 'next',
      message: first.message as CardMessage,
      lead: [pressRecord(pressed, update.answer), ...first.lead],
    },
    rest,
  };
}
