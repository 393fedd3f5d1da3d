/**
 * Planner cost at 100, 1,000 and 10,000 synthetic rules, next to a plain json-rules-engine Engine
 * holding the same rules. Target: at 10,000 rules within 2× the planner's 100-rule cost.
 */
import { Engine } from 'json-rules-engine';
import { type KnowledgeBase, knowledgeBaseOf } from '../rules/kb/load';
import type { Rule, Step } from '../rules/kb/schema';
import type { PlanFacts } from '../rules/planner/facts';
import { Planner } from '../rules/planner/planner';
import { ms, saveResult, type Timing, time } from './measure';

const RULES_PER_CODE = 10;
const STEPS = 50;
const SOURCE = [{ seed: '004_545216fe780b5e1b.txt', quote: '0x80070002' }];
const txt = { ja: 'テスト', en: 'test', ru: 'тест' };

function syntheticStep(i: number): Step {
  return {
    id: `s${i}`,
    title: txt,
    why: txt,
    instructions: { ja: ['テスト'], en: ['test'], ru: ['тест'] },
    commands: [],
    risk: 'low',
    tier: i % 7,
    admin: false,
    reboot: false,
    minutes: 1,
    os: ['windows-10', 'windows-11'],
    runbook: null,
    part: 'employee',
    next: { success: 'done', failure: i + 1 < STEPS ? `s${i + 1}` : 'handoff' },
    sources: SOURCE,
  };
}

/** Rules spread over codes, RULES_PER_CODE each: an entry, adds on disk/skew facts, a removal. */
function syntheticRules(count: number): Rule[] {
  return Array.from({ length: count }, (_, i) => {
    const code = `0x8007${(Math.floor(i / RULES_PER_CODE) % 0x10000).toString(16).padStart(4, '0')}`;
    const kind = i % RULES_PER_CODE;
    const conditions = {
      all: [
        { fact: 'code', operator: 'equal', value: code },
        { fact: 'context', operator: 'in', value: ['windows-update', 'windows-setup'] },
        kind % 2 === 0
          ? { fact: 'freeDiskGb', operator: 'lessThan', value: 5 + kind }
          : { fact: 'clockSkewMinutes', operator: 'greaterThan', value: kind },
      ],
    };
    const type = kind === 0 ? 'entry' : kind === 9 ? 'remove' : kind % 3 === 0 ? 'promote' : 'add';
    return {
      name: `r${i}`,
      priority: 1 + (kind % 4),
      conditions,
      event: { type, params: { step: `s${(i * 7) % STEPS}` } },
      sources: SOURCE,
    } as Rule;
  });
}

function kbWith(rules: Rule[]): KnowledgeBase {
  const steps = Array.from({ length: STEPS }, (_, i) => syntheticStep(i));
  return knowledgeBaseOf({ steps: new Map(steps.map((s) => [s.id, s])), rules });
}

const facts: PlanFacts = {
  code: '0x80070003',
  subcode: null,
  context: 'windows-update',
  osFamily: 'windows-11',
  osBuild: 22631,
  kb: [],
  freeDiskGb: 4,
  clockSkewMinutes: 20,
};

export async function rulesScalingBench(): Promise<void> {
  const rows: { rules: number; planner: Timing; plain: Timing }[] = [];
  for (const count of [100, 1_000, 10_000]) {
    const rules = syntheticRules(count);
    const planner = new Planner(kbWith(rules));
    const plannerTiming = await time(() => planner.plan(facts), 300);
    const engine = new Engine(
      rules.map((r) => ({
        name: r.name,
        priority: r.priority,
        conditions: r.conditions as never,
        event: r.event,
      })),
      { allowUndefinedFacts: true },
    );
    const plainTiming = await time(() => engine.run({ ...facts }), count >= 10_000 ? 5 : 50, 1);
    rows.push({ rules: count, planner: plannerTiming, plain: plainTiming });
  }
  const base = rows[0]?.planner.meanMs ?? Number.NaN;
  console.log('\nRules scaling (mean ms per run)');
  console.log('rules    planner   plain-engine   plain/planner   planner vs 100 rules');
  for (const r of rows)
    console.log(
      `${String(r.rules).padEnd(8)} ${ms(r.planner.meanMs).padStart(7)}   ${ms(r.plain.meanMs).padStart(12)}   ` +
        `${(r.plain.meanMs / r.planner.meanMs).toFixed(1).padStart(12)}×   ${(r.planner.meanMs / base).toFixed(2)}× (target ≤ 2×)`,
    );
  saveResult('rules-scaling', { rows });
}
