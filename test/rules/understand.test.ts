import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as schema from '../../rules/kb/schema';
import { createUnderstander, type Understanding } from '../../rules/understand';
import { CONTEXT_KEYWORDS } from '../../rules/understand/context-keywords';
import {
  CONTEXTS,
  type Context,
  isContext,
  isLocale,
  type Locale,
  type OsFamily,
} from '../../rules/vocabulary';

const ROOT = path.resolve(__dirname, '../..');
const releases = z
  .array(schema.release)
  .parse(JSON.parse(readFileSync(path.join(ROOT, 'rules/kb/releases.json'), 'utf8')));
const understand = createUnderstander({ aliases: { status_wait_2: '0x80070002' }, releases });

const codesOf = (text: string) => understand(text).codes;
const contextOf = (text: string) => understand(text).context;

describe('understand: error codes', () => {
  const cases: [string, string[]][] = [
    ['0x80070002', ['0x80070002']],
    ['80070002', ['0x80070002']],
    ['0X80070002', ['0x80070002']],
    ['０ｘ８００７０００２', ['0x80070002']],
    ['0х80070003', ['0x80070003']], // Cyrillic х U+0445
    ['0Х80070003', ['0x80070003']], // Cyrillic Х U+0425
    ['0x8007003', ['0x80070003']], // a dropped zero
    ['0x800f81f', ['0x800f081f']],
    ['0x8024402C', ['0x8024402c']],
    ['error code: 0x80070002', ['0x80070002']],
    ['エラー 80070003', ['0x80070003']],
    ['Windows Updateで80070003が出ます', ['0x80070003']], // no spaces around a code in Japanese
    ['更新で0x80070002が発生', ['0x80070002']],
    ['status_wait_2が出る', ['0x80070002']],
    ['エラーコード：８００７０００３', ['0x80070003']],
    ['ошибка 0x80070003', ['0x80070003']],
    ['status_wait_2', ['0x80070002']],
    ['STATUS_WAIT_2 in the log', ['0x80070002']],
    ['hr 0x80070002', ['0x80070002']],
    ['hr=0x80070002', ['0x80070002']],
    ['HRESULT: 0x80070002', ['0x80070002']],
    ['(0x80070002)', ['0x80070002']],
    ['0x80070002 and 0x80070003', ['0x80070002', '0x80070003']],
    ['80070003, then 0x80070002, then 80070003 again', ['0x80070003', '0x80070002']],
    ['status_wait_2 and 0x80070003', ['0x80070002', '0x80070003']],
    ['0x80070003 then status_wait_2', ['0x80070003', '0x80070002']],
    ['Ox80070002 (letter O)', ['0x80070002']],
    ['C1900101', ['0xc1900101']],
    ['-2147024894', ['0x80070002']],
    ['hr = -2147024891', ['0x80070005']],
    ['ошибка №80070002', ['0x80070002']],
    ['Error #80070002', ['0x80070002']],
    ['Windows Update 0x80070002. 5 times', ['0x80070002']],
    ['I tried 3 times: 80070002', ['0x80070002']],
    ['0x8007000E, 0x8007000e', ['0x8007000e']],
  ];
  for (const [text, codes] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(codesOf(text), codes));
  }

  it('keeps setup extend codes apart from codes', () => {
    for (const text of [
      '0x80070002-0x20007',
      '0x80070002 - 0x20007',
      '0x80070002 – 0x20007',
      '80070002-0x20007',
    ]) {
      const u = understand(text);
      assert.deepEqual(u.codes, ['0x80070002'], text);
      assert.deepEqual(u.subcodes, ['0x20007'], text);
    }
    const u = understand('0xC1900101 - 0x4000D, later 0xC1900101-0x30018');
    assert.deepEqual(u.codes, ['0xc1900101']);
    assert.deepEqual(u.subcodes, ['0x4000d', '0x30018']);
    assert.deepEqual(understand('extend code 0x4000D').subcodes, ['0x4000d']);
    assert.deepEqual(understand('0x80070002-0x80070003').codes, ['0x80070002', '0x80070003']);
  });

  const notCodes = [
    '03-8007-0002',
    '+7 800 700 02 00',
    '8-800-700-00-02',
    '080-7000-2000',
    '+81 80070002',
    '8007-0002',
    'INC0080070',
    'ticket #80070002',
    'Ticket no. 80070002',
    'case 80070002',
    'チケット番号 80070003',
    '受付番号：80070003',
    'заявка №80070002',
    'お問い合わせ番号 80070002',
    'order 80070002',
    'tel: 03-5555-8007',
    'call me at 8 (800) 700-00-02',
    'номер заявки 80070002',
    'телефон 80070002',
    '800700021',
    '1800700020',
    '12345678',
    '90070002', // 9… is not an error severity with a known facility
    '80990002', // unknown facility
    '0x800700021', // nine digits
    '0x1234567', // seven digits, unknown facility
    '10:32 2024-10-14',
    '2024/10/14',
    'KB5065687',
    'kb 80070002',
    '22631.4460',
    '10.0.19045',
    'C:\\Temp\\80070002',
    'status_wait_20',
  ];
  for (const text of notCodes) {
    it(`finds no code in ${JSON.stringify(text)}`, () => assert.deepEqual(codesOf(text), []));
  }
});

