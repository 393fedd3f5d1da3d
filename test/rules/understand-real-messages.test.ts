/**
 * Messages as employees type them in Teams and Slack (typos, pasted dialogs, slang, several codes, ids
 * that are not codes), with what a helpdesk technician reads from each. The first tables hold the
 * messages that were misread, by cause; the last holds a sample of those that were already understood.
 */
import assert from 'node:assert/strict';
import { createUnderstander, type Understanding } from '../../rules/understand';
import type { Context, OsInfo, OsTarget, Tried } from '../../rules/vocabulary';
import { kbLexicon } from '../helpers/kb-lexicon';

const understand = createUnderstander(kbLexicon());

interface Expected {
  codes?: string[];
  context?: Context | null;
  os?: OsInfo | null;
  target?: OsTarget | null;
  /** In TRIED order. */
  tried?: Tried[];
}

const win = (n: '10' | '11', version: string | null = null, build: string | null = null): OsInfo => ({
  family: n === '10' ? 'windows-10' : 'windows-11',
  version,
  build,
});

/** The fields the case names, read from the understanding. */
function pick(u: Understanding, expected: Expected): Expected {
  const got: Expected = {};
  if (expected.codes) got.codes = u.codes;
  if (expected.context !== undefined) got.context = u.context;
  if (expected.os !== undefined) got.os = u.os;
  if (expected.target !== undefined) got.target = u.target;
  if (expected.tried) got.tried = u.tried;
  return got;
}

function table(title: string, cases: readonly (readonly [string, Expected])[]): void {
  describe(title, () => {
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.deepEqual(pick(understand(text), expected), expected));
    }
  });
}

table('real messages: a negation about the problem does not cancel what was tried after it', [
  [
    'винда не обновляется, ошибка 0x80070002, перезагрузка не помогла',
    { codes: ['0x80070002'], context: 'windows-update', tried: ['restart'] },
  ],
  [
    'магазин не качает приложения, ошибка 0x80070002, кеш магазина чистил',
    { codes: ['0x80070002'], context: 'microsoft-store', tried: ['wsreset'] },
  ],
  [
    'апдейт не ставится, средство устранения неполадок запускал, не помогло. 0x80070643',
    { codes: ['0x80070643'], context: 'windows-update', tried: ['troubleshooter'] },
  ],
  [
    "win update won't install KB5046633, restarted twice, same error 0x800f0922",
    { codes: ['0x800f0922'], context: 'windows-update', tried: ['restart'] },
  ],
  ['updates wont install, rebooted already. code 0x80070002', { codes: ['0x80070002'], tried: ['restart'] }],
  ["windows won't update, restarted twice", { context: 'windows-update', tried: ['restart'] }],
  ['обновы не ставятся, перезагрузил два раза, ошибка 0x80070003', { tried: ['restart'] }],
  ['Не удалось установить обновление, перезагрузка не помогла 0x800f0922', { tried: ['restart'] }],
  [
    'не могу обновить десятку, sfc /scannow делал, не помогло, 0x800f081f',
    { codes: ['0x800f081f'], os: win('10'), tried: ['sfc-dism'] },
  ],
  [
    'не создаётся бэкап, ошибка 0x807800C5, перезагрузка не помогает',
    { codes: ['0x807800c5'], context: 'backup-restore', tried: ['restart'] },
  ],
  [
    'Аутлук не отправляет почту 0x8004010F, переустановил офис, не помогло',
    { codes: ['0x8004010f'], context: 'outlook', tried: ['reinstall'] },
  ],
  // a negated list still negates every action in it, unless a "but" clause sets itself apart
  ["I haven't restarted, run sfc or reset the update cache", { tried: [] }],
  ["haven't run sfc, but rebooted twice", { tried: ['restart'] }],
  ['я не пробовал только sfc, а перезагружал', { tried: ['restart'] }],
]);

