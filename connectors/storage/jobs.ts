/**
 * Remote jobs (one per approved request) and their status history. Pollers in any number of processes
 * claim due jobs with `FOR UPDATE SKIP LOCKED` and a lease; only the lease holder can record a status
 * (compare-and-set on the owner), which releases the lease and sets the next poll. Terminal statuses
 * (Completed, Failed, Stopped, Suspended) end polling. The job's id is the remote job's name, stored
 * before the remote create; `markStarting` records the first attempt, so a job whose create may have
 * been sent (by a process that died, or a create whose answer was lost) is read back before any new
 * create. Every status change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../bot';
import { appendAudit } from './audit-log';
import { StorageStateError } from './errors';
import type { Queryable, SqlExecutor } from './sql';
import { iso, isoOrNull } from './sql';

/** Before the job is created remotely; afterwards the Azure Automation status is stored as given. */
export const QUEUED = 'Queued';
/**
 * Statuses that end polling. Azure Automation's Suspended is not final there (the job waits for a person
 * to resume or stop it, in the portal) but nothing more happens without one, so the bot reports it as
 * finished and stops polling rather than poll a job that may never move again. Cancelled is winfix's
 * own: the job was refused before anything was sent.
 */
export const TERMINAL_STATUSES = ['Completed', 'Failed', 'Stopped', 'Suspended', 'Cancelled'] as const;
/** A job winfix refused to send (the PC changed hands, too late after the approval): never created remotely. */
export const CANCELLED = 'Cancelled';

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
  /** sha256 (hex) of the full output, once finished and read. */
  outputDigest: string | null;
  /** When the remote create was first attempted (null: never sent, safe to create). */
  startedAt: string | null;
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
  /**
   * True once nothing more will be polled (the poller knows it from the executor's normalised state).
   * Without it the status decides: TERMINAL_STATUSES.
   */
  finished?: boolean;
  detail?: string | null;
  /** The remote job's id, once known. */
  externalId?: string | null;
  /** A short summary of the output, for the user and the technician. */
  summary?: string | null;
  /** sha256 (hex) of the full output (kept when not given). */
  outputDigest?: string | null;
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
  output_digest: string | null;
  started_at: Date | null;
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
  outputDigest: r.output_digest,
  startedAt: isoOrNull(r.started_at),
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

/**
 * The job's intent for an approved request (its id is the remote job's name, chosen here), inside the
 * caller's transaction: `Approvals.decide` writes it with the decision, so an approval never exists
 * without its job. The same approval gives the same job; null when the approval is not approved.
 */
export async function insertJob(
  tx: Queryable,
  approvalId: string,
  now: Date,
): Promise<{ created: boolean; job: Job } | null> {
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
    return existing ? { created: false, job: existing } : null;
  }
  const job = toJob(rows[0]);
  await tx.query('INSERT INTO job_status_history (job_id, status, detail, at) VALUES ($1, $2, NULL, $3)', [
    job.id,
    QUEUED,
    now,
  ]);
  await appendAudit(tx, now, {
    actor: 'system',
    action: 'job.created',
    subject: job.id,
    data: { approvalId, runbook: job.runbook, workerGroup: job.workerGroup },
  });
  return { created: true, job };
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
      const made = await insertJob(tx, approvalId, now);
      if (made) return made;
      throw new StorageStateError(`approval ${approvalId} does not exist or is not approved`);
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
   * Marks that the lease holder is about to send the remote create (started_at, set once). Returns true
   * when an earlier attempt was already marked: that create may have reached Azure, so read the job back
   * before creating it again. Throws StorageStateError when `owner` no longer holds the job (or it is
   * finished): then it must not send anything.
   */
  async markStarting(id: string, owner: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const held = await tx.query<{ started_at: Date | null }>(
        'SELECT started_at FROM jobs WHERE id = $1 AND lease_owner = $2 AND NOT terminal FOR UPDATE',
        [id, owner],
      );
      const row = held.rows[0];
      if (!row) throw new StorageStateError(`job ${id} is not held by ${owner} (or is finished)`);
      const before = row.started_at !== null;
      if (!before) await tx.query('UPDATE jobs SET started_at = $2 WHERE id = $1', [id, now]);
      await appendAudit(tx, now, {
        actor: 'system',
        action: 'job.starting',
        subject: id,
        data: { owner, attemptedBefore: before, firstAttemptAt: before ? iso(row.started_at) : iso(now) },
      });
      return before;
    });
  }

  /**
   * Records a poll by the lease holder: the status (a history entry and a `job.status` audit entry when
   * it changed; a finished job also gets `job.<status>` with its summary and output digest), and the
   * next poll. False when `owner` no longer holds the job (its lease ran out and another poller took it).
   */
  async recordPoll(id: string, owner: string, poll: PollRecord): Promise<boolean> {
    const now = this.clock.now();
    const terminal = poll.finished ?? isTerminal(poll.status);
    if (!poll.status) throw new StorageStateError('a poll needs a status');
    return this.db.transaction(async (tx) => {
      const held = await tx.query<{ status: string }>(
        'SELECT status FROM jobs WHERE id = $1 AND lease_owner = $2 AND NOT terminal FOR UPDATE',
        [id, owner],
      );
      const before = held.rows[0]?.status;
      if (before === undefined) return false;
      const { rows } = await tx.query<Row>(
        `UPDATE jobs SET status = $2, terminal = $3, external_id = coalesce($4, external_id),
                summary = coalesce($5, summary), output_digest = coalesce($6, output_digest),
                updated_at = $7, next_poll_at = $8, lease_owner = NULL, lease_until = NULL, polls = polls + 1
          WHERE id = $1
          RETURNING *`,
        [
          id,
          poll.status,
          terminal,
          poll.externalId ?? null,
          poll.summary ?? null,
          poll.outputDigest ?? null,
          now,
          terminal ? null : poll.nextPollAt,
        ],
      );
      const job = rows[0] as Row;
      if (poll.status !== before) {
        await tx.query(
          'INSERT INTO job_status_history (job_id, status, detail, at) VALUES ($1, $2, $3, $4)',
          [id, poll.status, poll.detail ?? null, now],
        );
        await appendAudit(tx, now, {
          actor: 'system',
          action: 'job.status',
          subject: id,
          data: { from: before, to: poll.status, detail: poll.detail ?? null },
        });
      }
      if (terminal)
        await appendAudit(tx, now, {
          actor: 'system',
          action: `job.${poll.status.toLowerCase()}`,
          subject: id,
          data: {
            detail: poll.detail ?? null,
            summary: job.summary,
            outputDigest: job.output_digest,
            approvalId: job.approval_id,
          },
        });
      return true;
    });
  }

  /** The job of an approval, if one was created. */
  forApproval(approvalId: string): Promise<Job | null> {
    return read(this.db, 'SELECT * FROM jobs WHERE approval_id = $1', approvalId);
  }

  /** Jobs not finished, oldest first. */
  async open(limit = 100): Promise<Job[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM jobs WHERE NOT terminal ORDER BY created_at, id LIMIT $1',
      [limit],
    );
    return rows.map(toJob);
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
