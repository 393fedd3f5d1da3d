/**
 * Setup extend codes in the conversation ("0xC1900101 - 0x20007"): their meaning is said with the code,
 * and a message that names only an extend code ("what does 0x20007 mean?") is answered with it.
 */
import { explainSubcodes } from '../rules/triage';
import type { Turn } from './turn';

/** One line per extend code of the case, in the user's language ("0x20007: …"). */
export function extendCodeLines(
  turn: Turn,
  subcodes: readonly string[] = turn.state.facts.subcodes,
): string[] {
  return explainSubcodes(turn.kb, turn.state.facts.code, subcodes, turn.locale).map((m) => m.meaning);
}

/**
 * A message with extend codes and no error code: says what they mean and keeps them for the case.
 * Returns true when it answered; the caller then goes on only where a question is still to be asked.
 */
export function answerExtendCodes(turn: Turn, found: { codes: string[]; subcodes: string[] }): boolean {
  if (found.codes.length > 0 || found.subcodes.length === 0) return false;
  turn.say(extendCodeLines(turn, found.subcodes).join('\n'));
  turn.state.facts.subcodes = [...found.subcodes];
  return true;
}
