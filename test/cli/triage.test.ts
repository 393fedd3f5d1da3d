import assert from 'node:assert/strict';
import { loadKb } from '../../rules/kb/load';
import type { TriageResult } from '../../rules/triage';
import { runCli, spawnCli } from '../helpers/run-cli';

const kb = loadKb();

async function triageJson(...args: string[]): Promise<TriageResult> {
  const run = await runCli(['triage', '--json', ...args]);
  assert.equal(run.code, 0, run.err);
  assert.equal(run.out.trim().split('\n').length, 1, 'exactly one JSON line');
  return JSON.parse(run.out) as TriageResult;
}

const tiers = (result: TriageResult) => result.plan.map((p) => kb.steps.get(p.id)?.tier ?? -1);

describe('winfix triage', () => {
  it('explains a Windows Update error and plans in the order its source gives, in two parts', async () => {
    const r = await triageJson('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(r.locale, 'en');
    assert.deepEqual(
      r.codes.map((c) => [c.code, c.name, c.facility, c.known]),
      [['0x80070002', 'ERROR_FILE_NOT_FOUND', 'WIN32', true]],
    );
    assert.match(r.codes[0]?.meaning ?? '', /\w{3}/);
    assert.equal(r.context, 'windows-update');
    assert.deepEqual(r.os, { family: 'windows-11', version: '23H2', build: null });
    assert.deepEqual(r.missing, []);
    assert.deepEqual(
      r.plan.slice(0, 3).map((p) => p.id),
      ['restart-and-retry', 'sync-clock', 'wu-troubleshooter'],
      'seed 004: restart, clock, troubleshooter',
    );
    assert.ok(r.plan.length <= 8 && r.technician.length > 0, 'two parts');
    assert.ok(
      tiers(r).every((t) => t < 6),
      'nothing destructive for the employee',
    );
    assert.ok(r.technician.some((p) => p.id === 'clean-install'));
    assert.equal(r.guidance, 'specific');
    assert.equal(r.target, null);
    assert.deepEqual(r.skipped, []);
    for (const step of [...r.plan, ...r.technician]) {
      assert.ok(step.sources.length > 0 && step.sources.every((s) => 'url' in s || s.quote.length <= 60));
      assert.ok(['low', 'medium', 'high'].includes(step.risk));
    }
    assert.ok(
      r.plan.some((p) => p.runbook === 'Reset-UpdateCache'),
      'the cache reset is bound to its runbook',
    );
  });

  it('skips what the user already did, and tells an upgrade target from the current OS', async () => {
    const r = await triageJson(
      'Windows Update で 0x80070002 が出ます。再起動はもうやりました。Windows 11 23H2です',
    );
    assert.deepEqual(r.tried, ['restart']);
    assert.ok(!r.plan.some((p) => p.id === 'restart-and-retry'));
    assert.deepEqual(
      r.skipped.map((s) => s.id),
      ['restart-and-retry'],
    );
    assert.match(r.skipped[0]?.reason ?? '', /再起動/);
    const u = await triageJson('Upgrade to 24H2 failed with 0xC1900101 on my Windows 10 22H2 PC');
    assert.deepEqual(u.target, { family: 'windows-11', version: '24H2' });
    assert.equal(u.os?.family, 'windows-10');
    assert.equal(u.codes[0]?.kind, 'setup');
    assert.equal(u.codes[0]?.setup?.category, 'driver-rollback');
  });

  it('says when the reported Windows no longer gets updates, and not for a serviced one', async () => {
    const old = await triageJson('Windows Update fails with 0x80070002 on Windows 10 22H2');
    assert.equal(old.servicing.state, 'esu-only');
    assert.equal(old.servicing.endDate, '2025-10-14');
    assert.match(old.servicing.notice ?? '', /Windows 10 22H2 ended on October 14, 2025/);
    const ja = await triageJson('Windows 8.1 で Windows Update が 0x80070002 で失敗します');
    assert.equal(ja.servicing.state, 'ended');
    assert.match(ja.servicing.notice ?? '', /[ぁ-んァ-ン]/);
    const unknown = await triageJson('Windows Update fails with 0x80070002 on Windows 11');
    assert.equal(unknown.servicing.notice, null);
  });

  it('answers in Japanese for a Japanese message with a full-width code', async () => {
    const r = await triageJson('Windows Update で ０ｘ８００７０００３ が出て更新できません');
    assert.equal(r.locale, 'ja');
    assert.equal(r.codes[0]?.code, '0x80070003');
    assert.equal(r.context, 'windows-update');
    assert.match(r.plan[0]?.title ?? '', /[\u3040-\u30ff\u4e00-\u9fff]/);
    assert.deepEqual(r.missing, ['os']);
  });

  it('answers in Russian for a backup error on Windows 7 with a Cyrillic х', async () => {
    const r = await triageJson('Ошибка 0х80070003 при архивации на Windows 7');
    assert.equal(r.locale, 'ru');
    assert.equal(r.codes[0]?.code, '0x80070003');
    assert.equal(r.context, 'backup-restore');
    assert.equal(r.os?.family, 'windows-7');
    assert.ok(r.plan.length > 0);
    for (const p of r.plan)
      assert.ok(kb.steps.get(p.id)?.os.includes('windows-7'), `${p.id} applies to Windows 7`);
    assert.match(r.plan[0]?.title ?? '', /[\u0400-\u04ff]/);
  });

  it('takes a setup extend code as Windows Setup', async () => {
    const r = await triageJson('Media Creation Tool: 0x80070002-0x20007');
    assert.deepEqual(
      r.subcodes.map((s) => [s.code, s.phase?.name, s.operation?.name]),
      [['0x20007', 'SP_EXECUTION_SAFE_OS', 'SP_EXECUTION_OP_INSTALL_DRIVERS']],
    );
    assert.match(r.subcodes[0]?.meaning ?? '', /Safe OS/);
    assert.equal(r.context, 'windows-setup');
    assert.ok(r.plan.length > 0);
  });

  it('decodes a code the KB does not know', async () => {
    const r = await triageJson('Windows Update 0x80070005');
    assert.deepEqual(
      r.codes.map((c) => [c.code, c.name, c.known]),
      [['0x80070005', 'ERROR_ACCESS_DENIED', false]],
    );
    assert.ok((r.codes[0]?.meaning.length ?? 0) > 10);
  });

  it('keeps several codes in order and plans for the first', async () => {
    const r = await triageJson('first 0x80070003 then 0x80070002 in Windows Update, KB5065687');
    assert.deepEqual(
      r.codes.map((c) => c.code),
      ['0x80070003', '0x80070002'],
    );
    assert.deepEqual(r.kb, ['KB5065687']);
  });

  it('asks for the code when there is none, and exits 0', async () => {
    const r = await triageJson('my computer will not update, call me at 03-8007-0002');
    assert.deepEqual(r.codes, []);
    assert.ok(r.missing.includes('code'));
    const text = await runCli(['triage', 'my computer will not update']);
    assert.equal(text.code, 0);
    assert.match(text.out, /error code/i);
  });

  it('honours --locale over the message language', async () => {
    const r = await triageJson('--locale', 'ru', 'Windows Update 0x80070002');
    assert.equal(r.locale, 'ru');
    assert.match(r.codes[0]?.meaning ?? '', /[\u0400-\u04ff]/);
  });

  it('prints a readable plan as text', async () => {
    const run = await runCli(['triage', 'Windows Update 0x80070103 on Windows 11']);
    assert.equal(run.code, 0);
    assert.match(run.out, /0x80070103 ERROR_NO_MORE_ITEMS \(WIN32\)/);
    assert.match(run.out, / 1\. /);
  });

  it('rejects empty input and bad options with exit 2', async () => {
    const empty = await runCli(['triage', '   ']);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /give the message to triage/);
    assert.equal((await runCli(['triage', '--locale', 'de', 'x'])).code, 2);
    assert.equal((await runCli(['triage', '--bogus', 'x'])).code, 2);
    assert.equal((await runCli(['nonsense'])).code, 2);
  });

  it('works as a real process through the bin', () => {
    const run = spawnCli(['triage', '--json', 'Microsoft Store 0x80070002']);
    assert.equal(run.code, 0, run.err);
    const r = JSON.parse(run.out) as TriageResult;
    assert.equal(r.context, 'microsoft-store');
    assert.equal(spawnCli(['triage']).code, 2);
  });
});