table('real messages: a negated doing verb means the action was not done', [
  ['не пробовал перезагружать', { tried: [] }],
  ['ещё не делал sfc', { tried: [] }],
  ['never tried a reboot', { tried: [] }],
  [
    "haven't tried restarting, update fails with 0x80070003",
    { codes: ['0x80070003'], context: 'windows-update', tried: [] },
  ],
  ['tried restarting', { tried: ['restart'] }],
]);

table('real messages: extension, asset, serial, employee and inventory numbers are not codes', [
  ['call me at 555-0199 or ext 80070002... jk the error is 0x80070003', { codes: ['0x80070003'] }],
  ["laptop can't install updates (0x8007000d). asset tag 80070013", { codes: ['0x8007000d'] }],
  ['S/N 80070013, error 0x80070003', { codes: ['0x80070003'] }],
  ['Windows Updateでエラー(0x80070643)。社員番号 80071234', { codes: ['0x80070643'] }],
  ['ошибка 0x80070002 у пользователя, инв. номер 80070005', { codes: ['0x80070002'] }],
  // a written "0x" is a code whatever word comes before it; a bare code after "error" still is one
  ['update tag 0x80070002', { codes: ['0x80070002'] }],
  ['error 80070002', { codes: ['0x80070002'] }],
]);

table('real messages: "もダメ", "でも直らない" and "→NG" after an action say it was tried', [
  [
    'ストアからアプリが入らない。0x80070002。再インストールもダメ',
    { codes: ['0x80070002'], context: 'microsoft-store', tried: ['reinstall'] },
  ],
  ['再起動でも直らない 0x80070002', { codes: ['0x80070002'], tried: ['restart'] }],
  ['再起動では直りません', { tried: ['restart'] }],
  ['再起動も効果なし', { tried: ['restart'] }],
  ['PC再起動済、WU再実行もNG', { context: 'windows-update', tried: ['restart'] }],
  ['再起動×2回、sfc実施→変化なし', { tried: ['restart', 'sfc-dism'] }],
  ['再起動→NG', { tried: ['restart'] }],
  ['перезагрузка x2', { tried: ['restart'] }],
  [
    'DISM /Online /Cleanup-Image /RestoreHealth ran fine but update still fails',
    { context: 'windows-update', tried: ['sfc-dism'] },
  ],
  ['再起動もしてないです', { tried: [] }],
  ['sfc実施してください', { tried: [] }],
  // "実施" and a count followed by a negation: not done
  ['sfcは実施していません', { tried: [] }],
  ['再起動は実施しておりません', { tried: [] }],
  ['再起動は1回もしていません', { tried: [] }],
  ['再起動は2回やりました', { tried: ['restart'] }],
  ['restart x64 build', { tried: [] }],
  ['should I run DISM /Online /Cleanup-Image /RestoreHealth?', { context: null, tried: [] }],
]);

table('real messages: a System Restore or Store reset already done is not the place', [
  [
    'не устанавливается обновление KB5034441 0x80070643, восстановление системы делал',
    { codes: ['0x80070643'], context: 'windows-update', tried: ['system-restore'] },
  ],
  [
    'update fails 0x80070002, I ran wsreset already',
    { codes: ['0x80070002'], context: 'windows-update', tried: ['wsreset'] },
  ],
  // with nothing else naming a place, it is the place
  [
    'システムの復元が失敗しました 0x80070002 再起動もしました',
    { codes: ['0x80070002'], context: 'system-restore', tried: ['restart', 'system-restore'] },
  ],
  ['I tried system restore and it failed with 0x80070002', { context: 'system-restore' }],
  ['wsresetを実行済み', { context: 'microsoft-store', tried: ['wsreset'] }],
]);

