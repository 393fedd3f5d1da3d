import assert from 'node:assert/strict';
import type { PlanFacts } from '../../rules/planner/facts';
import { MAX_EMPLOYEE_STEPS, Planner } from '../../rules/planner/planner';
import { buildRuleIndex, candidateRules } from '../../rules/planner/rule-index';
import { is, kbOf, rule, step, text } from '../helpers/kb-fixture';

const SOURCE = [{ seed: '004_545216fe780b5e1b.txt', quote: '0x80070002' }];

const facts = (extra: Partial<PlanFacts> = {}): PlanFacts => ({
  code: '0x80070002',
  subcode: null,
  context: 'windows-update',
  osFamily: null,
  osBuild: null,
  kb: [],
  ...extra,
});

// A chain restart → cache-reset → dism → reset-pc, written out of tier order on purpose.
const steps = [
  step('restart', 0, { failure: 'cache-reset' }),
  step('cache-reset', 3, { failure: 'dism' }),
  step('dism', 2, { failure: 'reset-pc' }),
  step('reset-pc', 6, {}, { os: ['windows-10', 'windows-11'] }),
  step('sync-clock', 1),
  step('disk', 1),
  step('store-reset', 3),
];
const rules = [
  rule('wu-entry', [is('code', '0x80070002'), is('context', 'windows-update')], 'entry', 'restart', 10),
  rule(
    'store-entry',
    [is('code', '0x80070002'), is('context', 'microsoft-store')],
    'entry',
    'store-reset',
    10,
  ),
  rule('skew', [{ fact: 'clockSkewMinutes', operator: 'greaterThan', value: 5 }], 'promote', 'sync-clock', 5),
  rule('low-disk', [{ fact: 'freeDiskGb', operator: 'lessThan', value: 10 }], 'promote', 'disk', 6),
  rule(
    'plenty-disk',
    [{ fact: 'freeDiskGb', operator: 'greaterThanInclusive', value: 10 }],
    'remove',
    'disk',
  ),
  rule('no-reset', [{ fact: 'pendingReboot', operator: 'equal', value: true }], 'remove', 'reset-pc', 2),
  rule(
    'kb-add',
    [is('code', '0x80070002'), { fact: 'kb', operator: 'contains', value: 'KB5065687' }],
    'add',
    'disk',
  ),
];

