/**
 * The weekly summary's schedule and its once-a-week guarantee. WINFIX_WEEKLY_SUMMARY="mon 09:00" (UTC)
 * names the moment; from then until the next one, the first instance whose round finds the week
 * unclaimed takes it in `delivery_keys` (one INSERT … ON CONFLICT DO NOTHING, shared by every instance
 * on the database) and sends. A send that reached no channel gives the claim back, so a later round
 * (on any instance) tries again.
 */
import type { Clock } from '../../bot/clock';
import type { WeeklyFigures } from '../../bot/weekly-summary';
import type { StorageLog } from './bad-rows';
import { buildReport } from './report-queries';
import type { Queryable } from './sql';

export interface WeeklySchedule {
  /** 0 = Sunday … 6 = Saturday (UTC). */
  day: number;
  /** Minutes after midnight, UTC. */
  minute: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** "mon 09:00" → { day: 1, minute: 540 }; null for anything else. */
export function parseWeeklySchedule(raw: string): WeeklySchedule | null {
  const m = /^(sun|mon|tue|wed|thu|fri|sat)\s+([01]?\d|2[0-3]):([0-5]\d)$/i.exec(raw.trim());
  if (!m) return null;
  return { day: DAYS.indexOf((m[1] as string).toLowerCase()), minute: Number(m[2]) * 60 + Number(m[3]) };
}

/** The latest scheduled moment at or before `now`. */
export function lastScheduled(now: Date, s: WeeklySchedule): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  let at = midnight - ((now.getUTCDay() - s.day + 7) % 7) * DAY_MS + s.minute * 60_000;
  if (at > now.getTime()) at -= WEEK_MS;
  return new Date(at);
}

const claimKey = (due: Date) => `weekly-summary:${due.toISOString()}`;

/** Takes the week for this instance: true once per scheduled moment across every instance. */
export async function claimWeek(q: Queryable, due: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO delivery_keys (key, seen_at, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
    [claimKey(due), due, new Date(due.getTime() + 5 * WEEK_MS)],
  );
  return rowCount === 1;
}

export async function releaseWeek(q: Queryable, due: Date): Promise<void> {
  await q.query('DELETE FROM delivery_keys WHERE key = $1', [claimKey(due)]);
}

/** Last week's figures: the seven days before the scheduled moment. */
export async function weeklyFigures(q: Queryable, due: Date): Promise<WeeklyFigures> {
  const since = new Date(due.getTime() - WEEK_MS);
  const report = await buildReport(q, since);
  return {
    from: since.toISOString().slice(0, 10),
    to: new Date(due.getTime() - DAY_MS).toISOString().slice(0, 10),
    cases: report.cases,
    codes: report.codes,
    steps: report.steps,
    remoteRuns: report.remoteRuns,
  };
}

/** Where the summary goes: each platform's technicians' channel. True when it got there. */
export type WeeklySend = (figures: WeeklyFigures) => Promise<boolean>;

/** not-due: the moment passed more than a day ago (an instance down all that day skips the week). */
export type WeeklyRound = 'sent' | 'taken' | 'failed' | 'not-due';

/** How long after its moment a summary may still go out. */
const LATE_LIMIT_MS = DAY_MS;

export class WeeklySummary {
  constructor(
    private readonly options: {
      db: Queryable;
      schedule: WeeklySchedule;
      clock: Clock;
      log: StorageLog;
      send: WeeklySend;
    },
  ) {}

  /** One round: sends when this week's moment has come and no instance has sent it yet. Never throws. */
  async round(): Promise<WeeklyRound> {
    const { db, schedule, clock, log, send } = this.options;
    const now = clock.now();
    const due = lastScheduled(now, schedule);
    if (now.getTime() - due.getTime() > LATE_LIMIT_MS) return 'not-due';
    try {
      if (!(await claimWeek(db, due))) return 'taken';
      let delivered = false;
      try {
        delivered = await send(await weeklyFigures(db, due));
      } catch (error) {
        log.error(`weekly summary: ${(error as Error).message}`);
      }
      if (delivered) return 'sent';
      await releaseWeek(db, due);
      log.warn(`weekly summary for ${due.toISOString()} reached no channel; will try again`);
      return 'failed';
    } catch (error) {
      log.error(`weekly summary: ${(error as Error).message}`);
      return 'failed';
    }
  }
}
