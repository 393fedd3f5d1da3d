/**
 * What `GET /readyz` asks the database: does it answer (`SELECT 1` within a short time), and is its
 * schema the one this code works with (no pending migration, nothing newer). Each is a named check that
 * never throws: a failure comes back as `ok: false` with a code and a sentence for the operator.
 */
import { withinDeadline } from '../../bot/deadline';
import { schemaStatus } from './migrate';
import type { SqlExecutor } from './sql';

export interface CheckOutcome {
  ok: boolean;
  /** When not ok: a stable code and a sentence saying why. */
  code?: string;
  reason?: string;
  [detail: string]: unknown;
}

export interface NamedCheck {
  name: string;
  run(): Promise<CheckOutcome>;
}

/** How long a readiness query may take before the database counts as unreachable (ms). */
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

class TimedOut extends Error {}

const within = <T>(work: Promise<T>, ms: number): Promise<T> =>
  withinDeadline(work, ms, () => new TimedOut(`no answer within ${ms} ms`));

const unreachable = (db: SqlExecutor, error: unknown): CheckOutcome => ({
  ok: false,
  code: 'winfix_database_unreachable',
  reason: `${db.description} does not answer: ${(error as Error).message}`,
});

/** `database`: a `SELECT 1` answered within `timeoutMs`. */
export function databaseCheck(db: SqlExecutor, timeoutMs = DEFAULT_READINESS_TIMEOUT_MS): NamedCheck {
  return {
    name: 'database',
    async run() {
      const started = performance.now();
      try {
        await within(db.query('SELECT 1'), timeoutMs);
        return { ok: true, backend: db.backend, ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { ...unreachable(db, error), backend: db.backend };
      }
    },
  };
}

/** `migrations`: the schema's version is the code's (a newer one means newer code migrated it). */
export function migrationsCheck(db: SqlExecutor, timeoutMs = DEFAULT_READINESS_TIMEOUT_MS): NamedCheck {
  return {
    name: 'migrations',
    async run() {
      let status: Awaited<ReturnType<typeof schemaStatus>>;
      try {
        status = await within(schemaStatus(db), timeoutMs);
      } catch (error) {
        return unreachable(db, error);
      }
      const { current, latest } = status;
      if (current > latest)
        return {
          ok: false,
          code: 'winfix_schema_too_new',
          reason: `the schema is at version ${current}, newer than this code's ${latest}: upgrade winfix`,
          current,
          latest,
        };
      if (status.pending.length > 0)
        return {
          ok: false,
          code: 'winfix_schema_outdated',
          reason: `the schema is at version ${current}; ${status.pending.length} migration(s) pending up to ${latest}: run winfix db migrate`,
          current,
          latest,
        };
      return { ok: true, current, latest };
    },
  };
}

/** Both database checks, as `winfix serve` passes them to /readyz. */
export function storageReadiness(db: SqlExecutor, timeoutMs = DEFAULT_READINESS_TIMEOUT_MS): NamedCheck[] {
  return [databaseCheck(db, timeoutMs), migrationsCheck(db, timeoutMs)];
}
