/**
 * Enrollments: which PC (computer name) and Hybrid Runbook Worker group belong to a chat identity, so
 * "Run it for me" knows where a job runs. One worker group per PC; a user may have several PCs.
 */
import type { Clock } from '../../bot';
import { appendAudit } from './audit-log';
import { StorageInputError } from './errors';
import type { Queryable, SqlExecutor } from './sql';
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

const NAME_CHARS = /^[A-Za-z0-9-]*$/;
const GROUP_CHARS = /^[A-Za-z0-9_.-]*$/;

/** The first character `allowed` does not match, quoted for a message. */
function firstBad(text: string, allowed: RegExp): string {
  return JSON.stringify([...text].find((c) => !allowed.test(c)) ?? '');
}

function labelProblem(name: string, label: string, max: number, what: string): string | null {
  const subject = what ? `computer name "${name}": ${what} "${label}"` : `computer name "${name}"`;
  if (label.length === 0) return `computer name "${name}" has an empty label (two dots, or a dot at an end)`;
  if (label.length > max) return `${subject} is longer than ${max} characters`;
  if (!NAME_CHARS.test(label))
    return `${subject} has ${firstBad(label, /[A-Za-z0-9-]/)}: only letters, digits and hyphens are allowed`;
  if (label.startsWith('-') || label.endsWith('-')) return `${subject} starts or ends with a hyphen`;
  return null;
}

/**
 * Why `name` is not a computer name, or null when it is one: a NetBIOS name (1–15 letters, digits and
 * hyphens, not all digits, no hyphen at either end) or a DNS name (labels of 1–63 such characters, at
 * most 253 in all) whose first label is such a NetBIOS name.
 */
export function computerNameProblem(name: string): string | null {
  if (name.length === 0) return 'computer name is empty';
  if (name.length > 253) return `computer name "${name}" is longer than 253 characters`;
  const [first = '', ...rest] = name.split('.');
  const fqdn = rest.length > 0;
  const problem = labelProblem(name, first, 15, fqdn ? 'its NetBIOS name' : '');
  if (problem) return problem;
  if (/^[0-9]+$/.test(first))
    return fqdn
      ? `computer name "${name}": its NetBIOS name "${first}" is all digits`
      : `computer name "${name}" is all digits`;
  for (const label of rest) {
    const bad = labelProblem(name, label, 63, 'label');
    if (bad) return bad;
  }
  return null;
}

/** Why `name` is not a worker group name (1–128 letters, digits, `-`, `_`, `.`, from a letter or digit), or null. */
export function workerGroupProblem(name: string): string | null {
  if (name.length === 0) return 'worker group name is empty';
  if (name.length > 128) return `worker group "${name}" is longer than 128 characters`;
  if (!GROUP_CHARS.test(name))
    return `worker group "${name}" has ${firstBad(name, /[A-Za-z0-9_.-]/)}: only letters, digits, "-", "_" and "." are allowed`;
  if (!/^[A-Za-z0-9]/.test(name)) return `worker group "${name}" must start with a letter or a digit`;
  return null;
}

/** The NetBIOS name of a computer, lowercase: "PC-0042.corp.example.com" and "pc-0042" are one PC. */
export const computerKey = (name: string): string => (name.split('.')[0] ?? '').toLowerCase();

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

/** What is in the way of enrolling one PC to one user. */
export interface EnrollmentCheck {
  /** This user's enrollment of exactly this computer name, when there is one. */
  current: Enrollment | null;
  /**
   * The same PC (same NetBIOS name, any case, short or DNS name) enrolled otherwise: to another user, or
   * to this user under another spelling. One PC belongs to one person.
   */
  computerTaken: Enrollment[];
  /** Other PCs that use this worker group (one group per PC; a job on the group could run on either). */
  groupTaken: Enrollment[];
}

export type PlaceOutcome =
  | {
      kind: 'added' | 'changed' | 'unchanged';
      enrollment: Enrollment;
      /** Enrollments of the same PC that were removed because `move` was set. */
      moved: Enrollment[];
    }
  /** Nothing written: the PC is enrolled otherwise (and `move` was not set), or its group is taken. */
  | { kind: 'refused'; check: EnrollmentCheck };

export interface EnrollmentFilter {
  platform?: string;
  userId?: string;
}

function validate(input: EnrollmentInput): void {
  if (!input.platform || !input.userId)
    throw new StorageInputError('an enrollment needs platform and userId');
  const problem = computerNameProblem(input.computerName) ?? workerGroupProblem(input.workerGroup);
  if (problem) throw new StorageInputError(problem);
}

