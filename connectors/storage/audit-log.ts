/**
 * The append-only audit log: who did what to what, and when. A trigger refuses UPDATE and DELETE.
 * Repositories append in the same transaction as the change they record.
 */
import type { Clock } from '../../bot';
import type { Queryable, SqlExecutor } from './sql';
import { iso, json } from './sql';

export interface AuditEntryInput {
  /** Who did it: "teams:29:1abc", "slack:U0123", or "system". */
  actor: string;
  /** What happened, dotted: "approval.approved", "case.resolved" … */
  action: string;
  /** What it happened to: an approval id, a job id, a conversation key. */
  subject?: string | null;
  /** The employee it concerns, when not the actor (the requester of an approval). */
  targetUser?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  targetUser: string | null;
  data: Record<string, unknown>;
}

export interface AuditQuery {
  /** Entries at or after this time. */
  since?: Date;
  /** Entries where this user is the actor or the target: a full id ("teams:29:1abc") or the part after the platform. */
  user?: string;
  /** At most this many, the newest kept (default 1000). */
  limit?: number;
}

export async function appendAudit(q: Queryable, at: Date, entry: AuditEntryInput): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, actor, action, subject, target_user, data)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    [at, entry.actor, entry.action, entry.subject ?? null, entry.targetUser ?? null, json(entry.data ?? {})],
  );
}

interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  subject: string | null;
  target_user: string | null;
  data: unknown;
}

export class AuditLog {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  append(entry: AuditEntryInput): Promise<void> {
    return appendAudit(this.db, this.clock.now(), entry);
  }

  /** Entries oldest first. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.since) {
      params.push(query.since);
      where.push(`at >= $${params.length}`);
    }
    if (query.user) {
      params.push(query.user);
      const u = `$${params.length}`;
      const tail = `':' || ${u}::text`;
      where.push(
        `(actor = ${u} OR target_user = ${u} OR right(actor, length(${u}) + 1) = ${tail} ` +
          `OR right(target_user, length(${u}) + 1) = ${tail})`,
      );
    }
    params.push(query.limit ?? 1000);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT * FROM (
         SELECT id, at, actor, action, subject, target_user, data FROM audit_log
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT $${params.length}
       ) newest ORDER BY id`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      at: iso(r.at),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      targetUser: r.target_user,
      // Stored as jsonb, so always JSON; anything but an object is shown under "value".
      data:
        r.data && typeof r.data === 'object' && !Array.isArray(r.data)
          ? (r.data as Record<string, unknown>)
          : { value: r.data },
    }));
  }
}