table('real messages: W10/W11 and Russian "11-я винда" name the OS', [
  ['W10 PC, 0x80070002', { codes: ['0x80070002'], os: win('10') }],
  [
    'upgrade W10 -> W11 fails 0xc1900101',
    { context: 'windows-setup', os: win('10'), target: { family: 'windows-11', version: null } },
  ],
  [
    'upgrade to W11 24H2 fails, on W10 22H2',
    { os: win('10', '22H2'), target: { family: 'windows-11', version: '24H2' } },
  ],
  ['update to W11 fails', { context: 'windows-setup', target: { family: 'windows-11', version: null } }],
  ['на 11й винде ошибка 0x80070002', { codes: ['0x80070002'], os: win('11') }],
  ['11-я винда не обновляется', { context: 'windows-update', os: win('11') }],
  ['на 10-ке не ставится апдейт', { context: 'windows-update', os: win('10') }],
  // "on 10 Windows PCs" is a count, not the OS
  ['на 10 виндах ошибка', { os: null }],
]);

table('real messages: the install date of Windows is not an app install', [
  [
    'Edition\tWindows 11 Pro\nVersion\t23H2\nInstalled on\t5/1/2024\nOS build\t22631.4460',
    { context: null, os: win('11', '23H2', '22631.4460') },
  ],
  [
    'エディション\tWindows 11 Pro\nバージョン\t23H2\nインストール日\t2024/05/01\nOS ビルド\t22631.4460',
    { context: null, os: win('11', '23H2', '22631.4460') },
  ],
  ['Выпуск\tWindows 11 Pro\nВерсия\t23H2\nДата установки\t01.05.2024', { context: null }],
  ['Original Install Date: 5/1/2024', { context: null }],
  ['installing Zoom fails', { context: 'app-install' }],
  ['ошибка установки', { context: 'app-install' }],
]);

table('real messages: the Japanese feature-update title names the upgrade target', [
  [
    'Windows 11, version 24H2 の機能更新プログラム - エラー 0x80070002',
    { context: 'windows-setup', os: null, target: { family: 'windows-11', version: '24H2' } },
  ],
  [
    'Windows 11 バージョン 24H2 の機能更新プログラムが 0x80070002 で失敗。今は23H2',
    { os: win('11', '23H2'), target: { family: 'windows-11', version: '24H2' } },
  ],
  [
    '機能更新プログラム (Windows 11, version 24H2) - エラー 0x80070002',
    { os: null, target: { family: 'windows-11', version: '24H2' } },
  ],
  [
    'Windows 10 22H2 の累積更新プログラムが失敗',
    { context: 'windows-update', os: win('10', '22H2'), target: null },
  ],
]);

table('real messages: chat shorthand for Windows Update', [
  ['アプデで0x80070002', { codes: ['0x80070002'], context: 'windows-update' }],
  ['win upd fails', { context: 'windows-update' }],
  ['updt fails 0x80070002', { codes: ['0x80070002'], context: 'windows-update' }],
]);

describe('real messages: installing an app or program names app-install even for a Windows Update code', () => {
  // as if the knowledge base knew every code in Windows Update only: a generic "install" yields to it
  const updateHome = createUnderstander({ ...kbLexicon(), codeHome: () => 'windows-update' });
  const cases: [string, Context][] = [
    ['アプリのインストール中に0x80070103', 'app-install'],
    ['при установке программы ошибка 0x80070643', 'app-install'],
    ['программа не устанавливается 0x80070643', 'app-install'],
    ['installing an app fails with 0x80070643', 'app-install'],
    ['program install fails 0x80070103', 'app-install'],
    // the generic word alone still yields; a stronger place still wins
    ['install error 0x80070103', 'windows-update'],
    ['ストアアプリのインストールで0x80070002', 'microsoft-store'],
    ['ソフトウェアセンターでアプリのインストール失敗 0x87D00324', 'sccm'],
  ];
  for (const [text, context] of cases) {
    it(JSON.stringify(text), () => assert.equal(updateHome(text).context, context));
  }
});

