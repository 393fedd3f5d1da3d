/** Fixed vocabularies shared by every layer (contexts, OS families, locales). */

export const LOCALES = ['ja', 'en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

/** Where an error happened. `null` (unknown) is represented outside this list. */
export const CONTEXTS = [
  'windows-update',
  'windows-setup',
  'microsoft-store',
  'outlook',
  'iis',
  'backup-restore',
  'system-restore',
  'app-install',
  'sccm',
] as const;
export type Context = (typeof CONTEXTS)[number];

export const OS_FAMILIES = ['windows-7', 'windows-8.1', 'windows-10', 'windows-11'] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];

export interface OsInfo {
  family: OsFamily;
  /** Marketing version such as "23H2", or null when not known. */
  version: string | null;
  /** Build with revision such as "22631.4460" (or "22631"), or null when not known. */
  build: string | null;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isContext(value: unknown): value is Context {
  return typeof value === 'string' && (CONTEXTS as readonly string[]).includes(value);
}

/**
 * Things an employee says they already did ("already rebooted", "再起動はもうやった", "перезагружал").
 * The understander finds them; rules in `rules/kb/rules/tried.json` remove the matching steps.
 */
export const TRIED = [
  'restart',
  'troubleshooter',
  'cache-reset',
  'sfc-dism',
  'wsreset',
  'reinstall',
  'manual-install',
  'pause-resume',
  'clean-boot',
  'disk-cleanup',
  'clock',
  'system-restore',
] as const;
export type Tried = (typeof TRIED)[number];

/**
 * Clues in what the employee wrote that point at a cause; rules in `rules/kb/rules/clues.json` promote
 * the matching steps. clock-wrong: the PC clock was wrong · long-off: the PC was off for weeks ·
 * download-stuck: the download is stuck (at 0 %) · driver-named: a driver is named in the failing update
 * (Intel display driver, Realtek audio …) · data-file-on-share: the Outlook data file is on a network
 * share / NAS or was moved · physical-path: an IIS physical path is named · after-update: the problem
 * started after an update · low-disk: little free disk space.
 */
export const CLUES = [
  'clock-wrong',
  'long-off',
  'download-stuck',
  'driver-named',
  'data-file-on-share',
  'physical-path',
  'after-update',
  'low-disk',
] as const;
export type Clue = (typeof CLUES)[number];

/** The Windows an upgrade was aiming at ("upgrade to 24H2 failed"): not the PC's current OS. */
export interface OsTarget {
  family: OsFamily | null;
  version: string | null;
}
