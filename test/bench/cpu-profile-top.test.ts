import assert from 'node:assert/strict';
import { topOf } from '../../bench/cpu-profile-top';

/** A V8 .cpuprofile in miniature: frames by id, the sampled leaf of each tick and the ticks' lengths. */
function profile(
  frames: Array<[id: number, functionName: string, url: string, children: number[]]>,
  samples: Array<[id: number, us: number]>,
) {
  return {
    nodes: frames.map(([id, functionName, url, children]) => ({
      id,
      callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
      children,
    })),
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, us]) => us),
    startTime: 0,
    endTime: samples.reduce((a, [, us]) => a + us, 0),
  };
}

describe('bench/cpu-profile-top: who the time on turns belongs to', () => {
  const sampled = profile(
    [
      [1, '(root)', '', [2, 3, 4, 7, 8]],
      [2, '(idle)', '', []],
      [3, '(garbage collector)', '', []],
      [4, 'handle', 'file:///srv/app/bot/bot.ts', [5, 6]],
      [5, 'plan', 'file:///srv/app/rules/planner/planner.ts', []],
      [6, 'evaluate', 'file:///srv/app/node_modules/json-rules-engine/dist/condition.js', []],
      [7, 'Module._load', 'node:internal/modules/cjs/loader', [9]],
      [8, '_parse', 'file:///srv/app/node_modules/zod/v3/types.cjs', []],
      [9, 'stepCard', 'file:///srv/app/connectors/teams/adaptive-cards.ts', []],
    ],
    [
      [2, 5000],
      [3, 1000],
      [4, 1000],
      [5, 2000],
      [6, 1000],
      [9, 4000],
      [8, 5000],
    ],
  );

  it('gives each sample to the code that ran it, and keeps module loading and idle apart from turns', () => {
    const owners = new Map(topOf(sampled, 10).owners.map((o) => [o.owner, o]));
    // 10 ms on turns: bot 1, rules 2, json-rules-engine 1, zod 5, collector 1.
    assert.equal(owners.get('winfix bot/')?.shareOfTurns, 0.1);
    assert.equal(owners.get('winfix rules/')?.shareOfTurns, 0.2);
    assert.equal(owners.get('package json-rules-engine')?.shareOfTurns, 0.1);
    assert.equal(owners.get('package zod')?.shareOfTurns, 0.5);
    assert.equal(owners.get('(garbage collector)')?.shareOfTurns, 0.1);
    // A card drawn while a module loads is start-up, not the connector's cost per turn.
    assert.equal(owners.get('winfix connectors/'), undefined);
    assert.equal(owners.get('(start-up: loading modules)')?.ms, 4);
    assert.equal(owners.get('(start-up: loading modules)')?.shareOfTurns, null);
    assert.equal(owners.get('(idle)')?.shareOfTurns, null);
  });

  it('counts a function once per sampled stack in inclusive time, and its own time in self time', () => {
    const result = topOf(sampled, 20);
    assert.equal(result.totalMs, 19);
    assert.equal(result.inclusive.find((e) => e.name === 'handle')?.ms, 4);
    assert.equal(result.self.find((e) => e.name === 'handle')?.ms, 1);
  });
});