table('real messages already understood', [
  [
    'hey, windows udpate keeps failing with 0x80070002, already restarted twice',
    { codes: ['0x80070002'], context: 'windows-update', tried: ['restart'] },
  ],
  [
    "We couldn't install this update, but you can try again (0x80070003)",
    { codes: ['0x80070003'], context: 'windows-update', tried: [] },
  ],
  ['update fails 0x8007002 pls help', { codes: ['0x80070002'], context: 'windows-update' }],
  [
    'Win11 23H2, build 22631.4460, cumulative update KB5044285 fails with 0x800f0922',
    { codes: ['0x800f0922'], context: 'windows-update', os: win('11', '23H2', '22631.4460') },
  ],
  [
    "upgrade to 24H2 failed with 0xC1900101-0x30018, I'm on Windows 10 Pro 22H2",
    { codes: ['0xc1900101'], context: 'windows-setup', os: win('10', '22H2') },
  ],
  ['I did NOT run sfc yet, should I? error 0x800f081f when installing .NET 3.5', { tried: [] }],
  [
    'Microsoft Windows [Version 10.0.19045.5011]\nupdate error 0x80070002',
    { codes: ['0x80070002'], os: win('10', '22H2', '19045.5011') },
  ],
  [
    'i rebooted and ran sfc /scannow and dism restorehealth, still 0x800f0922',
    { codes: ['0x800f0922'], tried: ['restart', 'sfc-dism'] },
  ],
  [
    'Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5046633) - Error 0x800f0922',
    { codes: ['0x800f0922'], context: 'windows-update', os: win('11', '23H2') },
  ],
  ['Error 0x800f081f on 2024-11-12 while updating, my ext is 4471', { codes: ['0x800f081f'] }],
  [
    'Windowsアップデートで0x80070002が出ます。再起動しても直らないです',
    { codes: ['0x80070002'], context: 'windows-update', tried: ['restart'] },
  ],
  ['０x８００７０００２が出て更新できません', { codes: ['0x80070002'], context: 'windows-update' }],
  [
    '24H2へのアップグレードで0xC1900101-0x40017が出て元に戻ります。今はWindows 11 23H2です',
    { codes: ['0xc1900101'], context: 'windows-setup', os: win('11', '23H2') },
  ],
  [
    'まだ再起動していません。更新で0x80070003が出ています',
    { codes: ['0x80070003'], context: 'windows-update', tried: [] },
  ],
  [
    'バージョン 22H2 (OS ビルド 19045.5011) で 0x80070643 がでる',
    { codes: ['0x80070643'], os: win('10', '22H2', '19045.5011') },
  ],
  ['電話 03-1234-5678 まで。エラーは0x80070002です', { codes: ['0x80070002'] }],
  ['ウィンドウズ11のアップデートでエラー80070002、内線80070003', { codes: ['0x80070002'], os: win('11') }],
  ['キャッシュ削除と再起動は試しました。0x80070002のままです', { tried: ['restart', 'cache-reset'] }],
  [
    'на десятке апдейт падает с 80070003',
    { codes: ['0x80070003'], context: 'windows-update', os: win('10') },
  ],
  ['sfc и dism уже прогонял, всё равно 0x800f081f', { codes: ['0x800f081f'], tried: ['sfc-dism'] }],
  [
    'ещё не перезагружал, ошибка 0x80070003 в центре обновления',
    { codes: ['0x80070003'], context: 'windows-update', tried: [] },
  ],
  ['Заявка 80070002: обновления не ставятся, ошибка 0x80070003', { codes: ['0x80070003'] }],
  ['мой телефон 89161234567, ошибка обновления 0x80070002', { codes: ['0x80070002'] }],
  [
    'ошибка 0х800f0922 при обновлении, винда 10 22H2',
    { codes: ['0x800f0922'], context: 'windows-update', os: win('10', '22H2') },
  ],
  [
    'обнова не встает 0x8007002, уже два раза перезагружался',
    { codes: ['0x80070002'], context: 'windows-update', tried: ['restart'] },
  ],
  ['в Software Center ошибка 0x87D00324', { codes: ['0x87d00324'], context: 'sccm' }],
]);
