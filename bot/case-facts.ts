/** The planner's facts for the open case: what the user said, and what diagnostics measured on the PC. */
import { factsFrom } from '../rules/knowledge';
import type { PlanFacts } from '../rules/planner/facts';
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

/** The plan for the current case, for this user (steps needing administrator rights to IT if they cannot). */
export async function planCase(turn: Turn): Promise<Plan> {
  const plan = await turn.deps.knowledge.planner.plan(caseFacts(turn));
  return canRunAsAdmin(turn) === false ? withoutAdminSteps(plan) : plan;
}
