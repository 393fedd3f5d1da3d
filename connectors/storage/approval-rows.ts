/** Approval rows as stored, and as the repositories hand them out. */
import type { Approval, ApprovalStatus } from './approvals';
import type { Queryable } from './sql';
import { iso, isoOrNull } from './sql';

export const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

export interface Row {
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
  decided_by_name: string | null;
  decided_at: Date | null;
  note: string | null;
  digest: string | null;
  context: Record<string, unknown> | null;
  announced: string | null;
}

export const toApproval = (r: Row): Approval => ({
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
  decidedByName: r.decided_by_name ?? null,
  decidedAt: isoOrNull(r.decided_at),
  note: r.note,
  digest: r.digest,
  context: isObject(r.context) ? r.context : {},
  announced: r.announced ?? null,
});

export async function read(q: Queryable, id: string): Promise<Approval | null> {
  const { rows } = await q.query<Row>('SELECT * FROM approvals WHERE id = $1', [id]);
  return rows[0] ? toApproval(rows[0]) : null;
}
