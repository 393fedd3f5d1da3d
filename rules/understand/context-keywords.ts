/**
 * Keywords that say where an error happened, one entry per context, in English, Japanese and Russian.
 *
 * Each keyword is a regular-expression source (matched case-insensitively on NFKC text) with a weight:
 * 3 = names the place outright ("Microsoft Store", "システムの復元", "Центр обновления"),
 * 2 = a strong hint ("store", "upgrade", "バックアップ", "резервн…"),
 * 1 = a generic word shared by several places ("update", "install", "復元", "установк…").
 * The context with the heaviest match wins; ties go to the earlier entry in CONTEXT_KEYWORDS, which is
 * ordered most specific first. English keywords must stand as whole Latin words; Russian keywords are
 * stems that must start a word; Japanese keywords match anywhere.
 */
import type { Context } from '../vocabulary';

export type Weight = 1 | 2 | 3;
export type Keyword = readonly [source: string, weight: Weight];

export interface ContextKeywords {
  context: Context;
  en: readonly Keyword[];
  ja: readonly Keyword[];
  ru: readonly Keyword[];
}

/** Most specific first: ties between equal weights go to the earlier entry. */
export const CONTEXT_KEYWORDS: readonly ContextKeywords[] = [
  {
    context: 'sccm',
    en: [
      ['sccm', 3],
      ['configmgr', 3],
      ['(?:microsoft\\s+endpoint\\s+)?configuration\\s+manager', 3],
      ['mecm', 3],
      ['memcm', 3],
      ['software\\s*cent(?:er|re)', 3],
      ['ccmexec', 3],
      ['ccmsetup', 3],
      ['system\\s+center', 3],
    ],
    ja: [
      ['ソフトウ[ェエ]ア\\s*センター', 3],
      ['構成\\s*マネージャー', 3],
    ],
    ru: [
      ['центр\\p{L}*\\s+программного\\s+обеспечения', 3],
      ['диспетчер\\p{L}*\\s+конфигураци\\p{L}*', 3],
    ],
  },
  {
    context: 'microsoft-store',
    en: [
      ['microsoft\\s*store', 3],
      ['ms\\s*store', 3],
      ['windows\\s+store', 3],
      ['wsreset(?:\\.exe)?', 3],
      ['store\\s+apps?', 3],
      ['store', 2],
    ],
    ja: [
      ['マイクロソフト\\s*ストア', 3],
      ['ストア\\s*アプリ', 3],
      ['ストア', 2],
    ],
    ru: [
      ['магазин\\p{L}*\\s+(?:microsoft|windows|приложений)', 3],
      ['магазин\\p{L}*', 2],
    ],
  },
  {
    context: 'outlook',
    en: [
      ['outlook', 3],
      ['(?:pst|ost)(?:\\s+files?)?', 2],
    ],
    ja: [['アウトルック', 3]],
    ru: [['аутлук\\p{L}*', 3]],
  },
  {
    context: 'iis',
    en: [
      ['iis(?:\\s+express)?', 3],
      ['internet\\s+information\\s+services', 3],
      ['app(?:lication)?\\s*pools?', 3],
      ['w3wp(?:\\.exe)?', 3],
      ['inetmgr', 3],
      ['visual\\s+studio', 2],
      ['asp\\.net(?:\\s+core)?', 2],
      ['web\\.config', 2],
      ['http\\s+error\\s+5\\d\\d(?:\\.\\d+)?', 2],
    ],
    ja: [
      ['アプリケーション\\s*プール', 3],
      ['インターネット\\s*インフォメーション\\s*サービス', 3],
      ['ビジュアル\\s*スタジオ', 2],
    ],
    ru: [
      ['пул\\p{L}*\\s+приложени\\p{L}*', 3],
      ['веб-сервер\\p{L}*', 1],
    ],
  },
  {
    context: 'windows-setup',
    en: [
      ['feature\\s+updates?', 3],
      ['media\\s+creation\\s+tool', 3],
      ['mct', 2],
      ['(?:windows\\s+11\\s+)?installation\\s+assistant', 3],
      ['update\\s+assistant', 3],
      ['setup\\.exe', 3],
      ['setupdiag(?:\\.exe)?', 3],
      ['windows\\s+setup', 3],
      ['in-?place\\s+upgrade', 3],
      ['repair\\s+install', 3],
      ['clean\\s+install\\p{L}*', 3],
      ['(?:safeguard|compatibility)\\s+hold', 3],
      ['\\$windows\\.~bt', 3],
      [
        '(?:updat\\p{L}*|upgrad\\p{L}*)\\s+to\\s+(?:(?:windows|win|w)\\s*1[01]|(?:version\\s+)?\\d{2}h[12])',
        3,
      ],
      ['install\\p{L}*\\s+(?:windows|win|w)\\s*1[01]', 3],
      ['\\d{2}h[12]\\s+(?:feature\\s+)?(?:update|upgrade)', 3],
      ['upgrad\\p{L}*', 2],
      ['upgarde\\p{L}*', 2],
    ],
    ja: [
      ['機能更新', 3],
      ['メディア作成ツール', 3],
      ['インストール\\s*アシスタント', 3],
      ['インプレース\\s*アップグレード', 3],
      ['上書き\\s*インストール', 3],
      ['クリーン\\s*インストール', 3],
      [
        '(?:(?:windows|ウィンドウズ|ウインドウズ)\\s*1[01]|\\d{2}h[12])\\s*(?:へ|に)(?:の\\s*)?(?:アップグレード|アップデート|更新)',
        3,
      ],
      ['(?:windows|ウィンドウズ)\\s*(?:の\\s*)?セットアップ', 3],
      ['\\d{2}h[12]\\s*(?:の\\s*)?(?:アップデート|アップグレード|更新)(?!プログラム)', 3],
      ['アップグレード', 2],
    ],
    ru: [
      ['обновлени\\p{L}*\\s+до\\s+(?:(?:windows|виндовс|win)\\s*)?(?:1[01]|\\d{2}h[12])', 3],
      ['обновлени\\p{L}*\\s+на\\s+(?:(?:windows|виндовс|win)\\s*1[01]\\s*)?\\d{2}h[12]', 3],
      ['обнови\\p{L}*\\s+до\\s+(?:(?:windows|виндовс|win)\\s*)?(?:1[01]|\\d{2}h[12])', 3],
      ['обновлени\\p{L}*\\s+(?:функций|компонентов)', 3],
      ['средств\\p{L}*\\s+создания\\s+носител\\p{L}*', 3],
      ['помощник\\p{L}*\\s+по\\s+установке', 3],
      ['(?:чист\\p{L}*\\s+)?(?:пере)?установк\\p{L}*\\s+(?:windows|виндовс|винды)', 3],
      ['программ\\p{L}*\\s+установки\\s+windows', 3],
      ['апгрейд\\p{L}*', 2],
    ],
  },
  {
    context: 'backup-restore',
    en: [
      ['backup\\s+(?:and|&)\\s+restore', 3],
      ['windows\\s+(?:server\\s+)?backup', 3],
      ['file\\s+history', 3],
      ['wbadmin(?:\\.exe)?', 3],
      ['back-?ups?', 2],
      ['back(?:ing|ed)?\\s+up', 2],
      ['restor\\p{L}*\\s+(?:(?:my|the|all|deleted|lost|old)\\s+)?files?', 2],
    ],
    ja: [
      ['バックアップと復元', 3],
      ['ファイル履歴', 3],
      ['ファイル\\s*(?:を|の)\\s*復元', 2],
      ['バックアップ', 2],
    ],
    ru: [
      ['архивац\\p{L}*\\s+и\\s+восстановлени\\p{L}*', 3],
      ['истори\\p{L}*\\s+файлов', 3],
      ['резервн\\p{L}*\\s+копи\\p{L}*', 3],
      ['архивац\\p{L}*', 2],
      ['резервн\\p{L}*', 2],
      ['бэкап\\p{L}*', 2],
      ['бекап\\p{L}*', 2],
      // "восстановление файлов из архива": files back from a backup (not System Restore)
      ['(?:из|в)\\s+архив\\p{L}*', 2],
      ['восстановлени\\p{L}*\\s+файл\\p{L}*', 2],
      ['восстан\\p{L}*\\s+архив\\p{L}*', 2],
    ],
  },
  {
    context: 'system-restore',
    en: [
      ['system\\s+restore', 3],
      ['restore\\s+points?', 3],
      ['rstrui(?:\\.exe)?', 3],
      ['system\\s+protection', 3],
      ['system\\s+image', 2],
      // not DISM's "/RestoreHealth", which repairs the component store
      ['restor(?!ehealth)\\p{L}*', 1],
    ],
    ja: [
      ['システム\\s*(?:の\\s*)?復元', 3],
      ['復元ポイント', 3],
      ['システム\\s*(?:の\\s*)?保護', 3],
      ['システム\\s*イメージ', 2],
      ['復元', 1],
    ],
    ru: [
      ['восстановлени\\p{L}*\\s+систем\\p{L}*', 3],
      ['точк\\p{L}*\\s+восстановлени\\p{L}*', 3],
      ['защит\\p{L}*\\s+систем\\p{L}*', 3],
      ['образ\\p{L}*\\s+систем\\p{L}*', 2],
      ['восстановлени\\p{L}*', 1],
    ],
  },
  {
    context: 'windows-update',
    en: [
      ['(?:windows|win)\\s*(?:updates?|upd)', 3],
      ['wuauserv', 3],
      ['wu', 2],
      // the Windows Update page's own wording: "Install error - 0x80070103" (any dash)
      ['install\\s+error\\s?[-–—]', 2],
      ['software\\s*distribution', 3],
      ['(?:cumulative|quality|security)\\s+updates?', 3],
      ['update\\s+history', 3],
      ['wsus', 2],
      ['patch\\s+tuesday', 2],
      ['updat\\p{L}*', 1],
      ['udpat\\p{L}*', 1],
      // chat shorthand: "upd fails", "updt"
      ['upd(?:t|s)?', 1],
      ['upadte\\p{L}*', 1],
      ['patch\\p{L}*', 1],
    ],
    ja: [
      ['(?:windows|ウィンドウズ|ウインドウズ)\\s*(?:アップデート|アプデ)', 3],
      ['更新プログラム', 3],
      ['(?:累積|品質|セキュリティ)\\s*更新', 3],
      ['更新\\s*(?:の\\s*)?履歴', 3],
      ['インストール\\s*エラー\\s?[-–—]', 2],
      ['アップデート', 1],
      ['アプデ', 1],
      ['更新', 1],
      ['パッチ', 1],
    ],
    ru: [
      ['центр\\p{L}*\\s+обновлени\\p{L}*', 3],
      ['(?:накопительн|ежемесячн)\\p{L}*\\s+обновлени\\p{L}*', 3],
      ['обновлени\\p{L}*\\s+безопасности', 3],
      ['виндовс\\s+апдейт\\p{L}*', 3],
      // the Windows Update page's wording in Russian: "Ошибка установки — 0x80070103"
      ['ошибк\\p{L}*\\s+установки\\s?[-–—]', 2],
      ['обновлени\\p{L}*', 1],
      ['обнов\\p{L}*', 1],
      ['апдейт\\p{L}*', 1],
      ['патч\\p{L}*', 1],
    ],
  },
  {
    context: 'app-install',
    en: [
      ['msiexec(?:\\.exe)?', 3],
      ['windows\\s+installer', 3],
      ['(?<=[^\\s.]\\.)msi', 3],
      ['installers?', 2],
      ['setup\\s+wizard', 2],
      ['(?:google\\s+)?chrome', 2],
      ['firefox', 2],
      ['zoom', 2],
      ['adobe', 2],
      // installing an app or program, as people say it: "installing an app", "program install fails"
      ['install\\p{L}*\\s+(?:an?\\s+|the\\s+|this\\s+|my\\s+)?(?:apps?|applications?|programs?)', 2],
      ['(?:apps?|applications?|programs?)\\s+install\\p{L}*', 2],
      // not the install date of Windows itself (Settings > About, systeminfo): "Installed on 5/1/2024"
      ['install(?!\\p{L}*\\s(?:on\\s\\d|date))\\p{L}*', 1],
      ['instal', 1],
      ['uninstall\\p{L}*', 1],
    ],
    ja: [
      ['インストーラー?', 2],
      ['クローム', 2],
      ['(?:アプリ(?:ケーション)?|ソフト)\\s*(?:の|を)?\\s*インストール', 2],
      ['インストール(?!\\s?日)', 1],
    ],
    ru: [
      ['установщик\\p{L}*', 2],
      ['инсталлятор\\p{L}*', 2],
      ['хром\\p{L}*', 2],
      ['установ\\p{L}*\\s+(?:программ|приложени|софт)\\p{L}*', 2],
      ['(?:программ|приложени)\\p{L}*\\s+(?:не\\s+)?устан\\p{L}*', 2],
      ['(?<!дата\\s)установ\\p{L}*', 1],
      ['инсталл\\p{L}*', 1],
    ],
  },
];
