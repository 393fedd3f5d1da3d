/**
 * The ticket outbox (migration 7). A hand-off's ticket job is inserted in the conversation's save
 * transaction (`insertTicketJobs`, called by SqlConversationStore), so it exists exactly when the
 * hand-off does. Any instance claims due jobs with `FOR UPDATE SKIP LOCKED` and a lease (as timers.ts
 * does); only the holder of the lease can mark a job sent, retried or failed (compare-and-set on
 * `locked_by`). A holder that dies leaves a lease that runs out, and the job is sent again with the same
 * idempotency key (its id), which the ticket systems use so that no second ticket is made.
 */
import type { Clock, TicketDescription, TicketJobDraft, TicketRef, TicketSystemKind } from '../../bot';
import { appendAudit } from './audit-log';
import type { Queryable, SqlExecutor } from './sql';
import { iso, isoOrNull, json } from './sql';

export type TicketJobStatus = 'pending' | 'sent' | 'failed';

/** A ticket job in the outbox: the draft a turn wrote, and how sending it goes. */
export interface TicketJob extends TicketJobDraft {
  status: TicketJobStatus;
  attempts: number;
  dueAt: string;
  lockedBy: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
  ticketNumber: string | null;
  /** The employee heard the outcome (the ticket number). */
  told: boolean;
}

export interface CaseTicketRow {
  caseId: string;
  conversationKey: string;
  ref: TicketRef;
  openedAt: string;
}

interface JobRow {
  id: string;
  case_id: string;
  conversation_key: string;
  kind: 'open' | 'note';
  system: TicketSystemKind;
  payload: TicketDescription;
  status: TicketJobStatus;
  attempts: number;
  due_at: Date;
  locked_by: string | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  ticket_number: string | null;
  told: boolean;
}

const toJob = (r: JobRow): TicketJob => ({
  id: r.id,
  caseId: r.case_id,
  conversationKey: r.conversation_key,
  kind: r.kind,
  system: r.system,
  ticket: r.payload,
  status: r.status,
  attempts: r.attempts,
  dueAt: iso(r.due_at),
  lockedBy: r.locked_by,
  lastError: r.last_error,
  createdAt: iso(r.created_at),
  finishedAt: isoOrNull(r.finished_at),
  ticketNumber: r.ticket_number,
  told: r.told,
});

/** Writes a turn's ticket jobs (inside the conversation's save); a job already there is left alone. */
export async function insertTicketJobs(
  q: Queryable,
  drafts: readonly TicketJobDraft[],
  now: Date,
): Promise<void> {
  for (const d of drafts)
    await q.query(
      `INSERT INTO ticket_jobs (id, case_id, conversation_key, kind, system, payload, due_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7)
       ON CONFLICT (id) DO NOTHING`,
      [d.id, d.caseId, d.conversationKey, d.kind, d.system, json(d.ticket), now],
    );
}

