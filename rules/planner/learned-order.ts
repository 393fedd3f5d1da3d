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
import { DESTRUCTIVE_TIER } from './planner';

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
