/**
 * Enrollments: which PC (computer name) and Hybrid Runbook Worker group belong to a chat identity, so
 * "Run it for me" knows where a job runs. One worker group per PC; a user may have several PCs.
 */
import type { Clock } from '../../bot';
import { appendAudit } from './audit-log';
import { StorageInputError } from './errors';
import type { SqlExecutor } from './sql';
import { iso } from './sql';

export interface EnrollmentInput {
  platform: string;
  userId: string;
  computerName: string;
  workerGroup: string;
  /** Who enrolled it (a technician, or the user's own identity), "platform:id". */
  by: string;
}

export interface Enrollment extends Omit<EnrollmentInput, 'by'> {
  enrolledBy: string;
  enrolledAt: string;
}

/** NetBIOS or DNS host name; worker group names as Azure Automation allows them. */
const COMPUTER = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;
const WORKER_GROUP = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

interface Row {
  platform: string;
  user_id: string;
  computer_name: string;
  worker_group: string;
  enrolled_by: string;
  enrolled_at: Date;
}

const toEnrollment = (r: Row): Enrollment => ({
  platform: r.platform,
  userId: r.user_id,
  computerName: r.computer_name,
  workerGroup: r.worker_group,
  enrolledBy: r.enrolled_by,
  enrolledAt: iso(r.enrolled_at),
});

export class Enrollments {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  /** Adds or updates (same user and computer) an enrollment; returns it. */
  async enroll(input: EnrollmentInput): Promise<Enrollment> {
    if (!input.platform || !input.userId)
      throw new StorageInputError('an enrollment needs platform and userId');
    if (!COMPUTER.test(input.computerName))
      throw new StorageInputError(`"${input.computerName}" is not a computer name`);
    if (!WORKER_GROUP.test(input.workerGroup))
      throw new StorageInputError(`"${input.workerGroup}" is not a worker group name`);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<Row & { created: boolean }>(
        `INSERT INTO enrollments (platform, user_id, computer_name, worker_group, enrolled_by, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (platform, user_id, computer_name) DO UPDATE
           SET worker_group = excluded.worker_group, enrolled_by = excluded.enrolled_by,
               enrolled_at = excluded.enrolled_at
         RETURNING *, (xmax = 0) AS created`,
        [input.platform, input.userId, input.computerName, input.workerGroup, input.by, now],
      );
      const row = rows[0] as Row & { created: boolean };
      await appendAudit(tx, now, {
        actor: input.by,
        action: row.created ? 'enrollment.added' : 'enrollment.changed',
        subject: input.computerName,
        targetUser: `${input.platform}:${input.userId}`,
        data: { workerGroup: input.workerGroup },
      });
      return toEnrollment(row);
    });
  }

  async forUser(platform: string, userId: string): Promise<Enrollment[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM enrollments WHERE platform = $1 AND user_id = $2 ORDER BY computer_name',
      [platform, userId],
    );
    return rows.map(toEnrollment);
  }

  /** Removes one enrollment; false when there was none. */
  async remove(platform: string, userId: string, computerName: string, by: string): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        'DELETE FROM enrollments WHERE platform = $1 AND user_id = $2 AND computer_name = $3',
        [platform, userId, computerName],
      );
      if (rowCount === 0) return false;
      await appendAudit(tx, now, {
        actor: by,
        action: 'enrollment.removed',
        subject: computerName,
        targetUser: `${platform}:${userId}`,
      });
      return true;
    });
  }
}
