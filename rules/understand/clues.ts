/**
 * Clues to the cause in what the user wrote (CLUES): the clock was wrong, the PC was off for weeks, the
 * download is stuck, a driver is named, the Outlook data file is on a share, an IIS physical path is
 * named, it started after an update, the disk is nearly full. Every repetition is bounded, so each
 * pattern runs in time linear in the text.
 */
import { CLUES, type Clue } from '../vocabulary';
import { compilePhrases, type Phrases } from './phrases';

/** Vendors whose drivers Windows Update offers (and re-offers). */
const VENDORS =
  '(?:intel|realtek|nvidia|amd|ati|qualcomm|broadcom|synaptics|elan|conexant|mediatek|marvell|killer|logitech|dell|lenovo|hp|asus|acer|wacom|cirrus\\slogic|dolby|waves)';
/** Kinds of device drivers. */
const DEVICE_KIND_EN =
  '(?:display|graphics|gpu|video|audio|sound|network|net|wi-?fi|wireless|wlan|ethernet|lan|bluetooth|chipset|touchpad|camera|printer|firmware)';

const CLUE_PHRASES: Readonly<Record<Clue, Phrases>> = {
  'clock-wrong': {
    en: [
      "(?:clock|time|date)(?:\\s(?:on|of)\\s(?:the|my)\\s(?:pc|computer|laptop))?\\s(?:was|is|were|are|'s)\\s(?:\\p{L}+\\s)?(?:wrong|off|incorrect|behind|ahead|out\\sof\\ssync|not\\s(?:right|correct|synced))",
      'wrong\\s(?:time|date|clock)',
      '(?:clock|time)\\sskew',
    ],
    ja: ['(?:時計|時刻|日時|時間|日付)\\s?(?:が|は)?\\s?(?:ずれ|狂っ|くるっ|おかし|違っ|合って(?:い)?な)'],
    ru: [
      '(?:врем\\p{L}*|час(?:ы|ах)(?!\\p{L})|дат\\p{L}*)(?:\\s\\p{L}+){0,3}\\s(?:неправильн|неверн|сбил|сбит|отста|спеш|не\\sсовпада)\\p{L}*',
      '(?:неправильн|неверн|сбит)\\p{L}*\\s(?:врем|дат)\\p{L}*',
    ],
  },
  'long-off': {
    en: [
      '(?:off|unused|shut\\sdown|powered\\soff|not\\sused|stored|in\\sa\\sdrawer|away|on\\sleave|switched\\soff)\\sfor\\s(?:over\\s|about\\s|almost\\s)?(?:a|\\d+|two|three|four|six|several|a\\sfew|many|some)?\\s?(?:weeks?|months?|years?)',
      "(?:first\\stime|haven'?t\\sused\\sit|not\\sturned\\son|not\\sused)\\sin\\s(?:a\\s|\\d+\\s|two\\s|three\\s|several\\s|a\\sfew\\s|many\\s)?(?:weeks?|months?|years?)",
    ],
    ja: [
      '(?:\\d+|一|二|三|四|五|六|半|数|何)\\s?(?:か月|ヶ月|カ月|ケ月|箇月|週間|年)\\s?(?:ぶり|振り|以上|ほど|くらい|ぐらい)?\\s?(?:ぶり|振り|使って(?:い)?な|電源|放置|起動して(?:い)?な|触って(?:い)?な)',
      '久(?:しぶり|々|しく)\\s?(?:に)?\\s?(?:電源|起動|使|立ち上げ)',
    ],
    ru: [
      '(?:месяц\\p{L}*|недел\\p{L}*|год\\p{L}*|полгода|пару\\sмесяцев)\\s(?:\\p{L}+\\s)?не\\s(?:включал\\p{L}*|использовал\\p{L}*|пользовал\\p{L}*|запускал\\p{L}*)',
      'не\\s(?:включал\\p{L}*|использовал\\p{L}*|пользовал\\p{L}*)\\s(?:\\p{L}+\\s)?(?:месяц\\p{L}*|недел\\p{L}*|год\\p{L}*|полгода)',
      'впервые\\sза\\s(?:\\p{L}+\\s)?(?:месяц|недел|год|полгода)\\p{L}*',
      'был\\p{L}*\\sвыключен\\p{L}*\\s(?:\\p{L}+\\s)?(?:месяц|недел|год)\\p{L}*',
    ],
  },
  'download-stuck': {
    en: [
      '(?:stuck|hangs?|hanging|hung|frozen|freezes|stays?|sits?|stopped)\\s(?:at|on)\\s(?:0\\s?%|0\\spercent|downloading|pending\\sdownload)',
      "download\\p{L}*\\s(?:is\\s|was\\s|keeps\\s)?(?:stuck|hangs?|hanging|frozen|not\\sprogressing|never\\s(?:finishes|completes)|doesn'?t\\sprogress|won'?t\\s(?:start|progress))",
    ],
    ja: [
      'ダウンロード\\s?(?:が|は|中)?\\s?(?:\\d{1,3}\\s?%\\s?(?:から|で|のまま)?\\s?)?(?:進まない|進みません|止まっ|終わらない|終わりません|固まっ)',
      '0\\s?%\\s?(?:から|で|のまま)\\s?(?:進ま|止まっ|動かな|変わらな)',
    ],
    ru: [
      '(?:вис\\p{L}*|завис\\p{L}*|застр\\p{L}*|стоит|останов\\p{L}*)\\sна\\s0\\s?%',
      '(?:загрузк\\p{L}*|скачивани\\p{L}*)\\s(?:\\p{L}+\\s)?(?:вис\\p{L}*|завис\\p{L}*|застр\\p{L}*|не\\sид[её]т|стоит)',
    ],
  },
  'driver-named': {
    en: [
      `${VENDORS}(?:\\s[\\p{L}\\d-]+){0,3}\\sdrivers?`,
      `${VENDORS}(?:\\s(?:corporation|corp\\.?|inc\\.?|semiconductor|co\\.?))?\\s?-\\s?\\p{L}+\\s?-\\s?\\d+`,
      `${DEVICE_KIND_EN}\\sdrivers?`,
    ],
    ja: [
      `${VENDORS}[^\\n。]{0,20}?ドライバ`,
      '(?:ディスプレイ|グラフィック\\p{L}*|ビデオ|オーディオ|サウンド|ネットワーク|無線\\s?lan|ブルートゥース|チップセット|タッチパッド|カメラ|プリンター)\\s?(?:の\\s?)?ドライバ',
    ],
    ru: [
      `драйвер\\p{L}*\\s(?:\\p{L}+\\s)?${VENDORS}`,
      `(?:видео|звук\\p{L}*|аудио|сетев\\p{L}*|дисплея|графи\\p{L}*|чипсет\\p{L}*|камер\\p{L}*|принтер\\p{L}*)\\s?драйвер\\p{L}*`,
      'драйвер\\p{L}*\\s(?:видео\\p{L}*|звук\\p{L}*|аудио\\p{L}*|сетев\\p{L}*|дисплея|графи\\p{L}*|чипсет\\p{L}*|камер\\p{L}*|принтер\\p{L}*)',
      'видеодрайвер\\p{L}*',
    ],
  },
  'data-file-on-share': {
    en: [
      '(?:\\.?pst|\\.?ost|data\\sfile)s?(?:\\s(?:file|files|is|are|was|were|sits|lives|stored|located|kept|saved)){0,3}\\s(?:on|in)\\s(?:a\\s|the\\s|our\\s|my\\s)?(?:network|nas|share|shared\\s(?:drive|folder)|file\\sserver|mapped\\sdrive|server|onedrive|unc)',
      'mov\\p{L}*\\s(?:the\\s|my\\s|our\\s)?(?:\\.?pst|\\.?ost|data\\sfile)',
      '\\\\\\\\[^\\s\\\\]{1,64}\\\\[^\\s]{0,200}?\\.pst',
    ],
    ja: [
      '(?:pst|ost|データ\\s?ファイル)[^\\n。]{0,20}?(?:nas|ネットワーク|共有|サーバ|ファイル\\s?サーバ)',
      '(?:pst|ost|データ\\s?ファイル)[^\\n。]{0,10}?(?:移動|移し)',
    ],
    ru: [
      '(?:pst|ost|файл\\p{L}*\\sданных)[^\\n.]{0,30}?(?:сетев\\p{L}*|nas|шар\\p{L}*|сервер\\p{L}*|общ\\p{L}*\\sпапк)',
      'перен[её]с\\p{L}*\\s(?:\\p{L}+\\s)?(?:pst|ost|файл\\p{L}*\\sданных)',
    ],
  },
  'physical-path': {
    en: ['physical\\spath', '[a-z]:\\\\(?:inetpub|sites|www|wwwroot|web)(?![\\p{L}\\d])'],
    ja: ['物理\\s?パス'],
    ru: ['физическ\\p{L}*\\sпут\\p{L}*'],
  },
  'after-update': {
    en: [
      "(?:since|after)\\s(?:the\\s|a\\s|an\\s|last\\s|latest\\s|recent\\s|this\\s|yesterday'?s?\\s|today'?s?\\s|windows\\s|monthly\\s|cumulative\\s){0,3}(?:updat\\p{L}*|patch\\p{L}*|upgrade)",
    ],
    ja: [
      '(?:アップデート|更新|アップグレード|パッチ)\\s?(?:プログラム)?\\s?(?:の\\s?)?(?:後|あと|以降|してから|されてから|を当ててから|を入れてから)',
    ],
    ru: [
      'после\\s(?:\\p{L}+\\s)?(?:обновлени\\p{L}*|апдейт\\p{L}*|патч\\p{L}*)',
      'с\\s(?:последнего\\s|прошлого\\s)?обновлени\\p{L}*',
    ],
  },
  'low-disk': {
    en: [
      '(?:disk|drive|ssd|hdd|storage|c:)(?:\\s[\\p{L}:]+){0,2}\\s(?:almost|nearly|completely|totally)?\\s?full',
      '(?:low|not\\senough|no|little|insufficient|running\\sout\\sof|ran\\sout\\sof|out\\sof)\\s(?:free\\s)?(?:disk\\s|storage\\s|drive\\s)?space',
      '(?:disk|storage)\\sspace\\s(?:is\\s)?(?:low|full)',
      'only\\s\\d+(?:\\.\\d+)?\\s?(?:gb|mb)\\s(?:free|left)',
    ],
    ja: [
      '空き\\s?(?:容量|領域)?\\s?(?:が|は)?\\s?(?:ない|無い|少な|足りな|不足|ありません|わずか|僅か|ほとんど)',
      '(?:容量|ディスク)\\s?(?:が|は)?\\s?(?:不足|足りな|いっぱい|一杯|満杯|少な)',
      'c\\s?ドライブ[^\\n。]{0,10}?(?:いっぱい|一杯|満杯|不足)',
    ],
    ru: [
      'мало\\s(?:свободного\\s)?места',
      '(?:не\\sхватает|нет|закончил\\p{L}*|кончил\\p{L}*|кончается|заканчивается)\\s(?:свободного\\s)?мест\\p{L}*',
      'диск\\p{L}*\\s(?:\\p{L}+\\s)?(?:заполнен|переполнен|забит)\\p{L}*',
      '(?:заполнен|переполнен|забит)\\p{L}*\\s(?:\\p{L}+\\s)?диск\\p{L}*',
    ],
  },
};

const PATTERNS: readonly (readonly [Clue, RegExp])[] = CLUES.map((c) => [c, compilePhrases(CLUE_PHRASES[c])]);

/** @param text the message (NFKC, whitespace folded) */
export function findClues(text: string): Clue[] {
  return PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([clue]) => clue);
}
