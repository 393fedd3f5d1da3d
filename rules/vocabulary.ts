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
