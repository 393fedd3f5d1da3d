/**
 * Remote jobs (one per approved request) and their status history. Pollers in any number of processes
 * claim due jobs with `FOR UPDATE SKIP LOCKED` and a lease; only the lease holder can record a status
 * (compare-and-set on the owner), which releases the lease and sets the next poll. Terminal statuses
 * (Completed, Failed, Stopped) end polling.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../bot';
import { appendAudit } from './audit-log';
import { StorageStateError } from './errors';
import type { Queryable, SqlExecutor } from './sql';
import { iso, isoOrNull } from './sql';

/** Before the job is created remotely; afterwards the Azure Automation status is stored as given. */
export const QUEUED = 'Queued';
export const TERMINAL_STATUSES = ['Completed', 'Failed', 'Stopped'] as const;

export interface Job {
  id: string;
  approvalId: string;
  conversationKey: string;
  runbook: string;
  parameters: Record<string, unknown>;
  workerGroup: string;
  status: string;
  terminal: boolean;
  externalId: string | null;
  summary: string | null;
  createdAt: string;
  updatedAt: string;
  nextPollAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  polls: number;
}

export interface StatusChange {
  status: string;
  detail: string | null;
  at: string;
}

export interface PollRecord {
  status: string;
  detail?: string | null;
  /** The remote job's id, once known. */
  externalId?: string | null;
  /** A short summary of the output, for the user and the technician. */
  summary?: string | null;
  /** When to poll next (ignored for terminal statuses). */
  nextPollAt: Date;
}

interface Row {
  id: string;
  approval_id: string;
  conversation_key: string;
  runbook: string;
  parameters: Record<string, unknown>;
  worker_group: string;
  status: string;
  terminal: boolean;
  external_id: string | null;
  summary: string | null;
  created_at: Date;
  updated_at: Date;
  next_poll_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  polls: number;
}

const toJob = (r: Row): Job => ({
  id: r.id,
  approvalId: r.approval_id,
  conversationKey: r.conversation_key,
  runbook: r.runbook,
  parameters: r.parameters,
  workerGroup: r.worker_group,
  status: r.status,
  terminal: r.terminal,
  externalId: r.external_id,
  summary: r.summary,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  nextPollAt: isoOrNull(r.next_poll_at),
  leaseOwner: r.lease_owner,
  leaseUntil: isoOrNull(r.lease_until),
  polls: r.polls,
});

const isTerminal = (status: string) => (TERMINAL_STATUSES as readonly string[]).includes(status);

async function read(q: Queryable, sql: string, param: string): Promise<Job | null> {
  const { rows } = await q.query<Row>(sql, [param]);
  return rows[0] ? toJob(rows[0]) : null;
}

export class Jobs {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  /** Creates the job for an approved request, due for its first poll now; the same approval gives the same job. */
  async createForApproval(approvalId: string): Promise<{ created: boolean; job: Job }> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `INSERT INTO jobs (id, approval_id, conversation_key, runbook, parameters, worker_group, status,
                           created_at, updated_at, next_poll_at)
         SELECT $1, id, conversation_key, runbook, parameters, worker_group, $3, $4, $4, $4
           FROM approvals WHERE id = $2 AND status = 'approved'
         ON CONFLICT (approval_id) DO NOTHING
         RETURNING *`,
        [randomUUID(), approvalId, QUEUED, now],
      );
      if (!rows[0]) {
        const existing = await read(tx, 'SELECT * FROM jobs WHERE approval_id = $1', approvalId);
        if (existing) return { created: false, job: existing };
        throw new StorageStateError(`approval ${approvalId} does not exist or is not approved`);
      }
      const job = toJob(rows[0]);
      await tx.query(
        'INSERT INTO job_status_history (job_id, status, detail, at) VALUES ($1, $2, NULL, $3)',
        [job.id, QUEUED, now],
      );
      await appendAudit(tx, now, {
        actor: 'system',
        action: 'job.created',
        subject: job.id,
        data: { approvalId, runbook: job.runbook, workerGroup: job.workerGroup },
      });
      return { created: true, job };
    });
  }

  get(id: string): Promise<Job | null> {
    return read(this.db, 'SELECT * FROM jobs WHERE id = $1', id);
  }

  /** Claims up to `limit` jobs due for a poll that no live lease holds, for `owner`, for `leaseMs`. */
  async claimForPoll(owner: string, limit: number, leaseMs: number): Promise<Job[]> {
    const now = this.clock.now();
    const { rows } = await this.db.query<Row>(
      `WITH due AS (
         SELECT id FROM jobs
          WHERE NOT terminal AND next_poll_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
          ORDER BY next_poll_at LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       UPDATE jobs j SET lease_owner = $3, lease_until = $4 FROM due WHERE j.id = due.id
       RETURNING j.*`,
      [now, limit, owner, new Date(now.getTime() + leaseMs)],
    );
    return rows.map(toJob);
  }

  /**
   * Records a poll by the lease holder: the status (a history entry when it changed), and the next poll.
   * False when `owner` no longer holds the job (its lease ran out and another poller took it).
   */
  async recordPoll(id: string, owner: string, poll: PollRecord): Promise<boolean> {
    const now = this.clock.now();
    const terminal = isTerminal(poll.status);
    if (!poll.status) throw new StorageStateError('a poll needs a status');
    return this.db.transaction(async (tx) => {
      const held = await tx.query<{ status: string }>(
        'SELECT status FROM jobs WHERE id = $1 AND lease_owner = $2 AND NOT terminal FOR UPDATE',
        [id, owner],
      );
      const before = held.rows[0]?.status;
      if (before === undefined) return false;
      await tx.query(
        `UPDATE jobs SET status = $2, terminal = $3, external_id = coalesce($4, external_id),
                summary = coalesce($5, summary), updated_at = $6, next_poll_at = $7,
                lease_owner = NULL, lease_until = NULL, polls = polls + 1
          WHERE id = $1`,
        [
          id,
          poll.status,
          terminal,
          poll.externalId ?? null,
          poll.summary ?? null,
          now,
          terminal ? null : poll.nextPollAt,
        ],
      );
      if (poll.status !== before) {
        await tx.query(
          'INSERT INTO job_status_history (job_id, status, detail, at) VALUES ($1, $2, $3, $4)',
          [id, poll.status, poll.detail ?? null, now],
        );
        if (terminal)
          await appendAudit(tx, now, {
            actor: 'system',
            action: `job.${poll.status.toLowerCase()}`,
            subject: id,
            data: { detail: poll.detail ?? null, summary: poll.summary ?? null },
          });
      }
      return true;
    });
  }

  /** Status changes, oldest first. */
  async history(id: string): Promise<StatusChange[]> {
    const { rows } = await this.db.query<{ status: string; detail: string | null; at: Date }>(
      'SELECT status, detail, at FROM job_status_history WHERE job_id = $1 ORDER BY id',
      [id],
    );
    return rows.map((r) => ({ status: r.status, detail: r.detail, at: iso(r.at) }));
  }
}
