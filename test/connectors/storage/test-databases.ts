/**
 * Isolated databases for storage tests, on both backends. PostgreSQL (127.0.0.1:5432, trust auth,
 * database `test`): one schema `winfix_test_<random>` per database, dropped afterwards. PGlite: a copy
 * of a freshly initialised folder (initdb takes seconds; a copy a fraction of one) in a temp dir.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { Clock } from '../../../bot';
import {
  type Backend,
  openStorage,
  PgliteExecutor,
  type SqlExecutor,
  Storage,
  type StorageLog,
  type StorageOptions,
} from '../../../connectors/storage';

export const BACKENDS: readonly Backend[] = ['pglite', 'postgres'];
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  backend: Backend;
  /** Options that open this database. */
  options: StorageOptions;
  /** Environment for a spawned `winfix` using this database. */
  env: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

let template: Promise<string> | null = null;

/** An empty, initialised PGlite folder to copy (made once per test process). */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'winfix-pglite-template-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await (await PgliteExecutor.open(dir)).close();
    return dir;
  })();
  return template;
}

export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'winfix-pglite-test-'));
    cpSync(await pgliteTemplate(), dir, { recursive: true });
    return {
      backend,
      options: { dataDir: dir },
      env: { ...process.env, WINFIX_STORAGE: 'pglite', WINFIX_DATA_DIR: dir, DATABASE_URL: '' },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `winfix_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    backend,
    options: { databaseUrl: TEST_DATABASE_URL, schema },
    env: {
      ...process.env,
      WINFIX_STORAGE: 'postgres',
      DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    },
    async drop() {
      const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private at = new Date('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export class MemoryStorageLog implements StorageLog {
  readonly lines: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  of(level: 'info' | 'warn' | 'error'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

/** The database of one `describe` block, opened, with a hand-moved clock and a log kept in memory. */
export class BackendFixture {
  database!: TestDatabase;
  storage!: Storage;
  readonly clock = new TestClock();
  readonly log = new MemoryStorageLog();
  private readonly others: Storage[] = [];

  constructor(readonly backend: Backend) {}

  async setUp(): Promise<void> {
    this.database = await createTestDatabase(this.backend);
    this.storage = await openStorage({ ...this.database.options, clock: this.clock, log: this.log });
  }

  /**
   * Another Storage on the same database, as a second bot process has it: on PostgreSQL its own pool;
   * on PGlite (one process per folder) new repositories over the same handle.
   */
  async second(): Promise<Storage> {
    const options = { clock: this.clock, log: this.log };
    const other =
      this.backend === 'postgres'
        ? await openStorage({ ...this.database.options, ...options })
        : new Storage(unclosable(this.storage.db), options);
    this.others.push(other);
    return other;
  }

  async tearDown(): Promise<void> {
    for (const other of this.others) await other.close();
    await this.storage?.close();
    await this.database?.drop();
  }
}

function unclosable(db: SqlExecutor): SqlExecutor {
  return {
    backend: db.backend,
    description: db.description,
    query: <Row>(sql: string, params?: unknown[]) => db.query<Row>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn, options) => db.transaction(fn, options),
    close: async () => undefined,
  };
}

/** Declares `body` once per backend, each with its own database for the block. */
export function onEachBackend(title: string, body: (fixture: BackendFixture) => void): void {
  for (const backend of BACKENDS)
    describe(`${title} [${backend}]`, () => {
      const fixture = new BackendFixture(backend);
      before(() => fixture.setUp());
      after(() => fixture.tearDown());
      body(fixture);
    });
}
