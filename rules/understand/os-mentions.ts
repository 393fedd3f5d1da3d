/**
 * Mentions of a Windows family or version in a message, and whether a mention is the target of an
 * upgrade ("upgrade to Windows 11", "24H2 へ", "обновление до 24H2") or the PC's current system.
 * Shared by the current-OS detector (os.ts) and the upgrade-target detector (target.ts).
 */
import type { OsFamily } from '../vocabulary';

/** Letters and digits that glue onto a name; kana and kanji do not ("Windows 11です", "23H2で"). */
const GLUE = '\\p{Script=Latin}\\p{Script=Cyrillic}\\p{N}';

/** "23H2", "24h2". */
export const HALF_YEAR_VERSION = new RegExp(`(?<![${GLUE}])(\\d{2})h([12])(?![${GLUE}])`, 'giu');

/** "Windows", "Win", "виндовс", or the IT shorthand "W" glued to its number ("W10", "W11"). */
const NAME = '(?:(?:windows|win|виндовс)\\s?|w)';

/** Family names with their number: "Windows 11", "Win10", "W11", "win 8.1", "ウィンドウズ11", "виндовс 10". */
export const FAMILY_NAME = new RegExp(
  `(?<![${GLUE}])(?:(?:windows|win|ウィンドウズ|ウインドウズ|виндовс\\p{L}*|винд[аоуые]|вин)\\s?-?\\s?|w)(11|10|8\\.1|7)(?!\\d|\\.\\d)`,
  'giu',
);

/** "Windows 10 から 11", "Win10 to 11", "W10 -> W11", "с Windows 10 до 11": current, then target. */
export const FROM_TO = new RegExp(
  `(?<![${GLUE}])${NAME}(11|10|8\\.1|7)\\s?(?:から|to|до|на|->|→|=>)\\s?${NAME}?(11|10)(?![\\d.]|\\s?h\\d)`,
  'iu',
);

export const FAMILY_BY_NUMBER: Readonly<Record<string, OsFamily>> = {
  '11': 'windows-11',
  '10': 'windows-10',
  '8.1': 'windows-8.1',
  '7': 'windows-7',
};

/** Words before a mention that make it the target of an upgrade, not the PC's current system. */
const TARGET_BEFORE =
  /(?:(?<![a-z])to|(?<!\p{L})до|(?<!\p{L})обновл\p{L}*\sна|feature\s+update|機能更新(?:プログラム)?\s?[(（]?)\s?(?:(?:(?:windows|win|виндовс)\s?|w)1[01]\s?)?,?\s?(?:version|バージョン|верси\p{L}*)?\s?$/iu;
/**
 * Words after a mention that make it a target: "へ", "に更新", "upgrade", "のアップグレード", and the
 * Japanese title of the feature update "Windows 11, version 24H2 の機能更新プログラム".
 */
const TARGET_AFTER =
  /^,?\s?(?:(?:version|バージョン)\s?\d{2}h[12]\s?|\d{2}h[12]\s?)?(?:へ|に\s?(?:アップ|更新|移行)|(?:の\s?)?(?:アップグレード|機能更新)|(?:feature\s+)?upgrad|feature\s+update)/iu;
/** After a version only: "24H2 update" is the feature update to 24H2 (not "23H2 update KB5034441"). */
const VERSION_UPDATE_AFTER = /^\s?(?:update|アップデート|更新)(?!\s?(?:kb|プログラム))/iu;

/** How far around a mention the target words are looked for. */
const BEFORE = 40;
const AFTER = 28;

export function isTargetMention(text: string, match: RegExpMatchArray, isVersion: boolean): boolean {
  const start = match.index ?? 0;
  const end = start + match[0].length;
  const before = text.slice(Math.max(0, start - BEFORE), start);
  const after = text.slice(end, end + AFTER);
  return (
    TARGET_BEFORE.test(before) || TARGET_AFTER.test(after) || (isVersion && VERSION_UPDATE_AFTER.test(after))
  );
}

/** The first match of a global pattern that is (or is not) an upgrade target. */
export function firstMention(
  pattern: RegExp,
  text: string,
  want: 'current' | 'target',
  isVersion: boolean,
): RegExpMatchArray | null {
  for (const m of text.matchAll(pattern)) {
    if (isTargetMention(text, m, isVersion) === (want === 'target')) return m;
  }
  return null;
}