describe('winfix kb', () => {
  it('check passes on the committed KB', async () => {
    const run = await runCli(['kb', 'check']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /kb check: ok — \d+ codes/);
  });

  it('draws a Mermaid graph for a code in one context', async () => {
    const run = await runCli(['kb', 'graph', '--code', '80070002', '--context', 'windows-update']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^flowchart TD/);
    assert.match(run.out, /start0\(\["0x80070002 · windows-update"\]\)/);
    assert.match(run.out, /-->\|"didn't help"\| /);
    assert.ok(!run.out.includes('microsoft-store'));
  });

  it('draws DOT for every context of a code', async () => {
    const run = await runCli(['kb', 'graph', '--code', '0x80070002', '--format', 'dot']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^digraph "0x80070002" \{/);
    assert.match(run.out, /0x80070002 · microsoft-store/);
    assert.match(run.out, /0x80070002 · outlook/);
    assert.match(run.out, /\}\n$/);
  });

  it('says so when there is no graph or the arguments are wrong', async () => {
    assert.equal((await runCli(['kb', 'graph', '--code', '0x8007dead'])).code, 1);
    assert.equal((await runCli(['kb', 'graph', '--code', 'hello'])).code, 2);
    assert.equal((await runCli(['kb', 'graph', '--code', '0x80070002', '--format', 'png'])).code, 2);
    assert.equal((await runCli(['kb', 'graph'])).code, 2);
    assert.equal((await runCli(['kb'])).code, 2);
  });
});
