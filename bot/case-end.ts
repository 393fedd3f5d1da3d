/** How a case ends: resolved (a step fixed it) or handed off; then the next queued code is offered. */
import {
  type CaseRecord,
  casesClosed,
  emptyFacts,
  type HandoffReason,
  MAX_HISTORY,
  saidFacts,
} from './conversation-state';
import { handoffMessage, triedSteps } from './handoff';
import { askBuild, offerNextCode } from './questions';
import { ticketOnHandoff } from './ticket-on-handoff';
import type { Turn } from './turn';

/**
 * The step that fixed it: the first of the trailing run of "fixed" outcomes (a verification step that
 * follows a fix confirms it; it did not fix it itself).
 */
export function fixingStep(turn: Turn): string | null {
  const outcomes = turn.state.outcomes;
  let first: string | null = null;
  for (let i = outcomes.length - 1; i >= 0 && outcomes[i]?.outcome === 'fixed'; i--)
    first = outcomes[i]?.step ?? null;
  return first;
}

/**
 * Records the case in the history, clears it, and offers the next queued code if any. `hold`: the
 * queued codes wait (the user asked for a person: no self-service until they write again).
 */
export function finishCase(
  turn: Turn,
  result: CaseRecord['result'],
  fixedBy: string | null = null,
  hold = false,
): void {
  const s = turn.state;
  s.casesClosed = casesClosed(s) + 1;
  s.history.push({
    code: s.facts.code,
    result,
    fixedBy,
    outcomes: s.outcomes,
    context: s.facts.context,
    os: s.facts.os,
    at: turn.now.toISOString(),
  });
  if (s.history.length > MAX_HISTORY) s.history.splice(0, s.history.length - MAX_HISTORY);
  const { queue, statedContext, os } = s.facts;
  s.plan = [];
  s.technician = [];
  s.remoteOffer = [];
  delete s.learned;
  s.index = 0;
  s.outcomes = [];
  s.pending = null;
  s.phase = 'idle';
  if (result === 'abandoned') {
    s.facts = emptyFacts({ os, ...saidFacts(s.facts) });
    return;
  }
  const next = queue[0];
  s.facts = emptyFacts(
    next ? { queue, statedContext, os, ...saidFacts(s.facts) } : { os, ...saidFacts(s.facts) },
  );
  if (next && !hold) offerNextCode(turn, next);
}

export function resolveCase(turn: Turn): void {
  const s = turn.state;
  const fixedBy = fixingStep(turn) ?? s.plan[s.index] ?? '';
  const title = turn.stepTitle(fixedBy);
  const code = s.facts.code;
  turn.emit({
    kind: 'summary',
    code,
    fixedBy: { stepId: fixedBy, title },
    tried: triedSteps(turn),
    text: code ? turn.t('resolved', { step: title, code }) : turn.t('resolved.no-code', { step: title }),
  });
  const more = s.facts.queue.length > 0;
  finishCase(turn, 'resolved', fixedBy);
  if (!more) turn.say(turn.t('closing'));
}

/**
 * Hands the case to a technician. When only the Windows family is known, the build is asked first
 * (once per conversation; "I don't know" hands off without it), as technicians need it.
 */
export function handOff(turn: Turn, reason: HandoffReason): void {
  const facts = turn.state.facts;
  if (facts.os && !facts.os.version && !facts.os.build && !turn.state.buildAsked) {
    turn.state.buildAsked = true;
    facts.handoffAfterBuild = reason;
    turn.closeCard(turn.t('answer.handoff'));
    askBuild(turn);
    return;
  }
  facts.handoffAfterBuild = null;
  turn.closeCard(turn.t('answer.handoff'));
  const message = handoffMessage(turn, reason);
  turn.emit(message);
  ticketOnHandoff(turn, reason, message);
  const held = reason === 'user-asked' ? facts.queue : [];
  finishCase(turn, 'handed-off', null, held.length > 0);
  if (held.length > 0) turn.say(turn.t('handoff.held', { codes: held.join(', ') }));
}
