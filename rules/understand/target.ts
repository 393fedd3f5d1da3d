/**
 * The Windows an upgrade was aiming at: "upgrade to 24H2 failed", "Feature update to Windows 11,
 * version 24H2", "Windows 11 へのアップグレードに失敗", "Windows 10 から 11 へ", "обновление до Windows 11
 * 24H2". Not the PC's current system (os.ts reads that and skips these mentions).
 */
import type { Release } from '../kb/schema';
import type { OsFamily, OsTarget } from '../vocabulary';
import { FAMILY_BY_NUMBER, FAMILY_NAME, FROM_TO, firstMention, HALF_YEAR_VERSION } from './os-mentions';

export type TargetDetector = (text: string) => OsTarget | null;

export function createTargetDetector(releases: readonly Release[]): TargetDetector {
  /** The one family that has this version, or null when none or several do. */
  const familyOfVersion = (version: string): OsFamily | null => {
    const families = [...new Set(releases.filter((r) => r.version === version).map((r) => r.family))];
    return families.length === 1 ? (families[0] ?? null) : null;
  };

  return (text) => {
    const fromTo = FROM_TO.exec(text);
    const named = firstMention(FAMILY_NAME, text, 'target', false);
    const half = firstMention(HALF_YEAR_VERSION, text, 'target', true);
    const version = half ? `${half[1]}H${half[2]}` : null;
    const number = fromTo?.[2] ?? named?.[1];
    const family = (number ? FAMILY_BY_NUMBER[number] : null) ?? (version ? familyOfVersion(version) : null);
    if (!family && !version) return null;
    return { family: family ?? null, version };
  };
}