export class TicketJobs {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<TicketJob | null> {
    const { rows } = await this.db.query<JobRow>('SELECT * FROM ticket_jobs WHERE id = $1', [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Every job, oldest first (tests, `winfix db status`-like views). */
  async all(limit = 1000): Promise<TicketJob[]> {
    const { rows } = await this.db.query<JobRow>(
      'SELECT * FROM ticket_jobs ORDER BY created_at, id LIMIT $1',
      [limit],
    );
    return rows.map(toJob);
  }

  /**
   * Claims up to `limit` due pending jobs for `owner` until now + `leaseMs` (counting an attempt): jobs
   * no one holds, or whose holder's lease ran out. Rows another instance is claiming are skipped.
   */
  async claimDue(owner: string, limit: number, leaseMs: number): Promise<TicketJob[]> {
    const now = this.clock.now();
    const { rows } = await this.db.query<JobRow>(
      `WITH due AS (
         SELECT id FROM ticket_jobs
          WHERE status = 'pending' AND due_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
          ORDER BY due_at, created_at LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE ticket_jobs j SET locked_by = $3, locked_until = $4, attempts = j.attempts + 1
         FROM due WHERE j.id = due.id
       RETURNING j.*`,
      [now, limit, owner, new Date(now.getTime() + leaseMs)],
    );
    return rows.map(toJob).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }

  /** The case's ticket, once one was opened. */
  async caseTicket(caseId: string): Promise<CaseTicketRow | null> {
    const { rows } = await this.db.query<{
      case_id: string;
      conversation_key: string;
      system: TicketSystemKind;
      ticket_id: string;
      number: string;
      url: string | null;
      opened_at: Date;
    }>('SELECT * FROM case_tickets WHERE case_id = $1', [caseId]);
    const r = rows[0];
    if (!r) return null;
    return {
      caseId: r.case_id,
      conversationKey: r.conversation_key,
      ref: { system: r.system, id: r.ticket_id, number: r.number, url: r.url },
      openedAt: iso(r.opened_at),
    };
  }

  /** The statuses of a case's jobs that open its ticket (the first hand-off's). */
  async openStatus(caseId: string): Promise<TicketJobStatus | null> {
    const { rows } = await this.db.query<{ status: TicketJobStatus }>(
      `SELECT status FROM ticket_jobs WHERE case_id = $1 AND kind = 'open' ORDER BY created_at LIMIT 1`,
      [caseId],
    );
    return rows[0]?.status ?? null;
  }

  /**
   * The job went out. `opened`: the ticket it opened (an open job, or a note whose ticket never
   * opened), recorded as the case's ticket. With an audit entry, in one transaction; false when `owner`
   * no longer holds the job (its lease was taken over).
   */
  async sent(job: TicketJob, owner: string, ref: TicketRef, opened: boolean): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE ticket_jobs SET status = 'sent', finished_at = $3, locked_by = NULL, locked_until = NULL,
                ticket_number = $4, last_error = NULL
          WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
        [job.id, owner, now, ref.number],
      );
      if (rowCount !== 1) return false;
      if (opened)
        await tx.query(
          `INSERT INTO case_tickets (case_id, conversation_key, system, ticket_id, number, url, opened_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) DO NOTHING`,
          [job.caseId, job.conversationKey, ref.system, ref.id, ref.number, ref.url, now],
        );
      await appendAudit(tx, now, {
        actor: 'system',
        action: opened ? 'ticket.opened' : 'ticket.noted',
        subject: job.conversationKey,
        targetUser: `${job.ticket.caller.platform}:${job.ticket.caller.userId}`,
        data: {
          caseId: job.caseId,
          handoff: job.ticket.handoff,
          system: ref.system,
          number: ref.number,
          url: ref.url,
          attempts: job.attempts,
        },
      });
      return true;
    });
  }

  /** A try failed; the job is due again at `retryAt`. */
  async retry(id: string, owner: string, error: string, retryAt: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE ticket_jobs SET last_error = $3, due_at = $4, locked_by = NULL, locked_until = NULL
        WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
      [id, owner, error.slice(0, 2000), retryAt],
    );
    return rowCount === 1;
  }

  /** Not tried (a note waiting for its case's ticket to open): due at `at`, the attempt not counted. */
  async defer(id: string, owner: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE ticket_jobs SET due_at = $3, attempts = greatest(attempts - 1, 0), locked_by = NULL,
              locked_until = NULL
        WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
      [id, owner, at],
    );
    return rowCount === 1;
  }

  /** Given up (attempts used up, or a refusal no retry can change), with an audit entry. */
  async giveUp(job: TicketJob, owner: string, error: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE ticket_jobs SET status = 'failed', finished_at = $3, last_error = $4, locked_by = NULL,
                locked_until = NULL
          WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
        [job.id, owner, now, error.slice(0, 2000)],
      );
      if (rowCount !== 1) return false;
      await appendAudit(tx, now, {
        actor: 'system',
        action: 'ticket.failed',
        subject: job.conversationKey,
        targetUser: `${job.ticket.caller.platform}:${job.ticket.caller.userId}`,
        data: {
          caseId: job.caseId,
          handoff: job.ticket.handoff,
          kind: job.kind,
          system: job.system,
          attempts: job.attempts,
          error: error.slice(0, 500),
        },
      });
      return true;
    });
  }

  /** Sent jobs whose employee has not heard the number yet (the sender died before telling). */
  async untold(olderThan: Date, limit = 20): Promise<TicketJob[]> {
    const { rows } = await this.db.query<JobRow>(
      `SELECT * FROM ticket_jobs WHERE status = 'sent' AND NOT told AND finished_at <= $1
        ORDER BY finished_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map(toJob);
  }

  async markTold(id: string): Promise<void> {
    await this.db.query('UPDATE ticket_jobs SET told = true WHERE id = $1', [id]);
  }

  /**
   * Deletes up to `limit` finished jobs (sent or given up) that finished before `before`, oldest first;
   * returns how many. Pending jobs, leased or not, are never touched. Rows another instance is pruning
   * (or marking told) at the same moment are skipped, so two instances at once delete each row once.
   * The case's ticket stays in `case_tickets`, which later notes of the case use.
   */
  async prune(before: Date, limit: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `WITH old AS (
         SELECT id FROM ticket_jobs
          WHERE status IN ('sent', 'failed') AND finished_at < $1
          ORDER BY finished_at, id LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       DELETE FROM ticket_jobs j USING old WHERE j.id = old.id AND j.status IN ('sent', 'failed')`,
      [before, limit],
    );
    return rowCount;
  }
}
