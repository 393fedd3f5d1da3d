/**
 * Plans that learn (issue 17): the employee part re-ordered by measured success per minute spent,
 * once a step has enough recorded outcomes for the (code, context, OS family). Safety rules:
 * - only steps with at least `minimum` outcomes move, and only into slots held by other measured steps;
 *   every other step keeps its exact position (below the minimum the sources' order stands);
 * - a destructive step (tier ≥ DESTRUCTIVE_TIER) or a technician-part step never moves;
 * - no step is dropped or added: the result is a permutation of the input.
 * Pure: the caller brings the counts (rules/ never reads storage).
 */
import type { Step } from '../kb/schema';
import { DESTRUCTIVE_TIER, type Plan } from './planner';

export interface MeasuredStep {
  /** Cases in which the step was tried (for this code, context and OS family). */
  tried: number;
  /** Of those, the cases it fixed. */
  fixed: number;
}

export interface StepPosition {
  step: string;
  /** Where the position came from: the sources' order, or measured outcomes. */
  from: 'sources' | 'outcomes';
  /** The counts behind a position that came from outcomes ("fixed it for 14 of 20 colleagues"). */
  measured: MeasuredStep | null;
}

export interface LearnedOrder {
  steps: Step[];
  positions: StepPosition[];
}

/** Fixed cases per case tried, per minute the step takes. */
export function successPerMinute(step: Step, m: MeasuredStep): number {
  return m.tried === 0 ? 0 : m.fixed / m.tried / Math.max(1, step.minutes);
}

export function learnedOrder(
  steps: readonly Step[],
  outcomes: ReadonlyMap<string, MeasuredStep>,
  minimum: number,
): LearnedOrder {
  const movable = (s: Step): boolean =>
    s.part === 'employee' && s.tier < DESTRUCTIVE_TIER && (outcomes.get(s.id)?.tried ?? 0) >= minimum;
  const slots = steps.flatMap((s, i) => (movable(s) ? [i] : []));
  const ranked = slots
    .map((i) => steps[i] as Step)
    .map((s, rank) => ({ s, rank, score: successPerMinute(s, outcomes.get(s.id) as MeasuredStep) }))
    .sort((a, b) => b.score - a.score || a.rank - b.rank)
    .map((x) => x.s);
  const result = [...steps];
  slots.forEach((slot, k) => {
    result[slot] = ranked[k] as Step;
  });
  return {
    steps: result,
    positions: result.map((s, i) => {
      const moved = s !== steps[i];
      return {
        step: s.id,
        from: moved ? 'outcomes' : 'sources',
        measured: moved ? (outcomes.get(s.id) ?? null) : null,
      };
    }),
  };
}

/** Which measured outcomes a plan is re-ordered by: the code, where it appeared, and the OS family. */
export interface OutcomeKey {
  code: string;
  context: string | null;
  osFamily: string | null;
}

/**
 * Where the counts come from (storage, in production; rules/ and bot/ only see this port). An
 * implementation that cannot read them returns an empty map: the sources' order then stands.
 */
export interface OutcomeCounts {
  measured(key: OutcomeKey): Promise<ReadonlyMap<string, MeasuredStep>>;
}

/** Learning switched on: the counts, and how many outcomes a step needs before it may move. */
export interface Learning {
  counts: OutcomeCounts;
  minimum: number;
}

export interface LearnedPlan {
  plan: Plan;
  /** Per step of the employee's part, where its position came from. */
  positions: StepPosition[];
}

const fromSources = (plan: Plan): LearnedPlan => ({
  plan,
  positions: plan.steps.map((s) => ({ step: s.id, from: 'sources', measured: null })),
});

/**
 * The plan with its employee part in learned order. The technician's part is never touched; without
 * learning, a code, or enough outcomes, the plan is returned as the sources ordered it.
 */
export async function learnPlan(
  plan: Plan,
  facts: { code: string | null; context: string | null; osFamily: string | null },
  learning: Learning | null | undefined,
): Promise<LearnedPlan> {
  if (!learning || learning.minimum <= 0 || !facts.code || plan.steps.length < 2) return fromSources(plan);
  const outcomes = await learning.counts.measured({
    code: facts.code,
    context: facts.context,
    osFamily: facts.osFamily,
  });
  if (outcomes.size === 0) return fromSources(plan);
  const learned = learnedOrder(plan.steps, outcomes, learning.minimum);
  return { plan: { ...plan, steps: learned.steps }, positions: learned.positions };
}
