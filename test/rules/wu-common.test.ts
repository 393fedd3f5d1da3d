import assert from 'node:assert/strict';
import { checkFamilies, familyOf } from '../../rules/kb/families';
import { knowledgeBaseOf, loadKb } from '../../rules/kb/load';
import type { Citation, Family } from '../../rules/kb/schema';
import { createKnowledge } from '../../rules/knowledge';
import type { PlanFacts } from '../../rules/planner/facts';
import { Planner } from '../../rules/planner/planner';
import { triage } from '../../rules/triage';

// Issue 18: specific guidance for the common Windows Update, servicing and upgrade codes, and the
// family plan for codes the base does not list but whose facility and range it knows.
const kb = loadKb();
const planner = new Planner(kb);
const knowledge = createKnowledge();
const facts = (extra: Partial<PlanFacts>): PlanFacts => ({
  code: null,
  subcode: null,
  context: null,
  osFamily: 'windows-11',
  osBuild: null,
  kb: [],
  ...extra,
});
const MICROSOFT = /^https:\/\/(learn|support)\.microsoft\.com\//;
const cited = (sources: Citation[], phrase: RegExp) =>
  sources.some((s) => 'url' in s && MICROSOFT.test(s.url) && phrase.test(s.quote ?? ''));

/** What the code says, and the first steps that must follow from it (employee part, Windows 11). */
const FIRST_STEPS: [code: string, context: PlanFacts['context'], first: string[], quote: RegExp][] = [
  ['0x80070422', 'windows-update', ['check-update-services'], /Windows Update service/],
  ['0x8024402c', 'windows-update', ['check-update-source', 'check-proxy-vpn-firewall'], /cannot be resolved/],
  ['0x8024401b', 'windows-update', ['check-proxy-vpn-firewall'], /proxy/],
  ['0x80244018', 'windows-update', ['check-proxy-vpn-firewall'], /proxy server/],
  ['0x80072ee2', 'windows-update', ['check-network', 'check-update-source'], /connectivity issue/],
  [
    '0x80072efe',
    'windows-update',
    ['check-proxy-vpn-firewall', 'check-network'],
    /firewall rules or proxies/,
  ],
  ['0x80246008', 'windows-update', ['check-update-services', 'reset-update-cache'], /BITS/],
  ['0x80240022', 'windows-update', ['third-party-security'], /antivirus/],
  ['0x80242006', 'windows-update', ['reset-update-cache'], /Rename the software redistribution folder/],
  ['0x800f081f', 'windows-update', ['dism-sfc', 'manual-catalog-install'], /Restorehealth/],
  ['0x80073712', 'windows-update', ['dism-sfc'], /component store/],
  ['0x80070643', 'windows-update', ['check-winre-update'], /250 MB of free space in the recovery partition/],
  ['0x800f0922', 'windows-update', ['check-update-history'], /code d’erreur 0x800f0922/],
  [
    '0x8007000d',
    'windows-update',
    ['reset-update-cache', 'manual-catalog-install'],
    /isn't valid was downloaded/,
  ],
  ['0x800f0831', 'windows-update', ['dism-sfc', 'check-update-history'], /CBS store is corrupted/],
  ['0x80070020', 'windows-update', ['clean-boot'], /filter drivers/],
  ['0x80070020', 'windows-setup', ['clean-boot'], /clean boot/],
  [
    '0xc1900101',
    'windows-setup',
    ['remove-external-devices', 'update-driver-from-vendor'],
    /incompatible driver/,
  ],
  ['0xc1900208', 'windows-setup', ['uninstall-incompatible-app'], /Uninstall the application/],
  ['0xc1900200', 'windows-setup', ['check-system-requirements'], /minimum system requirements/],
  ['0xc1900107', 'windows-setup', ['restart-and-retry'], /reboot is required/],
  ['0xc190020e', 'windows-setup', ['check-disk-space'], /enough free space/],
  ['0x80070070', 'windows-setup', ['check-disk-space'], /enough free space/],
];

