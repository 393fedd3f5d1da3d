import assert from 'node:assert/strict';
import { createKnowledge } from '../../rules/knowledge';
import { type TriageResult, triage } from '../../rules/triage';
import { LOCALES, OS_FAMILIES } from '../../rules/vocabulary';

// Plan review (decision 0038): what a technician signing the plans found wrong, message → plan.
const knowledge = createKnowledge();
const { kb } = knowledge;
const run = (text: string) => triage(knowledge, text, { defaultLocale: 'en' });
const employee = (r: TriageResult) => r.plan.map((s) => s.id);
const technician = (r: TriageResult) => r.technician.map((s) => s.id);
const step = (id: string) => {
  const s = kb.steps.get(id);
  assert.ok(s, `step ${id} exists`);
  return s;
};

describe('plan review: what a technician would not sign', () => {
  it('an app that is not Chrome gets no "Reinstall Chrome" step', async () => {
    for (const os of ['Windows 10 22H2', 'Windows 11 23H2']) {
      const r = await run(`Installing an application fails with error 0x80070002 on ${os}`);
      assert.equal(r.context, 'app-install');
      assert.ok(!employee(r).includes('app-chrome-reinstall'), `${os}: ${employee(r)}`);
      assert.ok(!technician(r).includes('app-chrome-reinstall'), `${os}: ${technician(r)}`);
      assert.ok(employee(r).includes('app-offline-installer'), 'the generic reinstall stays');
    }
  });

  it('Chrome’s own steps stay reachable from the first step, when Chrome is the app that fails', () => {
    const reveal = step('app-retry-installer').reveals?.find((r) => r.next === 'app-chrome-update-check');
    assert.ok(reveal, 'the retry step asks whether it is Chrome’s own update');
    assert.equal(step('app-chrome-update-check').next.failure, 'app-chrome-reinstall');
  });

  it('SCCM: the content source and distribution check is the technician’s, not the employee’s', async () => {
    const r = await run('SCCM Configuration Manager client deployment fails with 0x80070003 on Windows 10');
    assert.equal(r.context, 'sccm');
    assert.deepEqual(employee(r), ['sccm-retry-software-center', 'sccm-clear-client-cache']);
    assert.deepEqual(technician(r), ['sccm-check-content-source']);
  });

  it('no step in the employee’s part is addressed to the technician, in any language', async () => {
    const addressed = /^(for the technician|担当者向け|для специалиста)/i;
    for (const c of kb.contexts)
      for (const osFamily of OS_FAMILIES) {
        const plan = await knowledge.planner.plan({
          code: c.code,
          subcode: null,
          context: c.context,
          osFamily,
          osBuild: null,
          kb: [],
        });
        for (const s of plan.steps)
          for (const locale of LOCALES)
            assert.ok(
              !addressed.test(s.title[locale]),
              `${c.code}/${c.context} ${locale}: ${s.title[locale]}`,
            );
      }
  });

  it('IIS 0x80070003: the Visual Studio virtual directory first, then the physical path, titled without "First"', async () => {
    const r = await run('IIS site returns error 0x80070003 on Windows 10');
    assert.equal(r.context, 'iis');
    assert.deepEqual(employee(r).slice(0, 3), [
      'iis-vs-virtual-directory',
      'iis-check-physical-path',
      'iis-app-pool-permissions',
    ]);
    const ja = await triage(knowledge, 'IIS site returns error 0x80070003 on Windows 10', {
      defaultLocale: 'en',
      locale: 'ja',
    });
    assert.ok(!ja.plan[1]?.title.startsWith('まず'), ja.plan[1]?.title);
  });

  it('no step title claims a position ("First, …", "Next, …"): the same step is first in one plan and second in another', () => {
    // ("Install all pending updates first" — before the upgrade — is not a position in the plan.)
    const ordinal = /^(first|next|then), |^(まず|次に)、|^(сначала|затем) провер/i;
    for (const s of kb.steps.values())
      for (const locale of LOCALES)
        assert.ok(!ordinal.test(s.title[locale]), `${s.id} ${locale}: ${s.title[locale]}`);
  });
});
