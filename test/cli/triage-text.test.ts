import assert from 'node:assert/strict';
import type { TriageResult } from '../../rules/triage';
import { runCli } from '../helpers/run-cli';

/** Internal ids that must never show in localized text: contexts, OS families, unknown facilities. */
const RAW_IDS =
  /\b(?:windows-(?:update|setup|7|8\.1|10|11)|microsoft-store|backup-restore|system-restore|app-install|user-asked|plan-exhausted|no-plan|UNKNOWN_\d+)\b/;

async function triageText(...args: string[]): Promise<string> {
  const run = await runCli(['triage', ...args]);
  assert.equal(run.code, 0, run.err);
  return run.out;
}

describe('winfix triage: setup extend codes and names instead of ids', () => {
  it('shows the setup extend code’s meaning with the code, in ja, en and ru', async () => {
    const en = await triageText('Upgrade to Windows 11 failed with 0xC1900101-0x40017 on Windows 10 22H2');
    assert.match(en, /^0xc1900101 \+ 0x40017 MOSETUP_E_SETUP_PLATFORM/m);
    assert.match(en, /^ {2}0x40017 \(setup extend code\): Booting failed in the second boot \(OOBE\) phase/m);
    const ja = await triageText('アップグレードが 0xC1900101-0x20007 で失敗しました');
    assert.match(ja, /^ {2}0x20007: Safe OS フェーズ/m);
    const ru = await triageText('Обновление до Windows 11 не удалось: 0xC1900101 - 0x2000C');
    assert.match(
      ru,
      /0x2000c \(расширенный код установки\): сбой на операции «применение образа Windows» в фазе Safe OS/,
    );
  });

  it('gives subcodes as objects with their meaning in --json', async () => {
    const run = await runCli(['triage', '--json', '--locale', 'ja', '0xC1900101-0x4000D']);
    const r = JSON.parse(run.out) as TriageResult;
    assert.deepEqual(r.subcodes[0]?.phase, { number: 4, name: 'SP_EXECUTION_OOBE_BOOT' });
    assert.deepEqual(r.subcodes[0]?.operation, { number: 13, name: 'SP_EXECUTION_OP_MIGRATE_DATA' });
    assert.match(r.subcodes[0]?.meaning ?? '', /^0x4000d: /);
    assert.match(r.subcodes[0]?.meaning ?? '', /[\u3040-\u30ff]/, 'in the reply’s language');
  });

  it('answers "what does 0x20007 mean?" and asks for the result code', async () => {
    const out = await triageText('what does 0x20007 mean?');
    assert.match(out, /^0x20007: Safe OS phase \(2\), operation INSTALL_DRIVERS/m);
    assert.doesNotMatch(out, /I found no error code/);
    assert.match(out, /Please also tell me: the error code/);
  });

  it('says where and which Windows by name, never by id, in every language', async () => {
    for (const text of [
      'Upgrade failed 0xC1900101-0x20007 on Windows 10 22H2',
      'アップグレードが 0xC1900101-0x20007 で失敗 Windows 11',
      'Ошибка 0x80070003 при архивации на Windows 7',
      '0x87D00324 in Software Center on Windows 11 23H2',
      'Microsoft Store 0x803F8001 Windows 10',
    ]) {
      const out = await triageText(text);
      assert.doesNotMatch(out.split('\n').slice(0, 6).join('\n'), RAW_IDS, `${text}\n${out}`);
    }
    const en = await triageText('0x87D00324 in Software Center on Windows 11 23H2');
    assert.match(en, /Where: Software Center \/ Configuration Manager · Windows: Windows 11 23H2/);
    assert.match(en, /^0x87d00324 \(facility 2000\)/m);
  });
});

// Issue 18: when the plan is a family's (or the context's general safe steps), the text says so before
// the steps, in the reply's language; a code with its own guidance gets no such line.
describe('winfix triage: says when the steps are a family’s, not the code’s own', () => {
  it('en: an unlisted WU_E_PT_* code is answered with the family’s steps, said as such', async () => {
    const out = await triageText('Windows Update fails with 0x80244022 on Windows 11 23H2');
    const lines = out.split('\n');
    const basis = lines.findIndex((l) => l.startsWith('0x80244022: no specific guidance for this code'));
    assert.ok(basis > 0, out);
    assert.match(
      lines[basis] ?? '',
      /these steps are for its family, WU_E_PT_\*: errors of Windows Update's protocol/,
    );
    assert.match(lines[basis + 1] ?? '', /^What to try, in order:/, 'said right before the steps');
  });

  it('ja and ru say the same in their own words', async () => {
    const ja = await triageText('Windows 11 で Windows Update が 0x800f0906 で失敗します');
    assert.match(
      ja,
      /^0x800f0906: このコードの個別の情報はありません。以下は、このコードが属する CBS_E_\* のグループ向けの手順です。/m,
    );
    const ru = await triageText('Обновление до Windows 11 не устанавливается, ошибка 0xc1900204');
    assert.match(
      ru,
      /^0xc1900204: отдельных рекомендаций для этого кода нет; ниже шаги для группы ошибок MOSETUP_E_\*/m,
    );
  });

  it('a code outside every family gets the context’s general steps, said as such', async () => {
    const out = await triageText('Windows Update fails with 0x8007045b on Windows 11');
    assert.match(
      out,
      /^0x8007045b: no specific guidance for this code in Windows Update; these are the general safe steps there\./m,
    );
  });

  it('a code with its own guidance is not said to be a family member', async () => {
    const out = await triageText('Windows Update fails with 0x8024402c on Windows 11 23H2');
    assert.doesNotMatch(out, /no specific guidance/);
    const run = await runCli(['triage', '--json', 'Windows Update fails with 0x80244022 on Windows 11']);
    const json = JSON.parse(run.out) as TriageResult;
    assert.equal(json.guidance, 'family');
    assert.equal(json.family?.name, 'WU_E_PT_*');
  });
});

describe('winfix triage: citations a reader can check', () => {
  it('names the words to look for on a cited page, so two quotes from one page are told apart', async () => {
    const out = await triageText('0x8024402c on Windows 10');
    const first = out.split('\n').find((line) => /^ {1}1\. /.test(line)) ?? '';
    const page =
      'https://learn.microsoft.com/en-us/troubleshoot/windows-client/installing-updates-features-roles/common-windows-update-errors';
    const cited = first.split('; ').filter((c) => c.includes(page));
    assert.equal(cited.length, 2, first);
    for (const citation of cited) assert.match(citation, /common-windows-update-errors "[^"]{2,}"/);
    assert.notEqual(cited[0], cited[1]);
  });
});
