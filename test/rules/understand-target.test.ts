import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as schema from '../../rules/kb/schema';
import { createUnderstander } from '../../rules/understand';
import type { OsFamily, OsTarget } from '../../rules/vocabulary';

// Read the releases table directly (not the whole KB, which may be mid-edit elsewhere).
const releases = z
  .array(schema.release)
  .parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../rules/kb/releases.json'), 'utf8')));
const understand = createUnderstander({ aliases: {}, releases });

describe('understand: upgrade target and current OS', () => {
  const cases: [string, OsFamily | null, string | null, OsTarget | null][] = [
    ['upgrade to 24H2 failed', null, null, { family: 'windows-11', version: '24H2' }],
    ['Windows 11 へのアップグレードに失敗', null, null, { family: 'windows-11', version: null }],
    ['обновление до Windows 11 24H2', null, null, { family: 'windows-11', version: '24H2' }],
    ['Windows 10 から 11 へのアップグレード', 'windows-10', null, { family: 'windows-11', version: null }],
    ['upgrade from Win10 to 11 fails', 'windows-10', null, { family: 'windows-11', version: null }],
    [
      'Feature update to Windows 11, version 24H2 failed',
      null,
      null,
      { family: 'windows-11', version: '24H2' },
    ],
    [
      'Updating to 24H2 failed on my Windows 11 23H2 PC',
      'windows-11',
      '23H2',
      { family: 'windows-11', version: '24H2' },
    ],
    ['24H2 update failed', null, null, { family: 'windows-11', version: '24H2' }],
    ['機能更新プログラム 24H2 のインストールで失敗', null, null, { family: 'windows-11', version: '24H2' }],
    [
      'Windows 11 upgrade fails on build 19045.5011',
      'windows-10',
      '22H2',
      { family: 'windows-11', version: null },
    ],
    ['Windows 11 23H2 で更新が失敗', 'windows-11', '23H2', null],
    ['Windows Update fails on Windows 10', 'windows-10', null, null],
    ['Windows 11 update KB5065687 fails', 'windows-11', null, null],
  ];
  for (const [text, family, version, target] of cases) {
    it(JSON.stringify(text), () => {
      const u = understand(text);
      assert.deepEqual(u.target, target, 'target');
      assert.equal(u.os?.family ?? null, family, 'os family');
      assert.equal(u.os?.version ?? null, version, 'os version');
    });
  }
});

describe('understand: OS versions written next to Japanese', () => {
  const cases: [string, OsFamily, string][] = [
    ['Windows 11 23H2です', 'windows-11', '23H2'],
    ['Win10 22H2です', 'windows-10', '22H2'],
    ['PCはWindows 11 24H2で、更新が失敗します', 'windows-11', '24H2'],
  ];
  for (const [text, family, version] of cases) {
    it(JSON.stringify(text), () => assert.deepEqual(understand(text).os, { family, version, build: null }));
  }
});
