/**
 * Which card an Action.Execute press shows in place of the pressed card (Microsoft's "sequential
 * workflow"), and what is still posted as new messages. The rule is the one every platform shares
 * (connectors/chat/card-in-place.ts: the next step, question or summary replaces the pressed card when
 * it is the first new message of the turn; otherwise the pressed card is closed in place and the rest
 * posted). Teams adds one case: an approval card redrawn by the core (card-update with `card`) is shown
 * in place as it is, as the presser's own view when it is `personal`, with what was answered to them
 * on top. The record of the press and the texts said before the next card are the next card's lead.
 */
import type { ApprovalMessage, CardUpdate, OutgoingMessage } from '../../bot';
import { pressRecord, inPlacePlan as sharedPlan } from '../chat/card-in-place';
import type { OpenCard } from '../chat/open-cards';
import type { CardMessage } from './adaptive-cards';

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

export function inPlacePlan(
  messages: readonly OutgoingMessage[],
  pressedCardId: string,
  pressed: OpenCard<CardMessage> | null,
): InPlacePlan {
  const update = messages.find(
    (m): m is CardUpdate => m.kind === 'card-update' && m.cardId === pressedCardId,
  );
  if (update?.card) {
    // What the core answered the presser goes on their own view of the card, not into the channel.
    const others = messages.filter((m) => m !== update);
    const said = update.personal ? others.filter((m) => m.kind === 'text') : [];
    return {
      inPlace: { kind: 'redrawn', card: update.card, lead: said.map((m) => m.text) },
      rest: others.filter((m) => !said.includes(m as never)),
    };
  }
  const { inPlace, rest } = sharedPlan(messages, pressedCardId);
  if (inPlace.kind !== 'next') return { inPlace, rest };
  const title = pressed?.message.kind === 'step' ? pressed.message.title : null;
  return {
    inPlace: {
      kind: 'next',
      message: inPlace.message,
      lead: [pressRecord(title, inPlace.answer), ...inPlace.lead],
    },
    rest,
  };
}
