import assert from 'node:assert/strict';
import { loadKb } from '../../rules/kb/load';
import type { Step } from '../../rules/kb/schema';
import { learnedOrder, type MeasuredStep } from '../../rules/planner/learned-order';
import { DESTRUCTIVE_TIER } from '../../rules/planner/planner';

const kb = loadKb();
const base = [...kb.steps.values()].find((s) => s.part === 'employee' && s.tier < DESTRUCTIVE_TIER) as Step;

/** A KB step under another id, with the minutes, tier and part a case needs. */
function step(id: string, minutes: number, over: Partial<Step> = {}): Step {
  return { ...base, id, minutes, ...over };
}

/** A synthetic history: `fixed` of `tried` cases per step id. */
const history = (counts: Record<string, [number, number]>): Map<string, MeasuredStep> =>
  new Map(Object.entries(counts).map(([id, [fixed, tried]]) => [id, { fixed, tried }]));

const ids = (steps: Step[]) => steps.map((s) => s.id);

describe('plans that learn (learned order)', () => {
  const plan = [step('restart', 5), step('wu-reset', 15), step('sfc', 20), step('dism', 30)];

  it('re-orders measured steps by success per minute and says the position came from outcomes', () => {
    // restart: 2/20 in 5 min = 0.02/min; wu-reset: 14/20 in 15 min ≈ 0.047/min; sfc 6/20 in 20 = 0.015.
    const learned = learnedOrder(plan, history({ restart: [2, 20], 'wu-reset': [14, 20], sfc: [6, 20] }), 20);
    assert.deepEqual(ids(learned.steps), ['wu-reset', 'restart', 'sfc', 'dism']);
    assert.deepEqual(learned.positions[0], {
      step: 'wu-reset',
      from: 'outcomes',
      measured: { fixed: 14, tried: 20 },
    });
    assert.equal(learned.positions[2]?.from, 'sources', 'sfc stayed where the sources put it');
    assert.equal(learned.positions[3]?.from, 'sources', 'dism has no outcomes');
  });

  it('keeps the sources order below the minimum', () => {
    const learned = learnedOrder(plan, history({ restart: [0, 19], 'wu-reset': [19, 19] }), 20);
    assert.deepEqual(ids(learned.steps), ids(plan));
    assert.ok(learned.positions.every((p) => p.from === 'sources'));
    // One more case each and the same history re-orders.
    assert.deepEqual(
      ids(learnedOrder(plan, history({ restart: [0, 20], 'wu-reset': [20, 20] }), 20).steps).slice(0, 2),
      ['wu-reset', 'restart'],
    );
  });

  it('never moves a destructive or technician-part step, never drops one', () => {
    const risky = [
      step('restart', 5),
      step('registry', 10, { part: 'technician' }),
      step('sfc', 20),
      step('reset-pc', 60, { tier: DESTRUCTIVE_TIER }),
    ];
    const learned = learnedOrder(
      risky,
      history({ restart: [1, 50], registry: [50, 50], sfc: [40, 50], 'reset-pc': [50, 50] }),
      20,
    );
    assert.deepEqual(ids(learned.steps), ['sfc', 'registry', 'restart', 'reset-pc']);
    assert.deepEqual([...ids(learned.steps)].sort(), [...ids(risky)].sort());
  });
});
