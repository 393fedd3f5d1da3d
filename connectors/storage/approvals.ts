/**
 * Approval requests for remote runs and their decisions. At most one request is pending per
 * conversation and step, and per employee and computer (two partial unique indexes): requesting again
 * while one is pending returns the pending one. Deciding is one compare-and-set UPDATE (`WHERE status =
 * 'pending'`), so when two technicians press at once exactly one decision wins, in any number of
 * processes. Each request stores the digest of what is to run, and a decision that names another digest
 * (a card that does not match the stored request) is refused as forged. Each request schedules its
 * expiry as a durable timer; every change, and every refused decision, is audited in the same
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../bot';
import {
  type AnnouncedStage,
  markAnnounced,
  type ToAnnounce,
  toAnnounce,
  withdraw,
} from './approval-announcements';
import { approvalDigest } from './approval-digest';
import { isObject, type Row, read, toApproval } from './approval-rows';
import { appendAudit } from './audit-log';
import { StorageInputError, StorageStateError } from './errors';
import { insertJob, type Job } from './jobs';
import type { Queryable, SqlExecutor } from './sql';
import { json } from './sql';
import { cancelTimer, scheduleTimer } from './timers';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface ApprovalInput {
  conversationKey: string;
  /** The employee asking, "platform:id". */
  requester: string;
  stepId: string;
  runbook: string;
  parameters: Record<string, unknown>;
  computerName: string;
  workerGroup: string;
  /** How long technicians have to decide (default 30 minutes). */
  ttlMs?: number;
  /** What the approval card shows (code, context, OS, step title, steps tried …); stored as given. */
  context?: Record<string, unknown>;
  /** The employee agreed to a restart of the PC: audited as its own event (`approval.consent`). */
  consent?: { restart: boolean } | null;
}

export interface Approval extends Omit<ApprovalInput, 'ttlMs' | 'context' | 'consent'> {
  id: string;
  status: ApprovalStatus;
  /** `approvalDigest` of the stored request; null for requests made before schema version 2. */
  digest: string | null;
  context: Record<string, unknown>;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  /** The decider's display name when the platform gave one. */
  decidedByName: string | null;
  decidedAt: string | null;
  note: string | null;
  /** What both sides were last told: requested, approved, rejected, expired, finished (null: nothing yet). */
  announced: string | null;
}

export interface Decision {
  approve: boolean;
  /** The deciding technician, "platform:id" ("policy" for a request approved by policy). */
  by: string;
  /** The decider's display name, kept so cards redrawn later (after a restart) can show it. */
  byName?: string | null;
  note?: string | null;
  /** The digest the card carried; when given (even empty) it must match the stored request's. */
  digest?: string | null;
  /** Who the decider is besides the chat id, where the platform gives it (audited). */
  identity?: { directoryId?: string | null; email?: string | null } | null;
}

export type RefusalReason = 'already-decided' | 'expired' | 'requester' | 'forged';

export type DecideResult =
  /** An approval comes with its job (its intent, written in the same transaction). */
  | { ok: true; approval: Approval; job: Job | null }
  | { ok: false; reason: 'not-found'; approval: null }
  | { ok: false; reason: RefusalReason; approval: Approval };

export const APPROVAL_EXPIRY = 'approval-expiry';
export const DEFAULT_APPROVAL_TTL_MS = 30 * 60 * 1000;
export { approvalDigest };

/** The decider's directory id and e-mail for the audit entry, where the platform gave them. */
function technicianOf(decision: Decision): Record<string, unknown> {
  const directoryId = decision.identity?.directoryId ?? null;
  const email = decision.identity?.email?.toLowerCase() ?? null;
  return directoryId || email ? { technician: { directoryId, email, name: decision.byName ?? null } } : {};
}

