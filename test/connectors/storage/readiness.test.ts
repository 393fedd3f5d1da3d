/**
 * The database's readiness checks (connectors/storage/readiness.ts) on both backends, and the pool's
 * behaviour when PostgreSQL goes away: through a TCP proxy on loopback that cuts every connection and
 * refuses new ones (what a restart looks like to a client), or accepts and never answers.
 */
import assert from 'node:assert/strict';
import {
  databaseCheck,
  LATEST_VERSION,
  migrationsCheck,
  openStorage,
  type Storage,
  storageReadiness,
} from '../../../connectors/storage';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { createTestDatabase, MemoryStorageLog, onEachBackend, type TestDatabase } from './test-databases';

describe('storage readiness', function () {
  // Opening PGlite takes seconds on a busy machine.
  this.timeout(60_000);
  onEachBackend('readiness checks', (fixture) => {
    it('a migrated database answers both checks ok, by name', async () => {
      const checks = storageReadiness(fixture.storage.db);
      assert.deepEqual(
        checks.map((c) => c.name),
        ['database', 'migrations'],
      );
      const [database, migrations] = await Promise.all(checks.map((c) => c.run()));
      assert.equal(database?.ok, true);
      assert.equal(database?.backend, fixture.backend);
      assert.deepEqual(migrations, { ok: true, current: LATEST_VERSION, latest: LATEST_VERSION });
    });

    it('a schema behind the code (a migration not applied) or ahead of it is not ready, with the versions', async () => {
      const db = fixture.storage.db;
      const latest = await db.query<{ version: number; name: string }>(
        'SELECT version, name FROM schema_version WHERE version = $1',
        [LATEST_VERSION],
      );
      const row = latest.rows[0];
      assert.ok(row);
      await db.query('DELETE FROM schema_version WHERE version = $1', [LATEST_VERSION]);
      try {
        const behind = await migrationsCheck(db).run();
        assert.equal(behind.ok, false);
        assert.equal(behind.code, 'winfix_schema_outdated');
        assert.equal(behind.current, LATEST_VERSION - 1);
        assert.match(String(behind.reason), /1 migration\(s\) pending .*winfix db migrate/);
      } finally {
        await db.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [row.version, row.name]);
      }
      await db.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [
        LATEST_VERSION + 1,
        'from newer code',
      ]);
      try {
        const ahead = await migrationsCheck(db).run();
        assert.equal(ahead.ok, false);
        assert.equal(ahead.code, 'winfix_schema_too_new');
        assert.match(String(ahead.reason), /newer than this code's/);
      } finally {
        await db.query('DELETE FROM schema_version WHERE version = $1', [LATEST_VERSION + 1]);
      }
      assert.equal((await migrationsCheck(db).run()).ok, true);
    });

    it('a closed database fails both checks without throwing', async () => {
      // A database of its own: PGlite allows one open handle per folder.
      const own = await createTestDatabase(fixture.backend);
      const other = await openStorage({ ...own.options, clock: fixture.clock });
      await other.close();
      await own.drop();
      for (const check of storageReadiness(other.db)) {
        const outcome = await check.run();
        assert.equal(outcome.ok, false, check.name);
        assert.equal(outcome.code, 'winfix_database_unreachable');
      }
    });
  });
});

describe('PostgreSQL going away and coming back (through a TCP proxy)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let proxy: TcpProxy;
  let storage: Storage;
  const log = new MemoryStorageLog();

  before(async () => {
    db = await createTestDatabase('postgres');
    proxy = await TcpProxy.start('127.0.0.1', 5432);
    storage = await openStorage({
      databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      schema: db.options.schema,
      log,
    });
  });
  after(async () => {
    await storage?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('while away: both checks fail fast (refused), idle connections are dropped with a warning, no crash; back: ready again', async () => {
    // Several connections in the pool, idle.
    await Promise.all(Array.from({ length: 3 }, () => storage.db.query('SELECT pg_sleep(0.05)')));
    await proxy.outage();
    await waitUntil(() => log.of('warn').some((l) => /PostgreSQL connection dropped/.test(l)));
    const started = performance.now();
    const away = await Promise.all(storageReadiness(storage.db).map((c) => c.run()));
    assert.ok(performance.now() - started < 2000, 'a refused connection fails at once');
    assert.deepEqual(
      away.map((o) => [o.ok, o.code]),
      [
        [false, 'winfix_database_unreachable'],
        [false, 'winfix_database_unreachable'],
      ],
    );
    await proxy.restore();
    const back = await Promise.all(storageReadiness(storage.db).map((c) => c.run()));
    assert.deepEqual(
      back.map((o) => o.ok),
      [true, true],
    );
  });

  it('a connection cut inside a transaction fails that transaction only; the next one works', async () => {
    await storage.db.exec('CREATE TABLE IF NOT EXISTS proxy_probe (n integer)');
    const failed = storage.db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO proxy_probe VALUES (1)');
        // The server goes away between two statements, while the client is checked out of the pool.
        await proxy.outage();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.query('INSERT INTO proxy_probe VALUES (2)');
      })
      .then(
        () => 'committed',
        (error: Error) => error.message,
      );
    assert.match(await failed, /terminated|not queryable|ECONNRESET|closed/i);
    await proxy.restore();
    await storage.db.transaction((tx) => tx.query('INSERT INTO proxy_probe VALUES (3)'));
    const { rows } = await storage.db.query<{ n: number }>('SELECT n FROM proxy_probe ORDER BY n');
    assert.deepEqual(
      rows.map((r) => r.n),
      [3],
      'nothing of the cut transaction was committed',
    );
  });

  it('a server that accepts and never answers: the database check gives up after its timeout', async () => {
    await storage.db.query('SELECT 1');
    const dropped = log.of('warn').length;
    await proxy.outage();
    // The pool's idle connection is seen dropped before the server "comes back" hanging.
    await waitUntil(() => log.of('warn').length > dropped);
    proxy.stalled = true;
    await proxy.restore();
    try {
      const started = performance.now();
      const outcome = await databaseCheck(storage.db, 300).run();
      const took = performance.now() - started;
      assert.equal(outcome.ok, false);
      assert.match(String(outcome.reason), /no answer within 300 ms/);
      assert.ok(took < 2000, `gave up after ${took.toFixed(0)} ms`);
    } finally {
      proxy.stalled = false;
      await proxy.outage();
      await proxy.restore();
    }
    // The stalled connection attempts time out (connectTimeoutMs) and the pool recovers.
    await waitUntil(async () => (await databaseCheck(storage.db).run()).ok, 15_000);
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