describe('understand: KB numbers', () => {
  const cases: [string, string[]][] = [
    ['KB5065687', ['KB5065687']],
    ['kb 5065687', ['KB5065687']],
    ['Kb-5065687', ['KB5065687']],
    ['КВ5065687', ['KB5065687']], // Cyrillic К and В
    ['кв5065687', ['KB5065687']],
    ['KB890830 and KB5065687 and kb5065687', ['KB890830', 'KB5065687']],
    ['KB12345', []], // too short
    ['KB123456789', []], // too long
    ['OKB5065687', []],
  ];
  for (const [text, kb] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(understand(text).kb, kb));
  }
  it('does not read a KB number as a code', () => assert.deepEqual(codesOf('KB5065687'), []));
});

describe('understand: context', () => {
  // At least one message per context in each language.
  const cases: [Context, string, string, string][] = [
    [
      'windows-update',
      'Windows Update fails',
      '更新プログラムのインストールに失敗しました',
      'Центр обновления Windows выдаёт ошибку',
    ],
    [
      'windows-setup',
      'feature update to 24H2 fails',
      '機能更新プログラムが失敗する',
      'обновление до Windows 11 не проходит',
    ],
    [
      'microsoft-store',
      'Microsoft Store does not open',
      'ストアからアプリが入らない',
      'Магазин не открывается',
    ],
    ['outlook', 'Outlook cannot send mail', 'アウトルックが起動しない', 'Outlook не отправляет письма'],
    ['iis', 'IIS app pool stops', 'アプリケーション プールが停止する', 'пул приложений останавливается'],
    [
      'backup-restore',
      'Backup and Restore fails',
      'バックアップが失敗する',
      'резервное копирование не работает',
    ],
    [
      'system-restore',
      'system restore failed',
      'システムの復元が完了しない',
      'восстановление системы не выполнено',
    ],
    ['app-install', 'the Chrome installer fails', 'インストーラーが止まる', 'установщик падает'],
    [
      'sccm',
      'Software Center shows an error',
      'ソフトウェア センターでエラー',
      'Центр программного обеспечения выдает ошибку',
    ],
  ];
  for (const [context, en, ja, ru] of cases) {
    for (const [language, text] of [
      ['en', en],
      ['ja', ja],
      ['ru', ru],
    ] as const) {
      it(`${context} (${language}): ${text}`, () => assert.equal(contextOf(text), context));
    }
  }

  const more: [string, Context | null][] = [
    ['アップデートでエラー', 'windows-update'],
    ['обновления не ставятся', 'windows-update'],
    ['KB5065687 fails', 'windows-update'],
    ['KB5065687 のインストール', 'windows-update'],
    ['Store app update fails', 'microsoft-store'],
    ['Microsoft Store のアプリが更新できない', 'microsoft-store'],
    ['feature update to 24H2', 'windows-setup'],
    ['upgrade to Windows 11 fails', 'windows-setup'],
    ['Media Creation Tool error', 'windows-setup'],
    ['setup.exe stops at 30%', 'windows-setup'],
    ['アップグレードできない', 'windows-setup'],
    ['メディア作成ツールで失敗', 'windows-setup'],
    ['Windows 11 へのアップデートが失敗', 'windows-setup'],
    ['Visual Studio cannot start the web site', 'iis'],
    ['архивация завершилась ошибкой', 'backup-restore'],
    ['Backup and Restore (Windows 7) system image', 'backup-restore'],
    ['復元ポイントを作成できない', 'system-restore'],
    ['system image restore fails', 'system-restore'],
    ['точка восстановления не создаётся', 'system-restore'],
    ['install fails', 'app-install'],
    ['не работает установка программы', 'app-install'],
    ['SCCM deploys Windows Update', 'sccm'],
    ['Configuration Manager client', 'sccm'],
    ['installing updates fails', 'windows-update'],
    ['restore from backup fails', 'backup-restore'],
    ['my pc is slow', null],
    ['パソコンが重い', null],
    ['компьютер тормозит', null],
    ['0x80070002', null],
  ];
  for (const [text, context] of more) {
    it(`${JSON.stringify(text)} → ${context}`, () => assert.equal(contextOf(text), context));
  }

  it('has a keyword table entry in all three languages for every context', () => {
    assert.deepEqual([...CONTEXT_KEYWORDS.map((c) => c.context)].sort(), [...CONTEXTS].sort());
    for (const entry of CONTEXT_KEYWORDS) {
      for (const language of ['en', 'ja', 'ru'] as const) {
        assert.ok(entry[language].length > 0, `${entry.context} has ${language} keywords`);
      }
    }
  });
});

