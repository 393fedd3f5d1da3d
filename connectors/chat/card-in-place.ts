/**
 * Which of the core's messages takes the place of a pressed card, the same rule on every platform that
 * can replace a message (decision 0025 for Teams, 0035 for Slack): one troubleshooting case is one card
 * that moves on. The next step, question or summary replaces the pressed card, with a one-line record
 * of the press ("step title — answer") and the plain texts said just before it on top, but only when
 * it is the first new message of the turn (otherwise it would sit above messages said before it). Then
 * the pressed card is only closed in place (its content, no buttons, the answer) and everything else
 * is posted. Hand-offs and job results stand on their own and are always posted.
 *
 * Teams uses it through connectors/teams/card-in-place.ts, which adds approval cards redrawn in place.
 */
import type { CardUpdate, OutgoingMessage, QuestionMessage, StepCard, SummaryMessage } from '../../bot';

/** Cards that can take the pressed card's place: the steps of a case, its questions, its end. */
export type MovesOn = StepCard | QuestionMessage | SummaryMessage;

const MOVES_ON = new Set<OutgoingMessage['kind']>(['step', 'question', 'summary']);

export type InPlace =
  /** `message` replaces the pressed card, `lead` (texts said just before it) on top, under the record. */
  | { kind: 'next'; message: MovesOn; lead: string[]; answer: string }
  /** The pressed card is closed in place: its own content without buttons, with `answer`. */
  | { kind: 'answered'; answer: string }
  /** The core did not answer the press on that card (or redrew it whole): nothing changes in place. */
  | { kind: 'unchanged' };

export interface InPlacePlan {
  inPlace: InPlace;
  /** What is still sent as before (new messages, updates of other cards), in the core's order. */
  rest: OutgoingMessage[];
}

/** The one-line record of a press: "Clear the update cache — didn't help" for a step, else the answer. */
export function pressRecord(pressedStepTitle: string | null | undefined, answer: string): string {
  return pressedStepTitle ? `${pressedStepTitle} — ${answer}` : answer;
}

export function inPlacePlan(messages: readonly OutgoingMessage[], pressedCardId: string): InPlacePlan {
  const update = messages.find(
    (m): m is CardUpdate => m.kind === 'card-update' && m.cardId === pressedCardId,
  );
  if (!update || update.card) return { inPlace: { kind: 'unchanged' }, rest: [...messages] };
  const others = messages.filter((m) => m !== update);
  // The first new message that is not a plain text: the texts before it are its lead.
  const at = others.findIndex((m) => m.kind !== 'text' && m.kind !== 'card-update');
  const first = at >= 0 ? others[at] : undefined;
  if (!first || !MOVES_ON.has(first.kind))
    return { inPlace: { kind: 'answered', answer: update.answer }, rest: others };
  const lead = others.slice(0, at).flatMap((m) => (m.kind === 'text' ? [m.text] : []));
  const rest = others.filter((m, i) => i > at || (i < at && m.kind !== 'text'));
  return {
    inPlace: { kind: 'next', message: first as MovesOn, lead, answer: update.answer },
    rest,
  };
}
