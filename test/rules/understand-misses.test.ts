import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createUnderstander } from '../../rules/understand';
import type { Context } from '../../rules/vocabulary';
import { kbLexicon } from '../helpers/kb-lexicon';

const { knownCodes, releases } = kbLexicon();
const understand = createUnderstander({ aliases: {}, knownCodes, releases });

describe('understand: contexts missed in real messages', () => {
  const cases: [string, Context][] = [
    ['WU で 0x80070002', 'windows-update'],
    ['WUで失敗します', 'windows-update'],
    ['WU fails with 0x80070003', 'windows-update'],
    ['backing up fails with 0x80070002', 'backup-restore'],
    ['backup is failing', 'backup-restore'],
    ['Install error - 0x80070103', 'windows-update'],
    ['インストール エラー - 0x80070103', 'windows-update'],
    ['インストールエラー 0x80070002-0x2000d', 'windows-setup'],
    ['install fails 0xC1900101-0x4000D', 'windows-setup'],
    ['восстановление файлов из архива', 'backup-restore'],
    ['restoring files from backup fails', 'backup-restore'],
    ['ファイルの復元ができない', 'backup-restore'],
  ];
  for (const [text, context] of cases) {
    it(`${JSON.stringify(text)} → ${context}`, () => assert.equal(understand(text).context, context));
  }
  it('still reads an installer as app-install and System Restore as system-restore', () => {
    assert.equal(understand('the Chrome installer fails with 0x80070103').context, 'app-install');
    assert.equal(understand('восстановление системы не выполнено').context, 'system-restore');
  });
});

describe('understand: corrected codes', () => {
  it('knows the codes it corrects to', () => assert.ok(knownCodes.includes('0x80070003')));

  it('reads a nine-digit code with an extra zero as the one known code it can be', () => {
    const u = understand('ошибка обновления 0x800700003 в Windows 10');
    assert.deepEqual(u.codes, ['0x80070003']);
    assert.deepEqual(u.corrections, [{ written: '0x800700003', code: '0x80070003' }]);
  });

  it('reads the seed that has the typo', () => {
    const seed = readFileSync(
      path.resolve(__dirname, '../../../shared/seeds/003_d57f55a6c3bd2000.txt'),
      'utf8',
    );
    const line = seed.split('\n').find((l) => l.includes('0x800700003'));
    assert.ok(line);
    const u = understand(line);
    assert.ok(u.codes.includes('0x80070003'));
    assert.deepEqual(u.corrections, [{ written: '0x800700003', code: '0x80070003' }]);
  });

  it('records a dropped zero too', () => {
    const u = understand('Windows Update 0x8007003');
    assert.deepEqual(u.codes, ['0x80070003']);
    assert.deepEqual(u.corrections, [{ written: '0x8007003', code: '0x80070003' }]);
  });

  it('has no corrections for a well-written code', () =>
    assert.deepEqual(understand('0x80070003 and 0x80070002').corrections, []));

  it('does not guess when no known code, or several, can be meant', () => {
    // 0x800700021 → 0x80070021 or 0x80700021: neither is known
    assert.deepEqual(understand('0x800700021').codes, []);
    // with both 0x80070002 and 0x80700002 known, 0x800700002 is ambiguous
    const both = createUnderstander({
      aliases: {},
      knownCodes: ['0x80070002', '0x80700002'],
      releases: releases,
    });
    const u = both('0x800700002');
    assert.deepEqual(u.codes, []);
    assert.deepEqual(u.corrections, []);
  });

  it('corrects to alias codes when no known codes are given', () => {
    const aliasOnly = createUnderstander({ aliases: { status_wait_2: '0x80070002' }, releases: releases });
    assert.deepEqual(aliasOnly('0x800700002').codes, ['0x80070002']);
  });
});