async function checkWith(q: Queryable, input: Omit<EnrollmentInput, 'by'>): Promise<EnrollmentCheck> {
  const { rows } = await q.query<Row>(
    `SELECT * FROM enrollments
     WHERE lower(split_part(computer_name, '.', 1)) = $1 OR lower(worker_group) = $2
     ORDER BY platform, user_id, computer_name`,
    [computerKey(input.computerName), input.workerGroup.toLowerCase()],
  );
  const key = computerKey(input.computerName);
  const all = rows.map(toEnrollment);
  const mine = (e: Enrollment) => e.platform === input.platform && e.userId === input.userId;
  return {
    current: all.find((e) => mine(e) && e.computerName === input.computerName) ?? null,
    computerTaken: all.filter(
      (e) => computerKey(e.computerName) === key && !(mine(e) && e.computerName === input.computerName),
    ),
    groupTaken: all.filter((e) => computerKey(e.computerName) !== key),
  };
}

async function upsert(
  q: Queryable,
  input: EnrollmentInput,
  now: Date,
): Promise<{ kind: 'added' | 'changed'; enrollment: Enrollment }> {
  const { rows } = await q.query<Row & { created: boolean }>(
    `INSERT INTO enrollments (platform, user_id, computer_name, worker_group, enrolled_by, enrolled_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (platform, user_id, computer_name) DO UPDATE
       SET worker_group = excluded.worker_group, enrolled_by = excluded.enrolled_by,
           enrolled_at = excluded.enrolled_at
     RETURNING *, (xmax = 0) AS created`,
    [input.platform, input.userId, input.computerName, input.workerGroup, input.by, now],
  );
  const row = rows[0] as Row & { created: boolean };
  await appendAudit(q, now, {
    actor: input.by,
    action: row.created ? 'enrollment.added' : 'enrollment.changed',
    subject: input.computerName,
    targetUser: `${input.platform}:${input.userId}`,
    data: { workerGroup: input.workerGroup },
  });
  return { kind: row.created ? 'added' : 'changed', enrollment: toEnrollment(row) };
}

export class Enrollments {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

  /** Adds or updates (same user and computer) an enrollment; returns it. Checks nothing else: see `place`. */
  async enroll(input: EnrollmentInput): Promise<Enrollment> {
    validate(input);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => (await upsert(tx, input, now)).enrollment);
  }

  /** What stands in the way of enrolling this PC to this user (read only). */
  async check(input: Omit<EnrollmentInput, 'by'>): Promise<EnrollmentCheck> {
    validate({ ...input, by: '' });
    return checkWith(this.db, input);
  }

  /**
   * Enrolls a PC to a user, checked in the same transaction: refused when the PC is enrolled otherwise
   * (unless `move`, which removes those enrollments, audited) or another PC uses the worker group (always).
   * The same user, computer and worker group again is "unchanged" and writes nothing.
   */
  async place(input: EnrollmentInput, options: { move?: boolean } = {}): Promise<PlaceOutcome> {
    validate(input);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      // Writers of this table take turns, so two checks cannot both pass for one PC or group.
      await tx.query('LOCK TABLE enrollments IN SHARE ROW EXCLUSIVE MODE');
      const check = await checkWith(tx, input);
      if (check.groupTaken.length > 0 || (check.computerTaken.length > 0 && !options.move))
        return { kind: 'refused', check };
      for (const other of check.computerTaken) {
        await tx.query(
          'DELETE FROM enrollments WHERE platform = $1 AND user_id = $2 AND computer_name = $3',
          [other.platform, other.userId, other.computerName],
        );
        await appendAudit(tx, now, {
          actor: input.by,
          action: 'enrollment.removed',
          subject: other.computerName,
          targetUser: `${other.platform}:${other.userId}`,
          data: { workerGroup: other.workerGroup, movedTo: `${input.platform}:${input.userId}` },
        });
      }
      if (
        check.current &&
        check.current.workerGroup === input.workerGroup &&
        check.computerTaken.length === 0
      )
        return { kind: 'unchanged', enrollment: check.current, moved: [] };
      return { ...(await upsert(tx, input, now)), moved: check.computerTaken };
    });
  }

  /**
   * All enrollments, or one user's or one platform's, ordered by platform, user and computer (ignoring
   * case, byte order otherwise, the same on every database whatever its collation).
   */
  async list(filter: EnrollmentFilter = {}): Promise<Enrollment[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM enrollments
       WHERE ($1::text IS NULL OR platform = $1) AND ($2::text IS NULL OR user_id = $2)
       ORDER BY platform, lower(user_id) COLLATE "C", user_id COLLATE "C",
                lower(computer_name) COLLATE "C", computer_name COLLATE "C"`,
      [filter.platform ?? null, filter.userId ?? null],
    );
    return rows.map(toEnrollment);
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