export class Approvals {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a pending request (and its expiry timer), or returns the one already pending for the same
   * conversation and step, or else for the same requester and computer (whatever its step): check
   * `approval.stepId`/`conversationKey` to tell a repeated request from another one waiting its turn.
   */
  async request(input: ApprovalInput): Promise<{ created: boolean; approval: Approval }> {
    for (const field of [
      'conversationKey',
      'requester',
      'stepId',
      'runbook',
      'computerName',
      'workerGroup',
    ] as const)
      if (!input[field]) throw new StorageInputError(`an approval request needs ${field}`);
    if (!isObject(input.parameters)) throw new StorageInputError('approval parameters must be an object');
    if (input.context !== undefined && !isObject(input.context))
      throw new StorageInputError('an approval context must be an object');
    // As jsonb gives them back (undefined members dropped …), so the digest matches the stored request.
    const parameters = JSON.parse(json(input.parameters)) as Record<string, unknown>;
    const digest = approvalDigest({ ...input, parameters });
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (input.ttlMs ?? DEFAULT_APPROVAL_TTL_MS));
    return this.db.transaction(async (tx) => {
      // The pending one found may be decided between the INSERT and the SELECT: then insert again.
      for (let attempt = 0; ; attempt++) {
        const { rows } = await tx.query<Row>(
          `INSERT INTO approvals (id, conversation_key, requester, step_id, runbook, parameters, computer_name,
                                  worker_group, status, requested_at, expires_at, digest, context)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'pending', $9, $10, $11, $12::jsonb)
           ON CONFLICT DO NOTHING
           RETURNING *`,
          [
            randomUUID(),
            input.conversationKey,
            input.requester,
            input.stepId,
            input.runbook,
            json(parameters),
            input.computerName,
            input.workerGroup,
            now,
            expiresAt,
            digest,
            json(input.context ?? {}),
          ],
        );
        if (rows[0]) return this.created(tx, now, input, toApproval(rows[0]), expiresAt);
        const pending = await tx.query<Row>(
          `SELECT * FROM approvals
            WHERE status = 'pending'
              AND ((conversation_key = $1 AND step_id = $2)
                   OR (requester = $3 AND lower(computer_name) = lower($4)))
            ORDER BY (conversation_key = $1 AND step_id = $2) DESC, requested_at
            LIMIT 1`,
          [input.conversationKey, input.stepId, input.requester, input.computerName],
        );
        if (pending.rows[0]) return { created: false, approval: toApproval(pending.rows[0]) };
        if (attempt >= 5) throw new StorageStateError('the approval request kept conflicting; try again');
      }
    });
  }

  private async created(
    tx: Queryable,
    now: Date,
    input: ApprovalInput,
    approval: Approval,
    expiresAt: Date,
  ): Promise<{ created: true; approval: Approval }> {
    await scheduleTimer(
      tx,
      {
        id: `${APPROVAL_EXPIRY}:${approval.id}`,
        kind: APPROVAL_EXPIRY,
        payload: { approvalId: approval.id },
        dueAt: expiresAt,
      },
      now,
    );
    if (input.consent?.restart)
      await appendAudit(tx, now, {
        actor: input.requester,
        action: 'approval.consent',
        subject: approval.id,
        targetUser: input.requester,
        data: { restart: true, computerName: input.computerName, runbook: input.runbook },
      });
    await appendAudit(tx, now, {
      actor: input.requester,
      action: 'approval.requested',
      subject: approval.id,
      targetUser: input.requester,
      data: {
        stepId: input.stepId,
        runbook: input.runbook,
        computerName: input.computerName,
        digest: approval.digest,
      },
    });
    return { created: true, approval };
  }

  get(id: string): Promise<Approval | null> {
    return read(this.db, id);
  }

  /**
   * Approves or rejects a pending, unexpired request; the requester can never decide their own, and a
   * decision naming a digest other than the stored request's is refused as forged. Refusals come back
   * as `ok: false` (never thrown) and are audited: `approval.forged` (data {given, stored}) or
   * `approval.refused` (data {reason, verb}).
   */
  async decide(id: string, decision: Decision): Promise<DecideResult> {
    if (!decision.by) throw new StorageInputError('a decision needs the deciding technician');
    const now = this.clock.now();
    const status: ApprovalStatus = decision.approve ? 'approved' : 'rejected';
    const verb = decision.approve ? 'approve' : 'reject';
    return this.db.transaction(async (tx): Promise<DecideResult> => {
      if (decision.digest !== undefined && decision.digest !== null) {
        // The digest never changes once stored, so checking it before the compare-and-set is safe.
        const current = await read(tx, id);
        if (!current) return this.refuse(tx, now, id, null, decision.by, 'not-found', { verb });
        const stored = current.digest ?? approvalDigest(current);
        if (decision.digest !== stored) {
          await appendAudit(tx, now, {
            actor: decision.by,
            action: 'approval.forged',
            subject: id,
            targetUser: current.requester,
            data: { given: decision.digest, stored, verb, ...technicianOf(decision) },
          });
          return { ok: false, reason: 'forged', approval: current };
        }
      }
      const { rows } = await tx.query<Row>(
        `UPDATE approvals SET status = $2, decided_by = $3, decided_at = $4, note = $5, decided_by_name = $6
          WHERE id = $1 AND status = 'pending' AND expires_at > $4 AND requester <> $3
          RETURNING *`,
        [id, status, decision.by, now, decision.note ?? null, decision.byName?.trim().slice(0, 200) || null],
      );
      if (!rows[0]) {
        const current = await read(tx, id);
        if (!current) return this.refuse(tx, now, id, null, decision.by, 'not-found', { verb });
        const reason =
          current.status !== 'pending'
            ? 'already-decided'
            : current.requester === decision.by
              ? 'requester'
              : 'expired';
        return this.refuse(tx, now, id, current, decision.by, reason, { verb, ...technicianOf(decision) });
      }
      const approval = toApproval(rows[0]);
      await cancelTimer(tx, `${APPROVAL_EXPIRY}:${id}`);
      await appendAudit(tx, now, {
        actor: decision.by,
        action: `approval.${status}`,
        subject: id,
        targetUser: approval.requester,
        data: {
          stepId: approval.stepId,
          note: decision.note ?? null,
          digest: approval.digest,
          ...technicianOf(decision),
        },
      });
      // The job's intent with the decision: a crash after this commit leaves a job to start, never an
      // approval without one.
      const job = decision.approve ? ((await insertJob(tx, id, now))?.job ?? null) : null;
      return { ok: true, approval, job };
    });
  }

  private async refuse(
    tx: Queryable,
    now: Date,
    id: string,
    current: Approval | null,
    by: string,
    reason: RefusalReason | 'not-found',
    data: Record<string, unknown>,
  ): Promise<DecideResult> {
    await appendAudit(tx, now, {
      actor: by,
      action: 'approval.refused',
      subject: id,
      targetUser: current?.requester ?? null,
      data: { ...data, reason },
    });
    return current && reason !== 'not-found'
      ? { ok: false, reason, approval: current }
      : { ok: false, reason: 'not-found', approval: null };
  }

  /**
   * Audits a press refused before it reached `decide` (not a technician, a card with unexpected keys,
   * an unknown request …): `approval.refused`, or `approval.forged` for reason 'forged', with data
   * {...data, reason}. `id` null when the request is unknown.
   */
  async recordRefusal(
    id: string | null,
    by: string,
    reason: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    if (!by) throw new StorageInputError('a refusal needs who was refused');
    if (!reason) throw new StorageInputError('a refusal needs its reason');
    const now = this.clock.now();
    const current = id ? await read(this.db, id) : null;
    await appendAudit(this.db, now, {
      actor: by,
      action: reason === 'forged' ? 'approval.forged' : 'approval.refused',
      subject: id,
      targetUser: current?.requester ?? null,
      data: { ...data, reason },
    });
  }

  /** Marks a pending request expired once its time is up (the expiry timer's handler); null if not. */
  async expire(id: string): Promise<Approval | null> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `UPDATE approvals SET status = 'expired', decided_at = $2
          WHERE id = $1 AND status = 'pending' AND expires_at <= $2 RETURNING *`,
        [id, now],
      );
      if (!rows[0]) return null;
      const approval = toApproval(rows[0]);
      await appendAudit(tx, now, {
        actor: 'system',
        action: 'approval.expired',
        subject: id,
        targetUser: approval.requester,
      });
      return approval;
    });
  }

  /** Requests changed at or before `before` whose change was not told yet (see approval-announcements.ts). */
  toAnnounce(before: Date, limit = 50): Promise<ToAnnounce[]> {
    return toAnnounce(this.db, before, limit);
  }

  markAnnounced(id: string, stage: AnnouncedStage): Promise<void> {
    return markAnnounced(this.db, id, stage);
  }

  /** A pending request no technician can see lapses now (`approval.withdrawn`); null when not pending. */
  withdraw(id: string, reason: string, data: Record<string, unknown> = {}): Promise<Approval | null> {
    const now = this.clock.now();
    return this.db.transaction((tx) => withdraw(tx, now, id, reason, data));
  }

  /**
   * A requester's pending requests, oldest first (a request past its expiry stays pending until its
   * expiry timer has run).
   */
  async openFor(requester: string): Promise<Approval[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM approvals WHERE requester = $1 AND status = 'pending' ORDER BY requested_at, id`,
      [requester],
    );
    return rows.map(toApproval);
  }

  /** A conversation's requests, any status, newest first. */
  async forConversation(conversationKey: string, limit = 20): Promise<Approval[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM approvals WHERE conversation_key = $1 ORDER BY requested_at DESC, id LIMIT $2`,
      [conversationKey, limit],
    );
    return rows.map(toApproval);
  }

  /** Pending requests, oldest first. */
  async pending(limit = 100): Promise<Approval[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM approvals WHERE status = 'pending' ORDER BY requested_at LIMIT $1`,
      [limit],
    );
    return rows.map(toApproval);
  }
}