describe('understand: OS', () => {
  const cases: [string, OsFamily, string | null, string | null][] = [
    ['Microsoft Windows [Version 10.0.22631.4460]', 'windows-11', '23H2', '22631.4460'],
    ['Microsoft Windows [Version 10.0.19045.5011]', 'windows-10', '22H2', '19045.5011'],
    ['Microsoft Windows [バージョン 10.0.19045.5011]', 'windows-10', '22H2', '19045.5011'],
    ['Microsoft Windows [Version 6.1.7601]', 'windows-7', 'SP1', '7601'],
    ['Microsoft Windows [Version 6.3.9600]', 'windows-8.1', null, '9600'],
    ['Version 23H2 (OS Build 22631.4460)', 'windows-11', '23H2', '22631.4460'],
    ['バージョン 23H2 (OS ビルド 22631.4460)', 'windows-11', '23H2', '22631.4460'],
    ['Версия 22H2 (сборка ОС 19045.5011)', 'windows-10', '22H2', '19045.5011'],
    ['build 26100', 'windows-11', '24H2', '26100'],
    ['ビルド 26200', 'windows-11', '25H2', '26200'],
    ['сборка 28000', 'windows-11', '26H1', '28000'],
    ['OS build 22635.4515 (Insider)', 'windows-11', null, '22635.4515'],
    ['22631.4460', 'windows-11', '23H2', '22631.4460'],
    ['Windows 11 24H2', 'windows-11', '24H2', null],
    ['Windows 10 22H2', 'windows-10', '22H2', null],
    ['Windows 10 1909', 'windows-10', '1909', null],
    ['win 10', 'windows-10', null, null],
    ['Win11', 'windows-11', null, null],
    ['Windows11 Pro', 'windows-11', null, null],
    ['ウィンドウズ11', 'windows-11', null, null],
    ['windows 8.1', 'windows-8.1', null, null],
    ['Windows 7 SP1', 'windows-7', 'SP1', null],
    ['виндовс 10', 'windows-10', null, null],
    ['на десятке', 'windows-10', null, null],
    ['23H2', 'windows-11', '23H2', null],
    ['upgrade to Windows 11 from Windows 10', 'windows-10', null, null],
    ['Windows 10 (build 19045.5011) says Windows 11', 'windows-10', '22H2', '19045.5011'],
    ['Windows 11 23H2です', 'windows-11', '23H2', null],
    ['Win10 22H2です', 'windows-10', '22H2', null],
  ];
  for (const [text, family, version, build] of cases) {
    it(`reads ${JSON.stringify(text)}`, () =>
      assert.deepEqual(understand(text).os, { family, version, build }));
  }
  const none = [
    'Windows 8',
    'Windows Server 2019',
    '22H2',
    'build 5000',
    'build 20348',
    'upgrade to Windows 11',
    'upgrade to 24H2 failed',
    '24H2 update failed',
    'my pc is slow',
  ];
  for (const text of none) {
    it(`finds no OS in ${JSON.stringify(text)}`, () => assert.equal(understand(text).os, null));
  }
});

describe('understand: a plain message', () => {
  it('has nothing tried, no clue, no target, no correction, and is not truncated', () => {
    const u = understand('Windows Update fails with 0x80070002 on Windows 11');
    assert.deepEqual(
      [u.tried, u.clues, u.target, u.corrections, u.noCode, u.truncated],
      [[], [], null, [], false, false],
    );
  });
});

describe('understand: language', () => {
  const cases: [string, Locale | null][] = [
    ['Windows Update fails', 'en'],
    ['Windows Update でエラー', 'ja'],
    ['パソコン', 'ja'],
    ['更新', 'ja'],
    ['Windows Update выдает ошибку', 'ru'],
    ['error 0х80070003', 'en'], // the Cyrillic х is inside the code
    ['KB5065687 fails', 'en'],
    ['КВ5065687 fails', 'en'],
    ['0x80070002', null],
    ['0х80070003', null],
    ['80070002 / 0x80070003', null],
    ['KB5065687', null],
    ['status_wait_2', null],
    ['22631.4460', null],
    ['', null],
  ];
  for (const [text, language] of cases) {
    it(`${JSON.stringify(text)} → ${language}`, () => assert.equal(understand(text).language, language));
  }
});

interface CorpusEntry {
  text: string;
  expect: {
    codes: string[];
    subcodes: string[];
    kb: string[];
    context: Context | null;
    osFamily: OsFamily | null;
    language: Locale | null;
  };
}

describe('understand: bench corpus (bench/corpus/messages.json)', () => {
  const corpus = JSON.parse(
    readFileSync(path.join(ROOT, 'bench/corpus/messages.json'), 'utf8'),
  ) as CorpusEntry[];

  it('has realistic size and well-formed expectations', () => {
    assert.ok(corpus.length >= 80);
    for (const { text, expect } of corpus) {
      assert.ok(expect.context === null || isContext(expect.context), text);
      assert.ok(expect.language === null || isLocale(expect.language), text);
    }
  });

  for (const { text, expect } of corpus) {
    it(text, () => {
      const u: Understanding = understand(text);
      assert.deepEqual(
        {
          codes: u.codes,
          subcodes: u.subcodes,
          kb: u.kb,
          context: u.context,
          osFamily: u.os?.family ?? null,
          language: u.language,
        },
        expect,
      );
    });
  }
});
