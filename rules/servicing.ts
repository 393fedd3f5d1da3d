/**
 * End of servicing: whether the Windows a user reports still gets security and quality updates, from
 * the releases table (`rules/kb/releases.json`). Pure: the caller passes the table and today's date.
 *
 * A release is serviced through its end date inclusive (the last Patch Tuesday), compared as calendar
 * days in UTC. The edition is rarely known in a chat: without it the Home/Pro date (the earlier one)
 * decides, and the Enterprise/Education date is reported alongside so the message can mention it.
 */
import type { Release } from './kb/schema';
import type { Locale, OsFamily } from './vocabulary';

/** homePro = Home, Pro, Pro Education, Pro for Workstations; enterprise = Enterprise, Education, IoT Enterprise. */
export type Edition = 'homePro' | 'enterprise';

/**
 * serviced: still updated (or no end date announced) · ended: no updates at all · esu-only: regular
 * servicing ended, security updates only through Extended Security Updates · unknown: cannot tell.
 */
export type ServicingState = 'serviced' | 'ended' | 'esu-only' | 'unknown';

/** What the user told us; every field may be missing. `build` may carry a revision ("22631.4460"). */
export interface OsQuery {
  family?: OsFamily | null;
  version?: string | null;
  build?: string | number | null;
}

export interface ServicingStatus {
  state: ServicingState;
  /** The end date that decided the state (the edition's, or Home/Pro when the edition is unknown). */
  endDate: string | null;
  /** Both edition groups' dates, so a message can say "Enterprise/Education until …". */
  ends: { homePro: string | null; enterprise: string | null };
  /** Last day of Extended Security Updates, where Microsoft offers them. */
  esuEnd: string | null;
  /** The edition used (null: unknown, Home/Pro dates used). */
  edition: Edition | null;
  /**
   * Edition unknown, Home/Pro ended, and Enterprise/Education still updated today: their end date
   * (the message then says "Enterprise/Education until …"); null otherwise.
   */
  enterpriseServicedUntil: string | null;
  family: OsFamily | null;
  /** null when only the family is known (the status then covers every version of it). */
  version: string | null;
}

const UNKNOWN_ENDS = { homePro: null, enterprise: null } as const;

function unknown(query: OsQuery | null, edition: Edition | null): ServicingStatus {
  return {
    state: 'unknown',
    endDate: null,
    ends: { ...UNKNOWN_ENDS },
    esuEnd: null,
    edition,
    enterpriseServicedUntil: null,
    family: query?.family ?? null,
    version: query?.version ?? null,
  };
}

/** The calendar day of `date` in UTC, as YYYY-MM-DD (ISO dates then compare as strings). */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function majorBuild(build: string | number | null | undefined): number | null {
  if (build === null || build === undefined) return null;
  const major = Number(String(build).trim().split('.')[0]);
  return Number.isInteger(major) && major > 0 ? major : null;
}

