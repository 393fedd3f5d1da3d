/**
 * The embedded backend: PGlite (PostgreSQL compiled to WASM, no server) with its data in a folder.
 * PGlite has a single connection, so every statement and transaction here runs one after another
 * through a queue; row locks and compare-and-set SQL behave as on PostgreSQL, with no one to wait for.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { StorageClosedError, StorageUnavailableError } from './errors';
import type { Queryable, QueryResult, SqlExecutor } from './sql';

interface PgliteLike {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(db: PgliteLike): Queryable {
  return {
    async query<Row>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
      const result = await db.query<Row>(sql, params);
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

export class PgliteExecutor implements SqlExecutor {
  readonly backend = 'pglite' as const;
  readonly description: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock,
    readonly dataDir: string,
  ) {
    this.description = `PGlite in ${dataDir}`;
  }

  /** Opens (creating when new) the database in `dataDir`, and locks the folder against other processes. */
  static async open(dataDir: string): Promise<PgliteExecutor> {
    const dir = path.resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const lock = lockDataDir(dir);
    try {
      const db = await PGlite.create(dir);
      return new PgliteExecutor(db, lock, dir);
    } catch (error) {
      lock.release();
      throw new StorageUnavailableError(`cannot open PGlite in ${dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Runs `task` after everything queued before it (PGlite's one connection, one user at a time). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageClosedError(`${this.description} is closed`));
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.serial(() => wrap(this.db).query<Row>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.serial(() => wrap(this.db).exec(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serial(() => this.db.transaction((tx) => fn(wrap(tx as unknown as PgliteLike))));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.serial(async () => undefined);
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
