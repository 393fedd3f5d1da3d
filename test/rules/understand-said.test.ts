import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as schema from '../../rules/kb/schema';
import { createUnderstander } from '../../rules/understand';
import type { Clue, Tried } from '../../rules/vocabulary';

// Read the releases table directly (not the whole KB, which may be mid-edit elsewhere).
const releases = z
  .array(schema.release)
  .parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../rules/kb/releases.json'), 'utf8')));
const understand = createUnderstander({ aliases: {}, releases });

describe('understand: what the user already tried', () => {
  const cases: [string, Tried[]][] = [
    ['再起動はもうやりました', ['restart']],
    ['再起動済みです', ['restart']],
    ['再起動しても直りません', ['restart']],
    ['Already rebooted', ['restart']],
    ['I restarted twice', ['restart']],
    ["rebooting didn't help", ['restart']],
    ['перезагружать пробовал', ['restart']],
    ['перезагружал', ['restart']],
    ['перезагрузка не помогла', ['restart']],
    ['トラブルシューティングツールを実行したけどダメ', ['troubleshooter']],
    ['ran the troubleshooter', ['troubleshooter']],
    ['запускал средство устранения неполадок', ['troubleshooter']],
    ['renamed SoftwareDistribution', ['cache-reset']],
    ['SoftwareDistribution folder deleted', ['cache-reset']],
    ['I reset the update cache', ['cache-reset']],
    ['キャッシュをクリアした', ['cache-reset']],
    ['キャッシュを削除しました', ['cache-reset']],
    ['чистил кэш обновлений', ['cache-reset']],
    ['I ran sfc /scannow', ['sfc-dism']],
    ['ran DISM', ['sfc-dism']],
    ['sfcもdismもやった', ['sfc-dism']],
    ['делал sfc', ['sfc-dism']],
    ['ran wsreset already', ['wsreset']],
    ['ストアのキャッシュをクリアした', ['wsreset']],
    ['reinstalled the app', ['reinstall']],
    ['再インストールした', ['reinstall']],
    ['переустанавливал', ['reinstall']],
    ['installed it manually from the catalog', ['manual-install']],
    ['手動でインストールした', ['manual-install']],
    ['ставил вручную', ['manual-install']],
    ['paused and resumed updates', ['pause-resume']],
    ['一時停止して再開しました', ['pause-resume']],
    ['did a clean boot', ['clean-boot']],
    ['クリーンブートも試した', ['clean-boot']],
    ['ran disk cleanup', ['disk-cleanup']],
    ['synced the time', ['clock']],
    ['時刻を合わせた', ['clock']],
    ['システムの復元もした', ['system-restore']],
    ['делал восстановление системы', ['system-restore']],
    ['Already rebooted and ran sfc, still 0x80070002', ['restart', 'sfc-dism']],
    ["I didn't restart but ran sfc", ['sfc-dism']],
    ['Rebooted, should I run sfc?', ['restart']],
    ['再起動した、sfcはまだ', ['restart']],
  ];
  for (const [text, tried] of cases) {
    it(`${JSON.stringify(text)} → ${tried.join(', ')}`, () =>
      assert.deepEqual(understand(text).tried, tried));
  }

  const notTried = [
    'should I restart?',
    '再起動したほうがいいですか',
    '再起動したいです',
    'how do I run sfc',
    'как сделать sfc?',
    'sfc /scannow', // a bare mention: nothing says it was done
    'restart required',
    'перезагрузить?',
    "I haven't restarted yet",
    "I haven't restarted or reinstalled",
    'まだ再起動していません',
    'ещё не перезагружал',
    'sfc не делал',
    'please reset the update cache',
    'how to reset the update cache',
    '時計がずれていた', // a clue, not something done
  ];
  for (const text of notTried) {
    it(`nothing tried in ${JSON.stringify(text)}`, () => assert.deepEqual(understand(text).tried, []));
  }

  it('does not carry a question of one sentence into the next', () =>
    assert.deepEqual(understand('Should I reinstall? I already restarted.').tried, ['restart']));
});

describe('understand: clues', () => {
  const cases: [string, Clue[]][] = [
    ['the PC clock was wrong', ['clock-wrong']],
    ['時計がずれていた', ['clock-wrong']],
    ['время на компьютере неправильное', ['clock-wrong']],
    ['the laptop was off for a month', ['long-off']],
    ['1か月ぶりに電源を入れた', ['long-off']],
    ['ноутбук месяц не включали', ['long-off']],
    ['stuck at 0%', ['download-stuck']],
    ['ダウンロードが0%から進まない', ['download-stuck']],
    ['загрузка висит на 0%', ['download-stuck']],
    ["it's an Intel display driver", ['driver-named']],
    ['Realtek のオーディオ ドライバー', ['driver-named']],
    ['драйвер Intel', ['driver-named']],
    ['Intel Corporation - Display - 31.0.101.5333 fails with 0x80070103', ['driver-named']],
    ['PST はNASに置いてます', ['data-file-on-share']],
    ['the PST is on a network drive', ['data-file-on-share']],
    ['moved the .pst', ['data-file-on-share']],
    ['файл PST на сетевом диске', ['data-file-on-share']],
    ['physical path D:\\sites\\app', ['physical-path']],
    ['物理パスを確認', ['physical-path']],
    ['since the last update', ['after-update']],
    ['更新後から起動が遅い', ['after-update']],
    ['после обновления не работает', ['after-update']],
    ['disk is almost full', ['low-disk']],
    ['Cドライブの空きがない', ['low-disk']],
    ['мало места на диске', ['low-disk']],
    ['since the last update the disk is almost full', ['after-update', 'low-disk']],
  ];
  for (const [text, clues] of cases) {
    it(`${JSON.stringify(text)} → ${clues.join(', ')}`, () =>
      assert.deepEqual(understand(text).clues, clues));
  }
  for (const text of [
    'Windows Update fails with 0x80070002',
    'the clock is on the wall',
    'Outlook is slow',
    '',
  ]) {
    it(`no clue in ${JSON.stringify(text)}`, () => assert.deepEqual(understand(text).clues, []));
  }
});

describe('understand: no code', () => {
  for (const text of [
    'コードは出てないです',
    "there's no code",
    'кода нет',
    'エラーコードは表示されません',
    'no error code, it just fails',
  ]) {
    it(`${JSON.stringify(text)} says there is no code`, () => assert.equal(understand(text).noCode, true));
  }
  for (const text of [
    'Windows Update fails',
    'the code is 0x80070002',
    'コードは 0x80070002 です',
    'код 0x80070002',
    '',
  ]) {
    it(`${JSON.stringify(text)} does not`, () => assert.equal(understand(text).noCode, false));
  }
});