/** The one release the query names, or null when it names none or several. */
export function findRelease(releases: readonly Release[], query: OsQuery): Release | null {
  const major = majorBuild(query.build);
  if (major !== null) {
    const byBuild = releases.find((r) => r.build === major);
    if (byBuild) return byBuild;
  }
  const version = query.version?.trim().toUpperCase();
  if (!version) return null;
  const matches = releases.filter(
    (r) => r.version?.toUpperCase() === version && (!query.family || r.family === query.family),
  );
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

function stateOn(end: string | null, esuEnd: string | null, today: string): ServicingState {
  if (end === null || today <= end) return 'serviced';
  if (esuEnd !== null && today <= esuEnd) return 'esu-only';
  return 'ended';
}

function enterpriseUntil(
  ends: ServicingStatus['ends'],
  state: ServicingState,
  today: string,
  edition: Edition | null,
): string | null {
  if (edition !== null || state === 'serviced' || state === 'unknown') return null;
  const enterprise = ends.enterprise;
  return enterprise !== null && today <= enterprise ? enterprise : null;
}

function statusOfRelease(release: Release, today: string, edition: Edition | null): ServicingStatus {
  const ends = { ...release.end };
  const endDate = ends[edition ?? 'homePro'];
  const esuEnd = release.esu?.end ?? null;
  const state = stateOn(endDate, esuEnd, today);
  return {
    state,
    endDate,
    ends,
    esuEnd,
    edition,
    enterpriseServicedUntil: enterpriseUntil(ends, state, today, edition),
    family: release.family,
    version: release.version,
  };
}

function latest(dates: readonly (string | null)[]): string | null {
  let out: string | null = null;
  for (const d of dates) if (d !== null && (out === null || d > out)) out = d;
  return out;
}

/**
 * Family only ("Windows 10"): known only when every release of the family is past its end date; the
 * dates reported are the family's last ones (its last version's end, the latest ESU end).
 */
function statusOfFamily(
  releases: readonly Release[],
  family: OsFamily,
  today: string,
  edition: Edition | null,
): ServicingStatus {
  const members = releases.filter((r) => r.family === family);
  const statuses = members.map((r) => statusOfRelease(r, today, edition));
  if (statuses.length === 0 || statuses.some((s) => s.state === 'serviced')) {
    return unknown({ family }, edition);
  }
  const ends = {
    homePro: latest(members.map((r) => r.end.homePro)),
    enterprise: latest(members.map((r) => r.end.enterprise)),
  };
  const endDate = ends[edition ?? 'homePro'];
  const esuEnd = latest(members.map((r) => r.esu?.end ?? null));
  const state = stateOn(endDate, esuEnd, today);
  const enterpriseServicedUntil = enterpriseUntil(ends, state, today, edition);
  return { state, endDate, ends, esuEnd, edition, enterpriseServicedUntil, family, version: null };
}

/**
 * Whether the reported Windows still gets updates on `today`. A build wins over a version; a version
 * without a family must be unambiguous ("22H2" is both Windows 10 and 11); a family alone is known only
 * when all of its versions have ended.
 */
export function servicingStatus(
  releases: readonly Release[],
  os: OsQuery | null,
  today: Date,
  edition?: Edition,
): ServicingStatus {
  const chosen = edition ?? null;
  if (!os || Number.isNaN(today.getTime())) return unknown(os, chosen);
  const day = dayOf(today);
  const release = findRelease(releases, os);
  if (release) return statusOfRelease(release, day, chosen);
  const versionGiven = Boolean(os.version?.trim()) || majorBuild(os.build) !== null;
  if (os.family && !versionGiven) return statusOfFamily(releases, os.family, day, chosen);
  return unknown(os, chosen);
}

const FAMILY_NAME: Record<OsFamily, string> = {
  'windows-7': 'Windows 7',
  'windows-8.1': 'Windows 8.1',
  'windows-10': 'Windows 10',
  'windows-11': 'Windows 11',
};

/** "Windows 10 22H2", "Windows 7 SP1", "Windows 8.1". */
export function osLabel(family: OsFamily, version: string | null): string {
  return version ? `${FAMILY_NAME[family]} ${version}` : FAMILY_NAME[family];
}

const DATE_LOCALE: Record<Locale, string> = { ja: 'ja-JP', en: 'en-US', ru: 'ru-RU' };

/** One formatter per language: building an Intl.DateTimeFormat costs far more than using it. */
const DAY_FORMATS = new Map<Locale, Intl.DateTimeFormat>();

/** A date in the user's language: 2025年10月14日 · October 14, 2025 · 14 октября 2025 г. */
export function formatDay(iso: string, locale: Locale): string {
  let format = DAY_FORMATS.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(DATE_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' });
    DAY_FORMATS.set(locale, format);
  }
  return format.format(new Date(`${iso}T00:00:00Z`));
}

interface NoticeParts {
  os: string;
  end: string;
  esu: string;
  /** Enterprise/Education still updated (edition unknown): the date, else null. */
  enterprise: string | null;
}

const ENDED: Record<Locale, (p: NoticeParts) => string> = {
  ja: (p) =>
    `${p.os} のセキュリティ更新と品質更新は${p.end}で終了しています` +
    (p.enterprise ? `（Enterprise / Education エディションは${p.enterprise}まで更新されます）` : '') +
    '。以下の手順で今回のエラーは直るかもしれませんが、この PC はサポート中の Windows 11 へのアップグレードが必要ですので、担当者にお知らせください。',
  en: (p) =>
    `Microsoft stopped security and quality updates for ${p.os} on ${p.end}` +
    (p.enterprise ? ` (Enterprise and Education editions are updated until ${p.enterprise})` : '') +
    ". The steps below may still fix today's error, but this PC needs an upgrade to a supported Windows 11 version, so please tell a technician.",
  ru: (p) =>
    `${p.end} Microsoft прекратила выпуск обновлений безопасности и качества для ${p.os}` +
    (p.enterprise ? ` (выпуски Enterprise и Education обновляются до ${p.enterprise})` : '') +
    '. Шаги ниже могут исправить сегодняшнюю ошибку, но этому компьютеру нужен переход на поддерживаемую версию Windows 11 — пожалуйста, сообщите об этом специалисту.',
};

const ESU_ONLY: Record<Locale, (p: NoticeParts) => string> = {
  ja: (p) =>
    `${p.os} の通常のセキュリティ更新と品質更新は${p.end}で終了し、いまは拡張セキュリティ更新プログラム (ESU) に登録した PC にだけ${p.esu}までセキュリティ更新が届きます。` +
    '以下の手順で今回のエラーは直るかもしれませんが、この PC にはサポート中の Windows 11 へのアップグレードか ESU が必要ですので、担当者にお知らせください。',
  en: (p) =>
    `Regular security and quality updates for ${p.os} ended on ${p.end}; until ${p.esu} only PCs enrolled in Extended Security Updates (ESU) still get security fixes. ` +
    "The steps below may still fix today's error, but this PC needs an upgrade to a supported Windows 11 version or ESU, so please tell a technician.",
  ru: (p) =>
    `Обычные обновления безопасности и качества для ${p.os} закончились ${p.end}; до ${p.esu} исправления безопасности получают только компьютеры, подключённые к программе расширенных обновлений безопасности (ESU). ` +
    'Шаги ниже могут исправить сегодняшнюю ошибку, но этому компьютеру нужен переход на поддерживаемую версию Windows 11 или ESU — пожалуйста, сообщите об этом специалисту.',
};

/**
 * The sentence the bot says before the steps when the reported Windows is out of servicing (one or two
 * sentences in the user's language); null when it is serviced or unknown.
 */
export function servicingNotice(status: ServicingStatus, locale: Locale): string | null {
  if (status.state !== 'ended' && status.state !== 'esu-only') return null;
  if (!status.family || !status.endDate) return null;
  const parts: NoticeParts = {
    os: osLabel(status.family, status.version),
    end: formatDay(status.endDate, locale),
    esu: status.esuEnd ? formatDay(status.esuEnd, locale) : '',
    enterprise: status.enterpriseServicedUntil ? formatDay(status.enterpriseServicedUntil, locale) : null,
  };
  return status.state === 'esu-only' && status.esuEnd ? ESU_ONLY[locale](parts) : ENDED[locale](parts);
}
