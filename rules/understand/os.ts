/**
 * The Windows family, marketing version and build a message mentions: a pasted `ver` line
 * ("Microsoft Windows [Version 10.0.22631.4460]"), winver text ("Version 23H2 (OS Build 22631.4460)",
 * "バージョン 23H2 (OS ビルド 22631.4460)", "Версия 22H2 (сборка ОС 19045.5011)"), a build near the
 * word build/ビルド/сборка, or a name ("Windows 11 24H2", "Win10", "ウィンドウズ11", "десятка").
 * A build is the strongest evidence; the releases table turns it into family and version.
 */
import type { Release } from '../kb/schema';
import type { OsFamily, OsInfo } from '../vocabulary';
import { FAMILY_BY_NUMBER, FAMILY_NAME, FROM_TO, firstMention, HALF_YEAR_VERSION } from './os-mentions';

/** "10.0.22631.4460", "6.1.7601" (NT version, build, optional revision). */
const NT_VERSION = /(?<![\d.])(?:10\.0|6\.3|6\.1)\.(\d{4,5})(?:\.(\d{1,6}))?(?![\d.]*\d)/u;
/** "OS Build 22631.4460", "build 26100", "ビルド 22631", "сборка ОС 19045.5011", "сборка: 26100". */
const BUILD_WORD =
  /(?<![\p{L}])(?:build|ビルド|сборк\p{L}*)(?:\s?(?:ос|os))?\s?(?:番号|номер)?\s?[:#№]?\s?(\d{4,5})(?:\.(\d{1,6}))?(?![\d.]*\d)/iu;
/** A bare "22631.4460": counted only when the build is one the releases table knows. */
const DOTTED_BUILD = /(?<![\d.])(\d{4,5})\.(\d{1,6})(?![\d.]*\d)/gu;
/** "Version 1909", "バージョン 1809", "версия 2004", "Windows 10 1909". */
const NUMBER_VERSION =
  /(?:version|ver\.?|バージョン|верси\p{L}*|windows\s?10|win\s?10)\s?:?\s?(1507|1511|1607|1703|1709|1803|1809|1903|1909|2004)(?!\d)/iu;
/** "Windows 7 SP1". */
const SERVICE_PACK = /(?<![\p{L}\p{N}])sp\s?1(?!\d)/iu;

/** Russian nicknames: "десятка", "10-ка", "на 10-й винде" (10), "семёрка" (7), "одиннадцатая", "11-я винда" (11). */
const FAMILY_NICKNAMES: readonly (readonly [RegExp, OsFamily])[] = [
  [/(?<!\p{L})десятк\p{L}*/iu, 'windows-10'],
  [/(?<![\p{L}\p{N}.])10\s?-?\s?к[аеиуо]й?(?!\p{L})/iu, 'windows-10'],
  [
    /(?<![\p{L}\p{N}.])10(?:\s?-?\s?(?:[йяеу]|ая|ой|ую))?\s?винд(?:[аеуы]|овс\p{L}*)(?!\p{L})/iu,
    'windows-10',
  ],
  [
    /(?<![\p{L}\p{N}.])11(?:\s?-?\s?(?:[йяеу]|ая|ой|ую))?\s?винд(?:[аеуы]|овс\p{L}*)(?!\p{L})/iu,
    'windows-11',
  ],
  [/(?<!\p{L})сем[её]рк\p{L}*/iu, 'windows-7'],
  [/(?<!\p{L})одиннадцат\p{L}*\s+(?:винд|виндовс|windows)/iu, 'windows-11'],
];

/** Family from the build number alone (for builds the table does not list). */
function familyByBuild(build: number): OsFamily | null {
  if (build >= 22000 && build < 40000) return 'windows-11';
  if (build >= 10240 && build <= 19045) return 'windows-10';
  if (build === 9600) return 'windows-8.1';
  if (build === 7600 || build === 7601) return 'windows-7';
  return null;
}

export type OsDetector = (text: string) => OsInfo | null;

export function createOsDetector(releases: readonly Release[]): OsDetector {
  const byBuild = new Map<number, Release>();
  for (const r of releases) byBuild.set(r.build, r);

  const findBuild = (text: string): { major: number; build: string } | null => {
    const m = NT_VERSION.exec(text) ?? BUILD_WORD.exec(text);
    if (m?.[1]) {
      const major = Number(m[1]);
      if (familyByBuild(major)) return { major, build: m[2] ? `${m[1]}.${m[2]}` : m[1] };
    }
    for (const d of text.matchAll(DOTTED_BUILD)) {
      const major = Number(d[1]);
      if (byBuild.has(major)) return { major, build: `${d[1]}.${d[2]}` };
    }
    return null;
  };

  const findVersion = (text: string): string | null => {
    const half = firstMention(HALF_YEAR_VERSION, text, 'current', true);
    if (half) return `${half[1]}H${half[2]}`;
    const numbered = NUMBER_VERSION.exec(text);
    if (numbered?.[1]) return numbered[1];
    return null;
  };

  const findFamily = (text: string): OsFamily | null => {
    const fromTo = FROM_TO.exec(text);
    if (fromTo?.[1]) return FAMILY_BY_NUMBER[fromTo[1]] ?? null;
    const named = firstMention(FAMILY_NAME, text, 'current', false);
    if (named?.[1]) return FAMILY_BY_NUMBER[named[1]] ?? null;
    for (const [pattern, family] of FAMILY_NICKNAMES) if (pattern.test(text)) return family;
    return null;
  };

  const knownVersion = (family: OsFamily, version: string | null): string | null =>
    version && releases.some((r) => r.family === family && r.version === version) ? version : null;

  return (text) => {
    const build = findBuild(text);
    const version = findVersion(text) ?? (SERVICE_PACK.test(text) ? 'SP1' : null);
    if (build) {
      const release = byBuild.get(build.major);
      const family = release?.family ?? familyByBuild(build.major);
      if (family) {
        return {
          family,
          version: release ? release.version : knownVersion(family, version),
          build: build.build,
        };
      }
    }
    const family = findFamily(text);
    if (family) return { family, version: knownVersion(family, version), build: null };
    if (version) {
      const families = new Set(releases.filter((r) => r.version === version).map((r) => r.family));
      const only = [...families];
      if (only.length === 1 && only[0]) return { family: only[0], version, build: null };
    }
    return null;
  };
}
