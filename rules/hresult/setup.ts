/**
 * Windows Setup result codes (0xC190xxxx, the MOSETUP_E_* codes modern setup returns when an upgrade
 * or feature update fails): symbolic name, a meaning in ja/en/ru and a "what to do next" category,
 * each with a Microsoft page that says so. The table is kept by hand in setup-results.json (text
 * written by this project; facts from the cited pages).
 *
 * These codes look like HRESULTs with facility 0x190 (400), which no Windows SDK header names; this
 * module gives that facility its name, SETUP ("Windows Setup").
 */
import { z } from 'zod';
import type { Locale } from '../vocabulary';

const localized = z.object({ ja: z.string().min(1), en: z.string().min(1), ru: z.string().min(1) });
const citation = z.object({ url: z.string().url(), title: z.string().min(1) });

export const SETUP_CATEGORIES = [
  'driver-rollback',
  'incompatible-app',
  'disk-space',
  'requirements',
  'edition-mismatch',
  'pending-cleanup',
  'download',
  'retry-setup',
  'scan-only',
  'setup-logs',
] as const;
/** What to do next: update/roll back drivers, remove an app, free disk space, … (see setup-results.json). */
export type SetupCategory = (typeof SETUP_CATEGORIES)[number];

const setupFile = z.object({
  _comment: z.string(),
  facility: z.object({
    number: z.number().int(),
    prefix: z.string().regex(/^0x[0-9a-f]{4}$/),
    name: z.string().regex(/^[A-Z_]+$/),
    title: localized,
    sources: z.array(citation).min(1),
  }),
  categories: z.record(
    z.enum(SETUP_CATEGORIES),
    z.object({ nextAction: localized, sources: z.array(citation).min(1) }),
  ),
  results: z
    .array(
      z.object({
        code: z.string().regex(/^0x[0-9a-f]{8}$/),
        name: z.string().regex(/^MOSETUP_E_[A-Z0-9_]+$/),
        category: z.enum(SETUP_CATEGORIES),
        meaning: localized,
        sources: z.array(citation).min(1),
      }),
    )
    .min(1),
});
export type SetupResultsFile = z.infer<typeof setupFile>;
export type Citation = z.infer<typeof citation>;

let loaded: { file: SetupResultsFile; byCode: Map<string, SetupResultsFile['results'][number]> } | null =
  null;

function table() {
  if (!loaded) {
    const file = setupFile.parse(require('./setup-results.json'));
    loaded = { file, byCode: new Map(file.results.map((r) => [r.code, r])) };
  }
  return loaded;
}

/** The hand-kept table as loaded and checked (for tests and `kb check`-style listings). */
export function setupResultsTable(): SetupResultsFile {
  return table().file;
}

export const SETUP_FACILITY_NUMBER = 0x190;
export const SETUP_FACILITY_NAME = 'SETUP';

/** True for 0xC190xxxx, the Windows Setup result-code range. */
export function isSetupResult(value: number): boolean {
  return value >>> 16 === 0xc190;
}

/** The MOSETUP_E_* name of a Setup result code, or null (not a Setup code, or not in the table). */
export function setupResultName(value: number): string | null {
  if (!isSetupResult(value)) return null;
  return table().byCode.get(`0x${(value >>> 0).toString(16).padStart(8, '0')}`)?.name ?? null;
}

export interface SetupResultDescription {
  code: string;
  /** MOSETUP_E_* name, or null for a 0xC190xxxx code the table does not list. */
  name: string | null;
  /** "Windows Setup" in the locale. */
  facility: string;
  category: SetupCategory;
  /** What the code means, one sentence in the locale. */
  meaning: string;
  /** What to do next, in the locale. */
  nextAction: string;
  /** Microsoft pages for the meaning and the next action. */
  sources: Citation[];
}

const UNLISTED: Record<Locale, string> = {
  en: 'An upgrade or feature update failed; this particular code is not in our table of Setup results.',
  ja: 'アップグレードまたは機能更新が失敗しました。このコード自体は、こちらのセットアップ結果の表にはありません。',
  ru: 'Обновление или обновление компонентов не удалось; самого этого кода нет в нашей таблице результатов установки.',
};

/**
 * Meaning and next action of a Windows Setup result code in the locale, or null when the code is not
 * a 0xC190xxxx Setup code. Accepts "0xC1900101", "c1900101" or the number.
 */
export function describeSetupResult(input: string | number, locale: Locale): SetupResultDescription | null {
  const value =
    typeof input === 'number' ? input >>> 0 : Number.parseInt(input.trim().replace(/^0x/i, ''), 16);
  if (!Number.isFinite(value) || !isSetupResult(value >>> 0)) return null;
  const code = `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
  const { file, byCode } = table();
  const entry = byCode.get(code);
  const category: SetupCategory = entry?.category ?? 'setup-logs';
  const next = file.categories[category];
  const sources = [...(entry?.sources ?? file.facility.sources)];
  for (const s of next.sources) if (!sources.some((x) => x.url === s.url)) sources.push(s);
  return {
    code,
    name: entry?.name ?? null,
    facility: file.facility.title[locale],
    category,
    meaning: entry ? entry.meaning[locale] : UNLISTED[locale],
    nextAction: next.nextAction[locale],
    sources,
  };
}