describe('planner', () => {
  const planner = new Planner(kbOf(steps, rules));
  const ids = async (f: PlanFacts) => (await planner.plan(f)).steps.map((s) => s.id);

  it('walks the failure chain from the entry in graph order: the tier does not reorder it', async () => {
    assert.deepEqual(await ids(facts()), ['restart', 'cache-reset', 'dism', 'reset-pc']);
  });

  it('picks the entry for the context', async () => {
    assert.deepEqual(await ids(facts({ context: 'microsoft-store' })), ['store-reset']);
  });

  it('returns an empty plan when no entry fires', async () => {
    assert.deepEqual(await ids(facts({ code: '0x80070005' })), []);
  });

  it('leaves out steps that do not apply to the OS, and says so', async () => {
    const plan = await planner.plan(facts({ osFamily: 'windows-7' }));
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      ['restart', 'cache-reset', 'dism'],
    );
    assert.deepEqual(plan.excluded, [{ step: 'reset-pc', why: 'os' }]);
  });

  it('promotes a step when a diagnostic fact calls for it, highest priority first', async () => {
    assert.deepEqual(await ids(facts({ clockSkewMinutes: 12 })), [
      'sync-clock',
      'restart',
      'cache-reset',
      'dism',
      'reset-pc',
    ]);
    assert.deepEqual(await ids(facts({ clockSkewMinutes: 12, freeDiskGb: 3 })), [
      'disk',
      'sync-clock',
      'restart',
      'cache-reset',
      'dism',
      'reset-pc',
    ]);
  });

  it('removes a step when a fact rules it out, and removal beats addition', async () => {
    assert.deepEqual(await ids(facts({ pendingReboot: true })), ['restart', 'cache-reset', 'dism']);
    assert.deepEqual(await ids(facts({ kb: ['KB5065687'] })), [
      'restart',
      'cache-reset',
      'dism',
      'disk',
      'reset-pc',
    ]);
    const plan = await planner.plan(facts({ kb: ['KB5065687'], freeDiskGb: 50 }));
    assert.ok(!plan.steps.some((s) => s.id === 'disk'));
    assert.deepEqual(plan.excluded, [{ step: 'disk', why: 'rule' }]);
  });

  it('reports every rule that fired as a change', async () => {
    const plan = await planner.plan(facts({ clockSkewMinutes: 12 }));
    assert.deepEqual(
      plan.changes.map((c) => `${c.type}:${c.step}:${c.rule}`),
      ['entry:restart:wu-entry', 'promote:sync-clock:skew'],
    );
  });

  it('loses no events when runs with several priorities overlap', async () => {
    const variants = Array.from({ length: 60 }, (_, i) =>
      facts(i % 3 === 0 ? { clockSkewMinutes: 30, freeDiskGb: 1 } : i % 3 === 1 ? { freeDiskGb: 99 } : {}),
    );
    const sequential = [];
    for (const f of variants) sequential.push((await planner.plan(f)).steps.map((s) => s.id));
    const concurrent = await Promise.all(
      variants.map(async (f) => (await planner.plan(f)).steps.map((s) => s.id)),
    );
    assert.deepEqual(concurrent, sequential);
  });

  it('starts with the source order, then the chain; a destructive step never comes first', async () => {
    const ordered = new Planner(
      kbOf(steps, rules, {
        orders: [
          {
            code: '0x80070002',
            context: 'windows-update',
            steps: ['reset-pc', 'dism', 'sync-clock'].map((id) => ({ step: id, sources: SOURCE })),
            sources: SOURCE,
          },
        ],
        contexts: [{ code: '0x80070002', context: 'windows-update', summary: text('s'), sources: SOURCE }],
      }),
    );
    const plan = await ordered.plan(facts());
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      ['dism', 'sync-clock', 'restart', 'cache-reset', 'reset-pc'],
    );
    assert.equal(plan.guidance, 'specific');
    assert.equal((await ordered.plan(facts({ code: '0x80070005' }))).guidance, 'generic');
  });

  it('keeps at most 8 steps for the employee; the rest and technician steps form the second part', async () => {
    const many = Array.from({ length: 11 }, (_, i) =>
      step(`s${i}`, 1, { failure: i < 10 ? `s${i + 1}` : 'handoff' }, i === 2 ? { part: 'technician' } : {}),
    );
    const big = new Planner(kbOf(many, [rule('e', [is('code', '0x80070002')], 'entry', 's0')]));
    const plan = await big.plan(facts());
    assert.equal(plan.steps.length, MAX_EMPLOYEE_STEPS);
    assert.ok(plan.steps.every((s) => s.part === 'employee'));
    assert.deepEqual(
      plan.technician.map((s) => s.id),
      ['s9', 's10', 's2'],
    );
  });

  it('a skip event leaves out a step the user already did, with why "tried"', async () => {
    const skipping = new Planner(
      kbOf(steps, [
        ...rules,
        rule('skip-restart', [{ fact: 'tried', operator: 'contains', value: 'restart' }], 'skip', 'restart'),
      ]),
    );
    const plan = await skipping.plan(facts({ tried: ['restart'] }));
    assert.ok(!plan.steps.some((s) => s.id === 'restart'));
    assert.deepEqual(plan.excluded, [{ step: 'restart', why: 'tried' }]);
    assert.ok((await skipping.plan(facts())).steps.some((s) => s.id === 'restart'));
  });

  it('stops a chain that loops back on itself', () => {
    const looping = new Planner(kbOf([step('a', 0, { failure: 'b' }), step('b', 0, { failure: 'a' })], []));
    assert.deepEqual(looping.chain('a'), ['a', 'b']);
  });
});

describe('rule index', () => {
  const index = buildRuleIndex(rules);

  it('files code rules under their code, the rest as global', () => {
    assert.deepEqual(
      index.byCode.get('0x80070002')?.map((r) => r.rule.name),
      ['wu-entry', 'store-entry', 'kb-add'],
    );
    assert.deepEqual(
      index.global.map((r) => r.rule.name),
      ['skew', 'low-disk', 'plenty-disk', 'no-reset'],
    );
  });

  it('offers only the rules that can fire for a code, in KB order', () => {
    const names = candidateRules(index, { code: '0x80070003', context: 'windows-update' }).map(
      (r) => r.rule.name,
    );
    assert.deepEqual(names, ['skew', 'low-disk', 'plenty-disk', 'no-reset']);
  });

  it('files a rule pinned to several codes under each', () => {
    const multi = buildRuleIndex([
      rule('m', [{ fact: 'code', operator: 'in', value: ['0x1', '0x2'] }], 'add', 'disk'),
    ]);
    assert.deepEqual([...multi.byCode.keys()], ['0x1', '0x2']);
  });
});