describe('common Windows Update, servicing and upgrade codes (issue 18)', () => {
  for (const [code, context, first, quote] of FIRST_STEPS)
    it(`${code} in ${context}: starts with ${first.join(', ')}, cited from Microsoft`, async () => {
      const plan = await planner.plan(facts({ code, context }));
      assert.equal(plan.guidance, 'specific');
      assert.deepEqual(
        plan.steps.slice(0, first.length).map((s) => s.id),
        first,
      );
      const entry = kb.contexts.find((c) => c.code === code && c.context === context);
      assert.ok(entry && cited(entry.sources, quote), `${code}/${context}: a Microsoft quote says why`);
      const item = plan.order?.steps.find((s) => s.step === first[0]);
      assert.ok(item && cited(item.sources, quote), `${first[0]} is in ${code}'s order with the quote`);
    });

  it('0x80070643: the recovery-partition fix is the technician’s, reached from the WinRE check', async () => {
    const plan = await planner.plan(facts({ code: '0x80070643', context: 'windows-update' }));
    const winre = plan.technician.find((s) => s.id === 'winre-partition-space');
    assert.ok(winre, 'in the technician part');
    assert.equal(winre.risk, 'high');
    assert.ok(cited(winre.sources, /resize your partition/));
    const check = kb.steps.get('check-winre-update');
    assert.equal(check?.reveals?.[0]?.next, 'winre-partition-space');
  });

  it('KB5034441 named with 0x80070643: the WinRE check still comes before the catalog install', async () => {
    for (const text of [
      'Windows Update KB5034441 fails with 0x80070643 on Windows 10 22H2',
      'Windows 10 22H2 で KB5034441 が 0x80070643 で失敗します',
    ]) {
      const r = await triage(knowledge, text, { defaultLocale: 'en' });
      assert.deepEqual(r.kb, ['KB5034441']);
      assert.deepEqual(
        r.plan.slice(0, 2).map((p) => p.id),
        ['check-winre-update', 'manual-catalog-install'],
        text,
      );
    }
  });

  it('every new code’s entry and context cite a Microsoft page with a quote, in ja, en and ru', () => {
    const described = new Set(FIRST_STEPS.map(([code]) => code));
    for (const code of described) {
      const entry = kb.errors.get(code);
      assert.ok(entry, `${code} has an error entry`);
      assert.ok(entry.sources.every((s) => 'url' in s && MICROSOFT.test(s.url) && s.quote));
      for (const text of [entry.meaning.ja, entry.meaning.en, entry.meaning.ru]) assert.ok(text.length > 10);
    }
  });

  it('a described code in a family’s range keeps its own guidance', async () => {
    const plan = await planner.plan(facts({ code: '0x8024402c', context: 'windows-update' }));
    assert.equal(plan.guidance, 'specific');
    assert.equal(plan.family, null);
  });
});

// The gaps issue 18 still named: 0x800f0922 started with pausing updates whatever its cause, and
// 0x8024a105 had nothing.
describe('0x800f0922 and 0x8024a105: first steps that fit the code', () => {
  it('0x800f0922: no longer starts with pause/resume; the System Reserved partition is the technician’s', async () => {
    const plan = await planner.plan(facts({ code: '0x800f0922', context: 'windows-update' }));
    assert.equal(plan.guidance, 'specific');
    assert.equal(plan.steps[0]?.id, 'check-update-history');
    assert.ok(!plan.steps.some((s) => s.id === 'pause-resume-updates'), 'the generic first step is gone');
    const srp = plan.technician.find((s) => s.id === 'system-reserved-partition-space');
    assert.ok(srp, 'in the technician part');
    assert.equal(plan.technician[0]?.id, srp.id, 'promoted: it leads the technician part');
    assert.ok(!plan.steps.some((s) => s.id === 'system-reserved-partition-space'), 'never the employee’s');
    assert.equal(srp.part, 'technician');
    assert.equal(srp.risk, 'high');
    assert.equal(srp.runbook, null, 'no remote run for a boot partition');
    assert.ok(cited(srp.sources, /La partition réservée système \(SRP\) peut être pleine\./));
    assert.ok(cited(srp.sources, /libérer 15 Mo/));
    // Its commands only look: nothing that formats, deletes or resizes a partition.
    for (const c of srp.commands) assert.doesNotMatch(c.code, /diskpart|format|Remove-|Resize-|del |rmdir/i);
    const item = plan.order?.steps.find((s) => s.step === 'system-reserved-partition-space');
    assert.ok(item && cited(item.sources, /peut être pleine/), 'in 0x800f0922’s order with the quote');
    const context = kb.contexts.find((c) => c.code === '0x800f0922' && c.context === 'windows-update');
    assert.ok(context && cited(context.sources, /SecureBootEncodeUEFI/), 'the scheduled-task cause is cited');
    assert.match(context?.summary.en ?? '', /System Reserved/);
  });

  it('0x800f0922 in the chat: the first card is the update history, in every locale', async () => {
    for (const [text, title] of [
      ['Windows Update fails with 0x800f0922 on Windows 11 23H2', 'Find out which update is failing'],
      ['Windows 11 23H2 で Windows Update が 0x800f0922 で失敗します', 'どの更新が失敗しているか確認する'],
      [
        'Центр обновления Windows 11 23H2: ошибка 0x800f0922',
        'Выясните, какое обновление не устанавливается',
      ],
    ] as const) {
      const r = await triage(knowledge, text, { defaultLocale: 'en' });
      assert.equal(r.plan[0]?.title, title, text);
      assert.ok(
        r.technician.some((s) => s.id === 'system-reserved-partition-space'),
        text,
      );
    }
  });

  it('0x8024a105 is not listed by Microsoft: it gets the WU_E_AU_* plan, cited from the error reference', async () => {
    const r = await triage(knowledge, 'Windows Update fails with 0x8024a105 on Windows 11', {
      defaultLocale: 'en',
    });
    assert.equal(r.guidance, 'family');
    assert.equal(r.family?.name, 'WU_E_AU_*');
    assert.deepEqual(
      r.plan.slice(0, 2).map((p) => p.id),
      ['check-update-services', 'check-update-server-connection'],
    );
    const family = kb.families.find((f) => f.id === 'wu-automatic-updates');
    assert.ok(family && cited(family.sources, /Automatic Updates was unable to service incoming requests/));
    // 0x8024a10a, in the same range, keeps its own guidance.
    const listed = await planner.plan(facts({ code: '0x8024a10a', context: 'windows-update' }));
    assert.equal(listed.guidance, 'specific');
  });
});

