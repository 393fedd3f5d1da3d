/**
 * What the user says mid-case about what they already did or noticed ("already rebooted", "the PST is
 * on the NAS") re-plans the rest of the case: steps they already did are skipped with one line saying
 * so (the open one counts as "didn't help"), clues move their steps up. Steps already done stay done.
 */

import { planCase } from './case-facts';
import { recordOutcome } from './guide-flow';
import { replanRest } from './replan';
import { type Found, mergeSaid, planNotes } from './triage-flow';
import type { Turn } from './turn';

/** True when the message said something new the plan can use (and the bot answered it). */
export async function applySaid(turn: Turn, found: Found): Promise<boolean> {
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
  const notes = planNotes(turn, plan, fresh);
  replanRest(turn, plan);
  if (notes.length > 0) turn.say(notes.join('\n'));
  else turn.say(turn.t('said.noted'));
  if (open && skipped.has(open)) recordOutcome(turn, open, 'didnt-help');
  return true;
}
