import assert from 'node:assert/strict';
import { loadKb } from '../../rules/kb/load';
import type { Order, Step } from '../../rules/kb/schema';
import type { PlanFacts } from '../../rules/planner/facts';
import { DESTRUCTIVE_TIER, MAX_EMPLOYEE_STEPS, type Plan, Planner } from '../../rules/planner/planner';
import { OS_FAMILIES, type OsFamily } from '../../rules/vocabulary';

// The committed knowledge base: plans follow the order each error's own source gives, in two parts.
const kb = loadKb();
const planner = new Planner(kb);
const facts = (extra: Partial<PlanFacts>): PlanFacts => ({
  code: null,
  subcode: null,
  context: null,
  osFamily: 'windows-11',
  osBuild: null,
  kb: [],
  ...extra,
});
const ids = (steps: Step[]) => steps.map((s) => s.id);
const step = (id: string) => {
  const s = kb.steps.get(id);
  assert.ok(s, `step ${id} exists`);
  return s;
};

/** The order's steps an employee would see on `os`, in the order's order. */
function employeeOrder(order: Order, os: OsFamily): string[] {
  return order.steps
    .map((item) => step(item.step))
    .filter((s) => s.part === 'employee' && s.os.includes(os) && s.tier < DESTRUCTIVE_TIER)
    .map((s) => s.id);
}

function assertTwoParts(plan: Plan, what: string): void {
  assert.ok(plan.steps.length <= MAX_EMPLOYEE_STEPS, `${what}: ${plan.steps.length} employee steps`);
  for (const s of plan.steps) assert.equal(s.part, 'employee', `${what}: ${s.id} is a technician step`);
  for (const part of [plan.steps, plan.technician]) {
    const firstDestructive = part.findIndex((s) => s.tier >= DESTRUCTIVE_TIER);
    if (firstDestructive >= 0)
      for (const s of part.slice(firstDestructive))
        assert.ok(s.tier >= DESTRUCTIVE_TIER, `${what}: ${s.id} comes after a destructive step`);
  }
  const all = ids([...plan.steps, ...plan.technician]);
  assert.equal(new Set(all).size, all.length, `${what}: a step is listed twice`);
}

describe('plans in the order the sources give', () => {
  for (const order of kb.orders.filter((o) => o.code !== null))
    it(`${order.code} in ${order.context}: the first steps follow its article`, async () => {
      const os = OS_FAMILIES.filter((family) => employeeOrder(order, family).length > 0).at(-1);
      assert.ok(os, 'the order has employee steps on some Windows');
      const plan = await planner.plan(facts({ code: order.code, context: order.context, osFamily: os }));
      const expected = employeeOrder(order, os).slice(0, 3);
      assert.deepEqual(ids(plan.steps).slice(0, expected.length), expected);
      assert.equal(plan.guidance, 'specific');
      assertTwoParts(plan, `${order.code}/${order.context}`);
    });

  it('every code and context the KB describes gets a two-part plan on every Windows', async () => {
    for (const c of kb.contexts)
      for (const osFamily of OS_FAMILIES) {
        const plan = await planner.plan(facts({ code: c.code, context: c.context, osFamily }));
        assertTwoParts(plan, `${c.code}/${c.context} on ${osFamily}`);
      }
  });

  it('0x80070003 in Windows Update: troubleshooter, cache reset, …, System Restore as the last resort', async () => {
    const plan = await planner.plan(facts({ code: '0x80070003', context: 'windows-update' }));
    assert.deepEqual(ids(plan.steps).slice(0, 3), ['wu-troubleshooter', 'reset-update-cache', 'dism-sfc']);
    assert.ok(!ids(plan.steps).includes('check-wimmount-imagepath'), 'WIMMount only when a log points there');
    assert.ok(!ids(plan.technician).includes('rename-spupdsvc'), 'Spupdsvc only when a log points there');
    assert.ok(ids(plan.technician).includes('system-restore'));
    const late = ids(plan.technician);
    assert.ok(late.indexOf('reset-update-components') < late.indexOf('system-restore'));
  });

  it('0x80070103: retry, troubleshooter and hiding the harmless driver come first on Windows 10 and 11', async () => {
    for (const osFamily of ['windows-10', 'windows-11'] as const) {
      const plan = await planner.plan(facts({ code: '0x80070103', context: 'windows-update', osFamily }));
      assert.deepEqual(ids(plan.steps).slice(0, 3), [
        'pause-resume-updates',
        'wu-troubleshooter',
        'hide-driver-update',
      ]);
      assert.ok(ids(plan.technician).includes('reset-update-components'));
    }
  });

  it('0x80070002 in Windows Update: restart, clock, troubleshooter (初級編) before cache, DISM, catalog, clean boot', async () => {
    const plan = await planner.plan(facts({ code: '0x80070002', context: 'windows-update' }));
    assert.deepEqual(ids(plan.steps).slice(0, 7), [
      'restart-and-retry',
      'sync-clock',
      'wu-troubleshooter',
      'reset-update-cache',
      'dism-sfc',
      'manual-catalog-install',
      'clean-boot',
    ]);
    for (const id of ['reset-this-pc', 'clean-install', 'system-restore', 'in-place-upgrade'])
      assert.ok(ids(plan.technician).includes(id) && !ids(plan.steps).includes(id), id);
  });

  it('Store starts with wsreset, Outlook with the data-file path, IIS with the physical path', async () => {
    const first = async (context: PlanFacts['context']) =>
      (await planner.plan(facts({ code: '0x80070002', context }))).steps[0]?.id;
    assert.equal(await first('microsoft-store'), 'store-wsreset');
    assert.equal(await first('outlook'), 'outlook-check-data-file-path');
    assert.equal(await first('iis'), 'iis-check-physical-path');
  });

  it('a code the KB does not describe gets the generic steps of its context, said as generic', async () => {
    const plan = await planner.plan(facts({ code: '0x8007045b', context: 'windows-update' }));
    assert.equal(plan.guidance, 'generic');
    const generic = kb.orders.find((o) => o.code === null && o.context === 'windows-update');
    assert.ok(generic);
    assert.deepEqual(ids(plan.steps).slice(0, 3), employeeOrder(generic, 'windows-11').slice(0, 3));
    assertTwoParts(plan, 'unknown code');
    const none = await planner.plan(facts({ code: '0x8007045b', context: null }));
    assert.equal(none.guidance, 'none');
  });

  it('no code: seed 002’s checklist order (clock, licence, network …)', async () => {
    const plan = await planner.plan(facts({ context: 'windows-update' }));
    assert.deepEqual(ids(plan.steps).slice(0, 3), ['sync-clock', 'check-activation', 'check-network']);
  });
});

