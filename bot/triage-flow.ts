/**
 * Triage: from the facts of a message to a plan. Explains the code, asks only for what is missing
 * (context, then OS), plans, and shows the first step.
 */
import { explainCode, inferContext } from '../rules/triage';
import type { Context, OsInfo } from '../rules/vocabulary';
import { handOff } from './case-end';
import { emptyFacts } from './conversation-state';
import { askContext, askOs } from './questions';
import { caseFacts } from './remote-diagnostics';
import { stepCard } from './step-card';
import type { Turn } from './turn';

/** What a message said (see rules/understand). */
export interface Found {
  codes: string[];
  subcodes: string[];
  kb: string[];
  context: Context | null;
  os: OsInfo | null;
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** Starts a case for the first code of the message and queues the others. */
export async function startTriage(turn: Turn, found: Found): Promise<void> {
  const s = turn.state;
  // Facts told before the code ("Windows Update is broken" … "0x80070002") still count.
  const before = s.phase === 'idle' && s.facts.code === null ? s.facts : emptyFacts();
  const [code, ...queue] = found.codes;
  s.facts = emptyFacts({
    code: code ?? null,
    queue,
    subcodes: found.subcodes.length > 0 ? found.subcodes : before.subcodes,
    kb: union(before.kb, found.kb),
    statedContext: found.context ?? before.statedContext,
    os: found.os ?? s.facts.os,
  });
  s.plan = [];
  s.index = 0;
  s.outcomes = [];
  s.pending = null;
  if (found.codes.length > 1)
    turn.say(turn.t('triage.several', { codes: found.codes.join(', '), first: code ?? '' }));
  await beginCase(turn);
}

/** Explains the current code and goes on to whatever is missing. */
export async function beginCase(turn: Turn): Promise<void> {
  const facts = turn.state.facts;
  facts.context = facts.statedContext ?? inferContext(turn.kb, facts.code, facts.subcodes);
  if (facts.code) explainCurrentCode(turn);
  await continueTriage(turn);
}

export function contextNote(turn: Turn): string | null {
  const { code, context } = turn.state.facts;
  if (!code || !context) return null;
  const entry = turn.kb.contexts.find((c) => c.code === code && c.context === context);
  return entry?.summary[turn.locale] ?? null;
}

function explainCurrentCode(turn: Turn): void {
  const code = turn.state.facts.code;
  if (!code) return;
  const e = explainCode(turn.kb, code, turn.locale);
  turn.emit({
    kind: 'code',
    code: e.code,
    name: e.name,
    facility: e.facility,
    known: e.known,
    meaning: e.meaning,
    contextNote: contextNote(turn),
    heading: e.name ? `${e.code} — ${e.name} (${e.facility})` : `${e.code} (${e.facility})`,
  });
}

/** Asks the next missing fact, or plans when nothing is missing. */
export async function continueTriage(turn: Turn): Promise<void> {
  const facts = turn.state.facts;
  if (!facts.context && !facts.contextAsked) return askContext(turn);
  if (!facts.os && !facts.osAsked) return askOs(turn);
  await makePlan(turn);
}

export async function makePlan(turn: Turn): Promise<void> {
  const s = turn.state;
  const plan = await turn.deps.knowledge.planner.plan(caseFacts(turn));
  s.plan = plan.steps.map((step) => step.id);
  s.index = 0;
  s.outcomes = [];
  if (s.plan.length === 0) {
    turn.say(turn.t('plan.empty'));
    handOff(turn, 'no-plan');
    return;
  }
  turn.say(turn.t('plan.intro', { count: s.plan.length }));
  showStep(turn);
}

export function showStep(turn: Turn): void {
  const s = turn.state;
  const step = turn.currentStep();
  if (!step) {
    handOff(turn, 'plan-exhausted');
    return;
  }
  s.phase = 'guiding';
  turn.card(stepCard(turn, step, s.index + 1, s.plan.length));
}
