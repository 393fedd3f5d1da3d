/**
 * What the people of a remote-run request were last told, so nothing recorded goes untold after a
 * crash. A change is recorded first and told afterwards (decision 0008); `announced` says what was
 * told last: requested (the card posted), approved / rejected / expired (the decision shown), finished
 * (the job's end shown). A sweep finds requests whose stored state is ahead of what was told and tells
 * it; a request that cannot reach any technician is withdrawn (it lapses at once, audited).
 */

import { type Row, toApproval } from './approval-rows';
import type { Approval } from './approvals';
import { appendAudit } from './audit-log';
import type { Queryable } from './sql';
import { cancelTimer } from './timers';

export type AnnouncedStage = 'requested' | 'approved' | 'rejected' | 'expired' | 'finished';

export interface ToAnnounce {
  approval: Approval;
  /** What the stored state says should have been told by now. */
  stage: AnnouncedStage;
}

/**
 * Requests whose state changed at or before `before` (a grace period, so the process that made the
 * change tells it itself) and was not told yet, oldest change first.
 */
export async function toAnnounce(q: Queryable, before: Date, limit: number): Promise<ToAnnounce[]> {
  const { rows } = await q.query<Row & { stage: AnnouncedStage }>(
    `SELECT * FROM (
       SELECT a.*,
              CASE WHEN a.status = 'pending' THEN 'requested'
                   WHEN a.status = 'approved' AND j.terminal THEN 'finished'
                   ELSE a.status END AS stage,
              CASE WHEN a.status = 'pending' THEN a.requested_at
                   WHEN a.status = 'approved' AND j.terminal THEN j.updated_at
                   ELSE coalesce(a.decided_at, a.requested_at) END AS changed_at
         FROM approvals a LEFT JOIN jobs j ON j.approval_id = a.id
        WHERE a.announced IS NULL OR a.announced NOT IN ('finished', 'rejected', 'expired')
     ) x
     WHERE stage IS DISTINCT FROM announced AND changed_at <= $1
     ORDER BY changed_at, id LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => ({ approval: toApproval(r), stage: r.stage }));
}

/** Records that `stage` was told (never moves back from a final stage). */
export async function markAnnounced(q: Queryable, id: string, stage: AnnouncedStage): Promise<void> {
  await q.query(
    `UPDATE approvals SET announced = $2
      WHERE id = $1 AND (announced IS NULL OR announced NOT IN ('finished', 'rejected', 'expired'))`,
    [id, stage],
  );
}

/**
 * Withdraws a pending request nobody can see (no technician could be reached): it lapses now, with
 * `reason` as its note, told as such; audited `approval.withdrawn`. Null when it was not pending.
 */
export async function withdraw(
  tx: Queryable,
  now: Date,
  id: string,
  reason: string,
  data: Record<string, unknown>,
): Promise<Approval | null> {
  const { rows } = await tx.query<Row>(
    `UPDATE approvals SET status = 'expired', decided_at = $2, decided_by = 'system', note = $3,
            announced = 'expired'
      WHERE id = $1 AND status = 'pending' RETURNING *`,
    [id, now, reason],
  );
  if (!rows[0]) return null;
  const approval = toApproval(rows[0]);
  await cancelTimer(tx, `approval-expiry:${id}`);
  await appendAudit(tx, now, {
    actor: 'system',
    action: 'approval.withdrawn',
    subject: id,
    targetUser: approval.requester,
    data: { ...data, reason },
  });
  return approval;
}
