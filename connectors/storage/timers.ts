/**
 * Durable timers (approval expiry, job polling …) in a table, shared by every bot process on the
 * database. A due timer is claimed with `FOR UPDATE SKIP LOCKED` and a lease, so two processes never
 * take the same one; it is marked fired by its claimer only (compare-and-set on the lease owner), so it
 * fires once. A claimer that dies leaves a lease that runs out, and another process takes the timer
 * over: handlers must tolerate being re-run after a crash (see timer-runner.ts).
 */
import type { Clock } from '../../bot';
import type { Queryable, SqlExecutor } from './sql';
import { iso, isoOrNull, json } from './sql';

export interface TimerInput {
  /** Caller-chosen id, e.g. "approval-expiry:<id>": scheduling the same id again moves the timer. */
  id: string;
  kind: string;
  payload?: unknown;
  dueAt: Date;
}

export interface Timer {
  id: string;
  kind: string;
  payload: unknown;
  dueAt: string;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: string | null;
  firedAt: string | null;
  failedAt: string | null;
  lastError: string | null;
}

interface Row {
  id: string;
  kind: string;
  payload: unknown;
  due_at: Date;
  attempts: number;
  locked_by: string | null;
  locked_until: Date | null;
  fired_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

const toTimer = (r: Row): Timer => ({
  id: r.id,
  kind: r.kind,
  payload: r.payload,
  dueAt: iso(r.due_at),
  attempts: r.attempts,
  lockedBy: r.locked_by,
  lockedUntil: isoOrNull(r.locked_until),
  firedAt: isoOrNull(r.fired_at),
  failedAt: isoOrNull(r.failed_at),
  lastError: r.last_error,
});

/** Schedules (or moves, while not yet fired) a timer; usable inside another repository's transaction. */
export async function scheduleTimer(q: Queryable, timer: TimerInput, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO timers (id, kind, payload, due_at, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)
     ON CONFLICT (id) DO UPDATE
       SET kind = excluded.kind, payload = excluded.payload, due_at = excluded.due_at,
           locked_by = NULL, locked_until = NULL, attempts = 0, last_error = NULL, failed_at = NULL
     WHERE timers.fired_at IS NULL`,
    [timer.id, timer.kind, json(timer.payload ?? {}), timer.dueAt, now],
  );
}

/** Cancels a timer that has not fired; true when there was one. */
export async function cancelTimer(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM timers WHERE id = $1 AND fired_at IS NULL', [id]);
  return rowCount === 1;
}

export class Timers {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  schedule(timer: TimerInput): Promise<void> {
    return scheduleTimer(this.db, timer, this.clock.now());
  }

  cancel(id: string): Promise<boolean> {
    return cancelTimer(this.db, id);
  }

  async get(id: string): Promise<Timer | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM timers WHERE id = $1', [id]);
    return rows[0] ? toTimer(rows[0]) : null;
  }

  /**
   * Claims up to `limit` due timers of `kinds` for `owner` until now + `leaseMs`: timers no one holds, or
   * whose holder's lease ran out. Rows another transaction is claiming are skipped, not waited for.
   */
  async claimDue(owner: string, kinds: string[], limit: number, leaseMs: number): Promise<Timer[]> {
    const now = this.clock.now();
    const { rows } = await this.db.query<Row>(
      `WITH due AS (
         SELECT id FROM timers
          WHERE fired_at IS NULL AND failed_at IS NULL AND due_at <= $1 AND kind = ANY($2::text[])
            AND (locked_until IS NULL OR locked_until <= $1)
          ORDER BY due_at LIMIT $3
          FOR UPDATE SKIP LOCKED
       )
       UPDATE timers t SET locked_by = $4, locked_until = $5, attempts = t.attempts + 1
         FROM due WHERE t.id = due.id
       RETURNING t.*`,
      [now, kinds, limit, owner, new Date(now.getTime() + leaseMs)],
    );
    return rows.map(toTimer).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /** Marks a claimed timer fired; false when `owner` no longer holds it (its lease was taken over). */
  async complete(id: string, owner: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE timers SET fired_at = $3, locked_until = NULL
        WHERE id = $1 AND locked_by = $2 AND fired_at IS NULL AND failed_at IS NULL`,
      [id, owner, this.clock.now()],
    );
    return rowCount === 1;
  }

  /** A handler failed: try again at `retryAt`, or give up for good when `retryAt` is null. */
  async fail(id: string, owner: string, error: string, retryAt: Date | null): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE timers
          SET last_error = $3, locked_by = NULL, locked_until = NULL,
              due_at = coalesce($4, due_at), failed_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END
        WHERE id = $1 AND locked_by = $2 AND fired_at IS NULL AND failed_at IS NULL`,
      [id, owner, error.slice(0, 2000), retryAt, this.clock.now()],
    );
    return rowCount === 1;
  }

  /** Timers given up on (their handler kept failing), newest first. */
  async failed(limit = 100): Promise<Timer[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM timers WHERE failed_at IS NOT NULL ORDER BY failed_at DESC LIMIT $1',
      [limit],
    );
    return rows.map(toTimer);
  }
}
