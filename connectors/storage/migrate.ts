/**
 * Applies the migrations in one transaction, under an advisory lock so that bot processes starting
 * together on one PostgreSQL database take turns (the second finds the work done). A database whose
 * schema is newer than the code is refused.
 */
import { MigrationFailedError, SchemaTooNewError, WinfixStorageError } from './errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import type { Queryable, SqlExecutor } from './sql';
import { iso } from './sql';

/**
 * How long each statement of a migration may wait on PostgreSQL (the pool's 30 s is for turns): a
 * second instance starting at the same time waits here for the first one's migration, and a migration
 * may rewrite a big table.
 */
export const MIGRATION_QUERY_TIMEOUT_MS = 15 * 60_000;

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export interface SchemaStatus {
  /** Highest applied version (0: empty database). */
  current: number;
  /** The version this code works with. */
  latest: number;
  applied: AppliedMigration[];
  pending: Migration[];
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: Migration[];
}

const CREATE_VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function readApplied(q: Queryable): Promise<AppliedMigration[]> {
  const exists = await q.query<{ found: boolean }>(
    `SELECT to_regclass('schema_version') IS NOT NULL AS found`,
  );
  if (!exists.rows[0]?.found) return [];
  const { rows } = await q.query<{ version: number; name: string; applied_at: Date }>(
    'SELECT version, name, applied_at FROM schema_version ORDER BY version',
  );
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: iso(r.applied_at) }));
}

function statusOf(applied: AppliedMigration[], migrations: readonly Migration[]): SchemaStatus {
  const current = applied.reduce((max, m) => Math.max(max, m.version), 0);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const done = new Set(applied.map((m) => m.version));
  return {
    current,
    latest,
    applied,
    pending: migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version),
  };
}

/** What is applied and what is pending, without changing anything. */
export async function schemaStatus(
  db: Queryable,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<SchemaStatus> {
  return statusOf(await readApplied(db), migrations);
}

/** Brings the schema up to date; throws `SchemaTooNewError` for a schema newer than `migrations`. */
export async function migrate(
  db: SqlExecutor,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  try {
    return await db.transaction(
      async (tx) => {
        // One key per schema, so test schemas sharing a server do not wait for each other.
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtext('winfix_migrate:' || coalesce(current_schema(), '')))`,
        );
        await tx.exec(CREATE_VERSION_TABLE);
        const status = statusOf(await readApplied(tx), migrations);
        if (status.current > status.latest) throw new SchemaTooNewError(status.current, status.latest);
        for (const migration of status.pending) {
          await tx.exec(migration.sql);
          await tx.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
        }
        const to = status.pending.reduce((max, m) => Math.max(max, m.version), status.current);
        return { from: status.current, to, applied: status.pending };
      },
      { queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS },
    );
  } catch (error) {
    if (error instanceof WinfixStorageError) throw error;
    throw new MigrationFailedError(`migrating ${db.description} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export { LATEST_VERSION };
