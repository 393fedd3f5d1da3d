/**
 * What the user says mid-case about what they already did or noticed ("already rebooted", "the PST is
 * on the NAS") re-plans the rest of the case: steps they already did are skipped with one line saying
 * so, clues move their steps up. Steps already done stay done. The open step, when the user says they
 * did it, counts as "didn't help" if they did it before ("I already restarted") or say it failed; done
 * just now ("restarted", 「再起動しました」, "перезагрузил"), the bot asks whether it fixed the error.
 */

import { planCase } from './case-facts';
import { recordOutcome } from './guide-flow';
import { replanRest } from './replan';
import { type Found, mergeSaid, planNotes } from './triage-flow';
import type { Turn } from './turn';
import { readOutcome, saysDoneBefore } from './typed-phrases';

/** True when the message said something new the plan can use (and the bot answered it). */
export async function applySaid(turn: Turn, found: Found, text = ''): Promise<boolean> {
  const s = turn.state;
  const merged = mergeSaid(s.facts, found);
  const fresh = new Set<string>([
    ...merged.tried.filter((t) => !(s.facts.tried ?? []).includes(t)),
    ...merged.clues.filter((c) => !(s.facts.clues ?? []).includes(c)),
  ]);
  Object.assign(s.facts, merged);
  if (fresh.size === 0 || s.phase !== 'guiding') return false;
  const plan = await planCase(turn);
  const open = s.plan[s.index];
  const skipped = new Set(plan.excluded.filter((e) => e.why === 'tried').map((e) => e.step));
  const openDone = open !== undefined && skipped.has(open);
  // Done just now: whether it fixed the error is the question, not a skip.
  const ask = openDone && text !== '' && !saysDoneBefore(text) && readOutcome(text) === null;
  const told = ask ? { ...plan, changes: plan.changes.filter((c) => c.step !== open) } : plan;
  const notes = planNotes(turn, told, fresh);
  replanRest(turn, plan);
  if (ask && open) {
    if (notes.length > 0) turn.say(notes.join('\n'));
    s.askedIfFixed = open;
    turn.say(turn.t('guide.done-ask'));
    return true;
  }
  turn.say(notes.length > 0 ? notes.join('\n') : turn.t('said.noted'));
  if (openDone && open) recordOutcome(turn, open, 'didnt-help');
  return true;
}
