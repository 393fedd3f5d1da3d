/**
 * Approval requests for remote runs and their decisions. Requesting twice for the same step while one
 * is pending returns the pending one; deciding is one compare-and-set UPDATE (`WHERE status =
 * 'pending'`), so when two technicians press at once exactly one decision wins, in any number of
 * processes. Each request schedules its expiry as a durable timer; every change is audited in the same
 * transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../bot';
import { appendAudit } from './audit-log';
import { StorageInputError } from './errors';
import type { Queryable, SqlExecutor } from './sql';
import { iso, isoOrNull, json } from './sql';
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
  /** How long technicians have to decide (default 4 hours). */
  ttlMs?: number;
}

export interface Approval extends Omit<ApprovalInput, 'ttlMs'> {
  id: string;
  status: ApprovalStatus;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

export type DecideResult =
  | { ok: true; approval: Approval }
  | { ok: false; reason: 'not-found'; approval: null }
  | { ok: false; reason: 'already-decided' | 'expired' | 'requester'; approval: Approval };

export const APPROVAL_EXPIRY = 'approval-expiry';
const DEFAULT_TTL_MS = 4 * 60 * 60 * 1000;

interface Row {
  id: string;
  conversation_key: string;
  requester: string;
  step_id: string;
  runbook: string;
  parameters: Record<string, unknown>;
  computer_name: string;
  worker_group: string;
  status: ApprovalStatus;
  requested_at: Date;
  expires_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

const toApproval = (r: Row): Approval => ({
  id: r.id,
  conversationKey: r.conversation_key,
  requester: r.requester,
  stepId: r.step_id,
  runbook: r.runbook,
  parameters: r.parameters,
  computerName: r.computer_name,
  workerGroup: r.worker_group,
  status: r.status,
  requestedAt: iso(r.requested_at),
  expiresAt: iso(r.expires_at),
  decidedBy: r.decided_by,
  decidedAt: isoOrNull(r.decided_at),
  note: r.note,
});

async function read(q: Queryable, id: string): Promise<Approval | null> {
  const { rows } = await q.query<Row>('SELECT * FROM approvals WHERE id = $1', [id]);
  return rows[0] ? toApproval(rows[0]) : null;
}

export class Approvals {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  /** Creates a pending request (and its expiry timer), or returns the one already pending for the step. */
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
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (input.ttlMs ?? DEFAULT_TTL_MS));
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `INSERT INTO approvals (id, conversation_key, requester, step_id, runbook, parameters, computer_name,
                                worker_group, status, requested_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'pending', $9, $10)
         ON CONFLICT (conversation_key, step_id) WHERE status = 'pending' DO NOTHING
         RETURNING *`,
        [
          randomUUID(),
          input.conversationKey,
          input.requester,
          input.stepId,
          input.runbook,
          json(input.parameters),
          input.computerName,
          input.workerGroup,
          now,
          expiresAt,
        ],
      );
      if (!rows[0]) {
        const pending = await tx.query<Row>(
          `SELECT * FROM approvals WHERE conversation_key = $1 AND step_id = $2 AND status = 'pending'`,
          [input.conversationKey, input.stepId],
        );
        return { created: false, approval: toApproval(pending.rows[0] as Row) };
      }
      const approval = toApproval(rows[0]);
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
      await appendAudit(tx, now, {
        actor: input.requester,
        action: 'approval.requested',
        subject: approval.id,
        targetUser: input.requester,
        data: { stepId: input.stepId, runbook: input.runbook, computerName: input.computerName },
      });
      return { created: true, approval };
    });
  }

  get(id: string): Promise<Approval | null> {
    return read(this.db, id);
  }

  /** Approves or rejects a pending, unexpired request; the requester can never decide their own. */
  async decide(
    id: string,
    decision: { approve: boolean; by: string; note?: string | null },
  ): Promise<DecideResult> {
    if (!decision.by) throw new StorageInputError('a decision needs the deciding technician');
    const now = this.clock.now();
    const status: ApprovalStatus = decision.approve ? 'approved' : 'rejected';
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row>(
        `UPDATE approvals SET status = $2, decided_by = $3, decided_at = $4, note = $5
          WHERE id = $1 AND status = 'pending' AND expires_at > $4 AND requester <> $3
          RETURNING *`,
        [id, status, decision.by, now, decision.note ?? null],
      );
      if (!rows[0]) {
        const current = await read(tx, id);
        if (!current) return { ok: false, reason: 'not-found', approval: null };
        const reason =
          current.status !== 'pending'
            ? 'already-decided'
            : current.requester === decision.by
              ? 'requester'
              : 'expired';
        return { ok: false, reason, approval: current };
      }
      const approval = toApproval(rows[0]);
      await cancelTimer(tx, `${APPROVAL_EXPIRY}:${id}`);
      await appendAudit(tx, now, {
        actor: decision.by,
        action: `approval.${status}`,
        subject: id,
        targetUser: approval.requester,
        data: { stepId: approval.stepId, note: decision.note ?? null },
      });
      return { ok: true, approval };
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

  /** Pending requests, oldest first. */
  async pending(limit = 100): Promise<Approval[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM approvals WHERE status = 'pending' ORDER BY requested_at LIMIT $1`,
      [limit],
    );
    return rows.map(toApproval);
  }
}
