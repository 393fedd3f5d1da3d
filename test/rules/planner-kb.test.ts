import assert from 'node:assert/strict';
import { loadKb } from '../../rules/kb/load';
import type { PlanFacts } from '../../rules/planner/facts';
import { Planner } from '../../rules/planner/planner';

// The committed knowledge base: each on-PC diagnostic fact changes the plan for a real case.
const kb = loadKb();
const planner = new Planner(kb);
const wu = (extra: Partial<PlanFacts> = {}): PlanFacts => ({
  code: '0x80070002',
  subcode: null,
  context: 'windows-update',
  osFamily: 'windows-11',
  osBuild: 22631,
  kb: [],
  ...extra,
});
const ids = async (facts: PlanFacts) => (await planner.plan(facts)).steps.map((s) => s.id);

describe('planner on the knowledge base', () => {
  let baseline: string[];
  before(async () => {
    baseline = await ids(wu());
  });

  it('plans Windows Update 0x80070002 in two parts, destructive steps only for IT and last', async () => {
    const plan = await planner.plan(wu());
    assert.equal(plan.steps.length, 8);
    const tech = plan.technician.map((s) => s.id);
    const firstDestructive = plan.technician.findIndex((s) => s.tier === 6);
    assert.ok(firstDestructive > 0 && plan.technician.slice(firstDestructive).every((s) => s.tier === 6));
    assert.ok(tech.indexOf('reset-update-components') < tech.indexOf('clean-install'));
    for (const id of ['sync-clock', 'reset-update-cache', 'dism-sfc']) assert.ok(baseline.includes(id), id);
  });

  it('low free disk puts the disk step first; plenty of disk removes it', async () => {
    assert.equal((await ids(wu({ freeDiskGb: 4 })))[0], 'check-disk-space');
    assert.ok(!(await ids(wu({ freeDiskGb: 120 }))).includes('check-disk-space'));
  });

  it('clock skew puts the time sync first; a correct clock removes it', async () => {
    assert.equal((await ids(wu({ clockSkewMinutes: 30 })))[0], 'sync-clock');
    assert.ok(!(await ids(wu({ clockSkewMinutes: 0 }))).includes('sync-clock'));
  });

  it('a disabled update service puts the service step first; none disabled removes it', async () => {
    assert.equal((await ids(wu({ disabledServices: ['wuauserv'] })))[0], 'check-update-services');
    assert.ok(!(await ids(wu({ disabledServices: [] }))).includes('check-update-services'));
  });

  it('a pending reboot puts the restart first', async () => {
    const noCode = wu({ code: null });
    assert.notEqual((await ids(noCode))[0], 'restart-and-retry');
    assert.equal((await ids({ ...noCode, pendingReboot: true }))[0], 'restart-and-retry');
  });

  it('third-party antivirus moves its step to the front; none removes it', async () => {
    assert.equal((await ids(wu({ thirdPartyAv: true })))[0], 'third-party-security');
    assert.ok(!(await ids(wu({ thirdPartyAv: false }))).includes('third-party-security'));
  });

  it('explains each change with a reason in every locale', async () => {
    const plan = await planner.plan(wu({ freeDiskGb: 4, clockSkewMinutes: 30 }));
    const promoted = plan.changes.filter((c) => c.type === 'promote');
    assert.deepEqual(promoted.map((c) => c.step).sort(), ['check-disk-space', 'sync-clock']);
    for (const c of promoted) assert.ok(c.reason?.ja && c.reason.en && c.reason.ru, `${c.rule} has a reason`);
  });

  it('leaves out steps that do not apply to the OS', async () => {
    const win7 = await planner.plan(wu({ osFamily: 'windows-7', osBuild: 7601 }));
    assert.ok(win7.excluded.some((e) => e.why === 'os'));
    for (const s of win7.steps) assert.ok(s.os.includes('windows-7'), `${s.id} applies to Windows 7`);
    const ids7 = win7.steps.map((s) => s.id);
    assert.ok(ids7.includes('wu-troubleshooter-legacy') && !ids7.includes('wu-troubleshooter'));
  });

  it('a step that revealed a failing driver brings the driver fix forward', async () => {
    const plan = await ids(wu({ code: '0x80070103', revealed: ['check-update-history:driver-fails'] }));
    assert.equal(plan[0], 'hide-driver-update');
  });

  it('a setup extend code steers the setup plan', async () => {
    const setup = (subcode: string | null) =>
      ids({ ...wu({ context: 'windows-setup', osFamily: 'windows-10', osBuild: 19045 }), subcode });
    const plain = await setup(null);
    assert.equal((await setup('0xa001b'))[0], 'recreate-install-media');
    assert.equal((await setup('0x20009'))[0], 'check-recovery-partition');
    assert.notDeepEqual(plain, await setup('0x20007'));
  });

  it('a named KB brings the manual catalog install to the front', async () => {
    const facts = wu();
    assert.notEqual((await ids(facts))[0], 'manual-catalog-install');
    assert.equal((await ids({ ...facts, kb: ['KB5065687'] }))[0], 'manual-catalog-install');
  });

  it('keeps other contexts free of Windows Update steps', async () => {
    const store = await ids(wu({ context: 'microsoft-store' }));
    assert.ok(store.includes('store-wsreset'));
    assert.ok(!store.includes('reset-update-cache'));
    assert.ok(!store.includes('clean-install'));
  });
});
