/** The planner's facts for the open case: what the user said, and what diagnostics measured on the PC. */
import { factsFrom } from '../rules/knowledge';
import type { PlanFacts } from '../rules/planner/facts';
import { learnPlan } from '../rules/planner/learned-order';
import type { Plan } from '../rules/planner/planner';
import { canRunAsAdmin, withoutAdminSteps } from './admin-rights';
import type { Turn } from './turn';

/** The planner's facts for the current case, with the diagnostics when there are any. */
export function caseFacts(turn: Turn): PlanFacts {
  const { code, context, subcodes, kb, os, tried, clues } = turn.state.facts;
  const facts = { ...factsFrom({ subcodes, kb, os }, code, context), tried: tried ?? [], clues: clues ?? [] };
  const d = turn.state.diagnostics;
  if (!d) return facts;
  const { computer: _c, at: _a, osBuild, ...measured } = d;
  return { ...facts, ...measured, osBuild: facts.osBuild ?? osBuild ?? null };
}

/**
 * The planner's plan for the current case, its employee part in learned order when measured outcomes
 * say so; the steps that moved, with their counts, in `learned` (for the step card).
 */
export async function learnedCasePlan(
  turn: Turn,
): Promise<{ plan: Plan; learned: Record<string, { tried: number; fixed: number }> }> {
  const facts = caseFacts(turn);
  const sources = await turn.deps.knowledge.planner.plan(facts);
  const { plan, positions } = await learnPlan(sources, facts, turn.deps.learning);
  const learned: Record<string, { tried: number; fixed: number }> = {};
  for (const p of positions) if (p.from === 'outcomes' && p.measured) learned[p.step] = { ...p.measured };
  return { plan, learned };
}

/** Keeps what moved the plan's steps, for their cards; none moved: nothing kept. */
export function keepLearned(turn: Turn, learned: Record<string, { tried: number; fixed: number }>): void {
  if (Object.keys(learned).length > 0) turn.state.learned = learned;
  else delete turn.state.learned;
}

/** The plan for the current case, for this user (steps needing administrator rights to IT if they cannot). */
export async function planCase(turn: Turn): Promise<Plan> {
  const { plan, learned } = await learnedCasePlan(turn);
  keepLearned(turn, { ...turn.state.learned, ...learned });
  return canRunAsAdmin(turn) === false ? withoutAdminSteps(plan) : plan;
}