describe('what the user said changes the plan', () => {
  const triedRules = kb.rules.filter((r) => r.event.type === 'skip');
  const values = [...new Set(triedRules.map((r) => r.name.split('-tried-')[1] ?? ''))];

  for (const value of values)
    it(`"already tried: ${value}" leaves out its steps and says why`, async () => {
      const skipped = triedRules
        .filter((r) => r.name.endsWith(`-tried-${value}`))
        .map((r) => r.event.params.step);
      // A case whose plan has the step without the fact.
      const cases = kb.contexts.map((c) => ({ code: c.code, context: c.context }));
      let shown = false;
      for (const c of cases)
        for (const osFamily of OS_FAMILIES) {
          const before = await planner.plan(facts({ ...c, osFamily }));
          const planned = ids([...before.steps, ...before.technician]);
          const hit = skipped.filter((id) => planned.includes(id));
          if (hit.length === 0) continue;
          const after = await planner.plan(facts({ ...c, osFamily, tried: [value as never] }));
          const left = ids([...after.steps, ...after.technician]);
          for (const id of hit) {
            assert.ok(!left.includes(id), `${id} is still planned after "${value}"`);
            assert.ok(after.excluded.some((e) => e.step === id && e.why === 'tried'));
          }
          const reasons = after.changes.filter((ch) => ch.type === 'skip' && hit.includes(ch.step));
          assert.ok(reasons.every((r) => r.reason?.en && r.reason.ja && r.reason.ru));
          shown = true;
        }
      assert.ok(shown, `some plan contains a step that "${value}" skips`);
    });

  const clueRules = kb.rules.filter((r) => r.name.includes('-clue-'));
  for (const rule of clueRules)
    it(`clue rule ${rule.name} moves its step to the front of its part`, async () => {
      const value = rule.name.split('-clue-')[1] ?? '';
      const target = rule.event.params.step;
      const part = step(target).part;
      let shown = false;
      for (const c of kb.contexts)
        for (const osFamily of OS_FAMILIES) {
          if (!step(target).os.includes(osFamily)) continue;
          const f = facts({ code: c.code, context: c.context, osFamily, clues: [value as never] });
          const fired = (await planner.fire(f)).some((x) => x.rule === rule.name);
          if (!fired) continue;
          const plan = await planner.plan(f);
          const list = ids(part === 'employee' ? plan.steps : plan.technician);
          const promotedHere = plan.changes.filter(
            (ch) => ch.type === 'promote' && list.includes(ch.step) && ch.rule.includes('-clue-'),
          );
          // First among the promoted: the promoted steps lead the part in rule order.
          assert.ok(list.indexOf(target) < promotedHere.length, `${target} leads in ${c.code}/${c.context}`);
          shown = true;
        }
      assert.ok(shown, `${rule.name} fires for some described case`);
    });

  it('"clock was wrong" moves the clock ahead of the troubleshooter for 0x80070003', async () => {
    const base = facts({ code: '0x80070003', context: 'windows-update' });
    const before = ids((await planner.plan(base)).steps);
    const after = ids((await planner.plan({ ...base, clues: ['clock-wrong'] })).steps);
    assert.notDeepEqual(after, before);
    assert.equal(after[0], 'sync-clock');
  });

  it('a driver named in a failing 0x80070103 update puts hiding it first', async () => {
    const plan = await planner.plan(
      facts({
        code: '0x80070103',
        context: 'windows-update',
        osFamily: 'windows-10',
        clues: ['driver-named'],
      }),
    );
    assert.equal(plan.steps[0]?.id, 'hide-driver-update');
  });

  it('rules about what the user said are only evaluated when they said it', async () => {
    const quiet = await planner.fire(facts({ code: '0x80070002', context: 'windows-update' }));
    assert.ok(quiet.every((f) => f.event.type !== 'skip' && !f.rule.includes('-clue-')));
  });
});
