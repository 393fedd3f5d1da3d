/**
 * Triage: from the facts of a message to a plan. Explains the code, asks only for what is missing
 * (context, then OS), plans, and shows the first step.
 */

import type { Plan } from '../rules/planner/planner';
import { servicingNotice, servicingStatus } from '../rules/servicing';
import { explainCode, inferContext } from '../rules/triage';
import type { Clue, Context, OsInfo, OsTarget, Tried } from '../rules/vocabulary';
import { canRunAsAdmin, needsAdmin, withoutAdminSteps } from './admin-rights';
import { handOff } from './case-end';
import { keepLearned, learnedCasePlan } from './case-facts';
import { type CaseFacts, emptyFacts } from './conversation-state';
import { extendCodeLines } from './extend-codes';
import { askAdmin, askContext, askOs } from './questions';
import { stepCard } from './step-card';
import type { Turn } from './turn';

/** What a message said (see rules/understand). */
export interface Found {
  codes: string[];
  subcodes: string[];
  kb: string[];
  context: Context | null;
  os: OsInfo | null;
  tried?: Tried[];
  clues?: Clue[];
  target?: OsTarget | null;
  /** Codes read from a typo, said back to the user so they can correct it. */
  corrections?: { written: string; code: string }[];
}

const union = <T>(a: T[], b: T[]) => [...new Set([...a, ...b])];

/** The facts' tried / clues / target with what a message said added. */
export function mergeSaid(facts: CaseFacts, found: Pick<Found, 'tried' | 'clues' | 'target'>) {
  return {
    tried: union(facts.tried ?? [], found.tried ?? []),
    clues: union(facts.clues ?? [], found.clues ?? []),
    target: found.target ?? facts.target ?? null,
  };
}

/** Starts a case for the first code of the message and queues the others. */
export async function startTriage(turn: Turn, found: Found): Promise<void> {
  const s = turn.state;
  // Facts told before the code ("Windows Update is broken" … "0x80070002") still count.
  const before = s.phase === 'idle' && s.facts.code === null ? s.facts : emptyFacts();
  const [code, ...rest] = found.codes;
  // Codes still waiting (held while a technician had a case) stay queued behind the new ones.
  const queue = [...new Set([...rest, ...before.queue])].filter((c) => c !== code);
  s.facts = emptyFacts({
    code: code ?? null,
    queue,
    startedAt: before.startedAt ?? turn.now.toISOString(),
    subcodes: found.subcodes.length > 0 ? found.subcodes : before.subcodes,
    kb: union(before.kb, found.kb),
    statedContext: found.context ?? before.statedContext,
    os: found.os ?? s.facts.os,
    ...mergeSaid(s.facts, found),
  });
  s.plan = [];
  delete s.learned;
  s.index = 0;
  s.outcomes = [];
  s.pending = null;
  for (const c of found.corrections ?? [])
    turn.say(turn.t('triage.corrected', { written: c.written, code: c.code }));
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
    meaning: [e.meaning, ...extendCodeLines(turn)].join('\n'),
    contextNote: contextNote(turn),
    heading: e.name ? `${e.code} — ${e.name} (${e.facility})` : `${e.code} (${e.facility})`,
  });
}

/** Asks the next missing fact, or plans when nothing is missing. */
export async function continueTriage(turn: Turn): Promise<void> {
  const facts = turn.state.facts;
  facts.startedAt ??= turn.now.toISOString();
  if (!facts.context && !facts.contextAsked) return askContext(turn);
  if (!facts.os && !facts.osAsked) return askOs(turn);
  await makePlan(turn);
}

export async function makePlan(turn: Turn): Promise<void> {
  const s = turn.state;
  const { plan: full, learned } = await learnedCasePlan(turn);
  // Whether the user can run things as administrator matters only when the plan has such steps.
  const canAdmin = canRunAsAdmin(turn);
  if (canAdmin === null && needsAdmin(full)) return askAdmin(turn);
  const plan = canAdmin === false ? withoutAdminSteps(full) : full;
  const moved = canAdmin === false && needsAdmin(full);
  s.plan = plan.steps.map((step) => step.id);
  s.technician = plan.technician.map((step) => step.id);
  s.remoteOffer = [];
  s.index = 0;
  s.outcomes = [];
  keepLearned(turn, learned);
  // A PC that no longer gets updates is the bigger problem: said before the steps.
  const servicing = servicingNotice(servicingStatus(turn.kb.releases, s.facts.os, turn.now), turn.locale);
  const notes = [
    ...(servicing ? [servicing] : []),
    ...planNotes(turn, plan),
    ...(moved ? [turn.t('plan.admin-moved')] : []),
  ];
  if (s.plan.length === 0) {
    for (const note of notes) turn.say(note);
    turn.say(turn.t(s.technician.length > 0 ? 'plan.technician-only' : 'plan.empty'));
    handOff(turn, 'no-plan');
    return;
  }
  const intro = turn.t(s.technician.length > 0 ? 'plan.intro.two-parts' : 'plan.intro', {
    count: s.plan.length,
  });
  turn.say([...notes, intro].join('\n'));
  showStep(turn);
}

/**
 * What to tell the user before the steps: that there is no specific guidance (generic steps), which
 * steps are skipped because they already did them, and which moved up because of what they said.
 */
export function planNotes(turn: Turn, plan: Plan, only?: ReadonlySet<string>): string[] {
  const { code, context } = turn.state.facts;
  const notes: string[] = [];
  // Rules about what the user said are named skip-<step>-tried-<value> / promote-<step>-clue-<value>.
  const wanted = (rule: string) =>
    !only || [...only].some((v) => rule.endsWith(`-tried-${v}`) || rule.endsWith(`-clue-${v}`));
  if (!only && plan.guidance === 'generic' && code && context)
    notes.push(turn.t('plan.generic', { code, context: turn.t(`context.${context}`) }));
  if (!only && plan.guidance === 'family' && code && plan.family)
    notes.push(turn.t('plan.family', { code, name: plan.family.name, what: plan.family.label[turn.locale] }));
  const said = new Set<string>();
  const tell = (reason: string | undefined) => {
    if (!reason || said.has(reason)) return;
    said.add(reason);
    notes.push(reason);
  };
  const skipped = new Set(plan.excluded.filter((e) => e.why === 'tried').map((e) => e.step));
  const planned = new Set([...plan.steps, ...plan.technician].map((s) => s.id));
  for (const change of plan.changes) {
    if (!wanted(change.rule)) continue;
    if (change.type === 'skip' && skipped.has(change.step)) tell(change.reason?.[turn.locale]);
    if (change.type === 'promote' && change.rule.includes('-clue-') && planned.has(change.step))
      tell(change.reason?.[turn.locale]);
  }
  return notes;
}

export function showStep(turn: Turn): void {
  const s = turn.state;
  const step = turn.currentStep();
  if (!step) {
    handOff(turn, 'plan-exhausted');
    return;
  }
  s.phase = 'guiding';
  const offered = s.remoteOffer ?? [];
  if (offered.includes(step.id)) {
    turn.card(stepCard(turn, step, offered.indexOf(step.id) + 1, offered.length, 'remote-only'));
    return;
  }
  const own = s.plan.filter((id) => !offered.includes(id));
  turn.card(stepCard(turn, step, own.indexOf(step.id) + 1, own.length));
}
