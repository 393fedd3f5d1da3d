/**
 * Guiding through the plan, one step at a time: outcomes move through it (Fixed it → resolved, or a
 * verification step first; Didn't help / Skip → next step; a reveal → its target step next), and
 * "back" returns to the previous step or question.
 */

import { DESTRUCTIVE_TIER } from '../rules/planner/planner';
import { handOff, resolveCase } from './case-end';
import { outcomeLabel } from './handoff';
import type { StepOutcome } from './inputs';
import { askContext, askOs } from './questions';
import { canRunForMe } from './run-for-me-offer';
import { showStep } from './triage-flow';
import type { Turn } from './turn';

/** Steps the user said did not help in this case: they are never offered again. */
export function failedSteps(turn: Turn): Set<string> {
  return new Set(turn.state.outcomes.filter((o) => o.outcome === 'didnt-help').map((o) => o.step));
}

/**
 * Puts `stepId` right after the open step (moving it there if it comes later in the plan); false when
 * the step already did not help (it stays out).
 */
function insertNext(turn: Turn, stepId: string): boolean {
  const s = turn.state;
  if (failedSteps(turn).has(stepId)) return false;
  const later = s.plan.slice(s.index + 1).filter((id) => id !== stepId);
  s.plan = [...s.plan.slice(0, s.index + 1), stepId, ...later];
  return true;
}

/** At most this many technician steps are offered as *Run it for me* before the hand-off. */
const MAX_REMOTE_OFFER = 3;

/**
 * When the employee's part has run out: the technician's steps that can run on the employee's PC
 * (a runbook, allowed, enrolled PC), not offered or tried yet.
 */
function remoteOffer(turn: Turn): string[] {
  const s = turn.state;
  const done = new Set([...s.plan, ...s.outcomes.map((o) => o.step)]);
  return (s.technician ?? [])
    .filter((id) => !done.has(id))
    .filter((id) => {
      const step = turn.kb.steps.get(id);
      return step !== undefined && step.tier < DESTRUCTIVE_TIER && canRunForMe(turn, step);
    })
    .slice(0, MAX_REMOTE_OFFER);
}

function advance(turn: Turn): void {
  const s = turn.state;
  s.index += 1;
  // A step that already did not help (it came back through a reveal or a new plan) is passed over.
  const failed = failedSteps(turn);
  while (s.index < s.plan.length && failed.has(s.plan[s.index] ?? '')) s.plan.splice(s.index, 1);
  if (s.index < s.plan.length) {
    showStep(turn);
    return;
  }
  const offer = (s.remoteOffer ?? []).length === 0 ? remoteOffer(turn) : [];
  if (offer.length === 0) {
    handOff(turn, 'plan-exhausted');
    return;
  }
  s.remoteOffer = offer;
  s.plan.push(...offer);
  turn.say(turn.t('plan.remote-offer', { count: offer.length }));
  showStep(turn);
}

export function recordOutcome(turn: Turn, stepId: string, outcome: StepOutcome): void {
  const s = turn.state;
  const step = turn.currentStep();
  if (s.phase !== 'guiding' || !step || step.id !== stepId) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  const revealId = outcome.startsWith('revealed:') ? outcome.slice('revealed:'.length) : null;
  const reveal = revealId ? step.reveals?.find((r) => r.id === revealId) : undefined;
  if (revealId && !reveal) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  turn.closeCard(outcomeLabel(turn, stepId, outcome));
  s.outcomes.push({ step: stepId, outcome, at: turn.now.toISOString() });

  if (outcome === 'fixed') {
    const verify = step.next.success;
    if (verify !== 'done' && turn.kb.steps.has(verify)) {
      insertNext(turn, verify);
      advance(turn);
    } else resolveCase(turn);
    return;
  }
  if (reveal) {
    if (reveal.next === 'handoff') {
      handOff(turn, 'plan-exhausted');
      return;
    }
    if (turn.kb.steps.has(reveal.next) && insertNext(turn, reveal.next)) turn.say(turn.t('guide.revealed'));
  }
  advance(turn);
}

/** "back": the previous step, or the last question asked, or nothing. */
export function goBack(turn: Turn): void {
  const s = turn.state;
  if (s.phase === 'guiding' && s.index > 0) {
    s.index -= 1;
    const previous = s.plan[s.index];
    const last = s.outcomes.map((o) => o.step).lastIndexOf(previous ?? '');
    if (last >= 0) s.outcomes.splice(last, 1);
    showStep(turn);
    return;
  }
  const facts = s.facts;
  if ((s.phase === 'guiding' || s.phase === 'ask-os') && facts.osAsked && s.phase !== 'ask-os') {
    facts.os = null;
    askOs(turn);
    return;
  }
  if ((s.phase === 'guiding' || s.phase === 'ask-os') && facts.contextAsked) {
    facts.context = null;
    if (!facts.os) facts.osAsked = false;
    askContext(turn);
    return;
  }
  turn.say(turn.t('guide.back-none'));
}
