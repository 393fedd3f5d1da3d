/**
 * Two instances starting at once on one PostgreSQL: the second waits for the first one's migration
 * (an advisory lock) for as long as it takes, not the 30 s a turn's query may wait; and a statement
 * that reached the query timeout inside a transaction drops its connection instead of queuing a
 * ROLLBACK behind the statement still running on the server.
 */
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { openStorage, type Storage } from '../../../connectors/storage';
import { createTestDatabase, MemoryStorageLog, TEST_DATABASE_URL, type TestDatabase } from './test-databases';

describe('PostgreSQL: migrations outlast the query timeout, a timed-out transaction is dropped', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let holder: Pool;
  const opened: Storage[] = [];

  beforeEach(async () => {
    db = await createTestDatabase('postgres');
    holder = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await holder.end();
    await db.drop();
  });

  const open = async () => {
    const storage = await openStorage({
      ...db.options,
      log: new MemoryStorageLog(),
      // Far shorter than the other instance's migration below.
      queryTimeoutMs: 300,
    });
    opened.push(storage);
    return storage;
  };

  it('waits for another instance holding the migration lock longer than the query timeout', async () => {
    const client = await holder.connect();
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('winfix_migrate:' || $1))`, [
      db.options.schema,
    ]);
    let settled = false;
    const starting = open().finally(() => {
      settled = true;
    });
    // The other instance's migration goes on for well over the 300 ms query timeout.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(settled, false, 'still waiting for the lock, not failed');
    await client.query('COMMIT');
    client.release();
    const storage = await starting;
    const { rows } = await storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_version');
    assert.ok((rows[0]?.n ?? 0) > 0, 'migrated once the lock was free');
  });

  it('a statement past the query timeout in a transaction fails at once and its connection goes', async () => {
    const storage = await open();
    await assert.rejects(
      storage.db.transaction((tx) => tx.query('SELECT pg_sleep(5)')),
      /Query read timeout/,
    );
    // The pool is usable at once: the timed-out connection was dropped, not kept busy.
    const { rows } = await storage.db.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'));
    assert.deepEqual(rows, [{ one: 1 }]);
  });
});