describe('family fallback for codes the base does not list', () => {
  const FAMILIES: [code: string, family: string, context: PlanFacts['context'], first: string][] = [
    ['0x80244022', 'wu-protocol-talker', 'windows-update', 'check-network'],
    ['0x80244017', 'wu-protocol-talker', 'windows-update', 'check-network'],
    ['0x80246005', 'wu-download-manager', 'windows-update', 'check-network'],
    ['0x80072ee7', 'wininet-connection', 'windows-update', 'check-network'],
    ['0x800f0906', 'cbs-servicing', 'windows-update', 'dism-sfc'],
    ['0xc1900204', 'windows-setup-result', 'windows-setup', 'remove-external-devices'],
    ['0x8024a105', 'wu-automatic-updates', 'windows-update', 'check-update-services'],
    ['0x8024a000', 'wu-automatic-updates', 'windows-update', 'check-update-services'],
  ];
  for (const [code, family, context, first] of FAMILIES)
    it(`${code} is not listed: ${family}'s plan, said as such`, async () => {
      assert.equal(kb.errors.has(code), false, `${code} must stay unlisted for this test`);
      const plan = await planner.plan(facts({ code, context }));
      assert.equal(plan.guidance, 'family');
      assert.equal(plan.family?.id, family);
      assert.equal(plan.steps[0]?.id, first);
      assert.ok(plan.family.sources.every((s) => 'url' in s && MICROSOFT.test(s.url) && s.quote));
    });

  it('triage infers the family’s context and reports the family in its JSON', async () => {
    const r = await triage(knowledge, 'Error 0x80244022 on Windows 11', { defaultLocale: 'en' });
    assert.equal(r.context, 'windows-update');
    assert.equal(r.guidance, 'family');
    assert.equal(r.family?.id, 'wu-protocol-talker');
    assert.equal(r.family?.name, 'WU_E_PT_*');
    assert.match(r.family?.label ?? '', /update server/);
    assert.equal(r.plan[0]?.id, 'check-network');
    const ja = await triage(knowledge, '0xc1900204 でアップグレードに失敗しました', { defaultLocale: 'en' });
    assert.equal(ja.locale, 'ja');
    assert.equal(ja.context, 'windows-setup');
    assert.equal(ja.family?.id, 'windows-setup-result');
    assert.match(ja.family?.label ?? '', /セットアップ/);
  });

  it('no family outside its context, and none for a code outside every range', async () => {
    const store = await planner.plan(facts({ code: '0x80244022', context: 'microsoft-store' }));
    assert.equal(store.guidance, 'generic');
    assert.equal(store.family, null);
    const win32 = await planner.plan(facts({ code: '0x8007045b', context: 'windows-update' }));
    assert.equal(win32.guidance, 'generic');
    const r = await triage(knowledge, 'Windows Update fails with 0x8007045b', { defaultLocale: 'en' });
    assert.equal(r.family, null);
  });

  it('range bounds are inclusive; a malformed code has no family', () => {
    assert.equal(familyOf(kb.families, '0x80244000')?.id, 'wu-protocol-talker');
    assert.equal(familyOf(kb.families, '0x80244fff')?.id, 'wu-protocol-talker');
    assert.equal(familyOf(kb.families, '0x80245000'), null);
    assert.equal(familyOf(kb.families, '0x8024'), null);
    assert.equal(familyOf(kb.families, null), null);
  });

  it('kb check refuses overlapping families and unknown steps', () => {
    const base = kb.families[0] as Family;
    const overlapping: Family = { ...base, id: 'overlap', from: base.to, to: base.to };
    const unknownStep: Family = {
      ...base,
      id: 'unknown-step',
      from: '0x8024f000',
      to: '0x8024ffff',
      steps: [{ step: 'no-such-step', sources: base.sources }],
    };
    const problems: { where: string; message: string }[] = [];
    checkFamilies(knowledgeBaseOf({ steps: kb.steps, families: [base, overlapping, unknownStep] }), problems);
    assert.ok(problems.some((p) => /overlaps family overlap/.test(p.message)));
    assert.ok(problems.some((p) => /unknown step no-such-step/.test(p.message)));
    const clean: typeof problems = [];
    checkFamilies(kb, clean);
    assert.deepEqual(clean, []);
  });
});
