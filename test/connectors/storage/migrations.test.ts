import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  DataDirLockedError,
  LATEST_VERSION,
  MIGRATIONS,
  MigrationFailedError,
  migrate,
  openExecutor,
  openStorage,
  PgliteExecutor,
  SchemaOutdatedError,
  SchemaTooNewError,
  type SqlExecutor,
  schemaStatus,
} from '../../../connectors/storage';
import { BACKENDS, createTestDatabase, type TestDatabase } from './test-databases';

for (const backend of BACKENDS)
  describe(`migrations [${backend}]`, () => {
    let database: TestDatabase;
    const open: SqlExecutor[] = [];
    const executor = async () => {
      const db = await openExecutor(database.options);
      open.push(db);
      return db;
    };

    beforeEach(async () => {
      database = await createTestDatabase(backend);
    });
    afterEach(async () => {
      for (const db of open.splice(0)) await db.close();
      await database.drop();
    });

    it('applies every migration to an empty database, then nothing', async () => {
      const db = await executor();
      assert.deepEqual(await schemaStatus(db), {
        current: 0,
        latest: LATEST_VERSION,
        applied: [],
        pending: MIGRATIONS,
      });
      const first = await migrate(db);
      assert.equal(first.from, 0);
      assert.equal(first.to, LATEST_VERSION);
      assert.deepEqual(
        first.applied.map((m) => m.version),
        MIGRATIONS.map((m) => m.version),
      );
      const again = await migrate(db);
      assert.deepEqual(again.applied, []);
      const status = await schemaStatus(db);
      assert.equal(status.current, LATEST_VERSION);
      assert.deepEqual(status.pending, []);
      assert.equal(status.applied[0]?.name, 'initial schema');
    });

    it('refuses a schema newer than the code, with a winfix_ code', async () => {
      const db = await executor();
      await migrate(db);
      await db.query(`INSERT INTO schema_version (version, name) VALUES ($1, 'from the future')`, [
        LATEST_VERSION + 1,
      ]);
      await assert.rejects(
        migrate(db),
        (e: unknown) => e instanceof SchemaTooNewError && e.code === 'winfix_storage_schema_too_new',
      );
      for (const db of open.splice(0)) await db.close();
      await assert.rejects(openStorage(database.options), SchemaTooNewError);
      await assert.rejects(openStorage({ ...database.options, migrate: false }), SchemaTooNewError);
    });

    it('refuses an outdated schema when start-up migration is off', async () => {
      await assert.rejects(
        openStorage({ ...database.options, migrate: false }),
        (e: unknown) => e instanceof SchemaOutdatedError && /winfix db migrate/.test(e.message),
      );
    });

    it('rolls a failing migration back completely', async () => {
      const db = await executor();
      const broken = [
        ...MIGRATIONS,
        {
          version: LATEST_VERSION + 1,
          name: 'broken',
          sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
        },
      ];
      await assert.rejects(
        migrate(db, broken),
        (e: unknown) => e instanceof MigrationFailedError && e.code === 'winfix_storage_migration_failed',
      );
      assert.equal((await schemaStatus(db)).current, 0, 'not even the good migrations stay');
      const table = await db.query<{ found: boolean }>(
        `SELECT to_regclass('half_done') IS NOT NULL AS found`,
      );
      assert.equal(table.rows[0]?.found, false);
    });

    if (backend === 'postgres')
      it('lets processes starting together migrate once (advisory lock)', async () => {
        const dbs = await Promise.all([executor(), executor(), executor()]);
        const results = await Promise.all(dbs.map((db) => migrate(db)));
        assert.equal(results.filter((r) => r.applied.length > 0).length, 1);
        assert.equal((await schemaStatus(dbs[0] as SqlExecutor)).current, LATEST_VERSION);
      });

    if (backend === 'pglite')
      it("keeps a second process out of the folder, and takes over a dead one's lock", async () => {
        const dir = database.options.dataDir as string;
        const db = await executor();
        await assert.rejects(
          PgliteExecutor.open(dir),
          (e: unknown) => e instanceof DataDirLockedError && /in use by process/.test(e.message),
        );
        await db.close();
        open.splice(0);
        writeFileSync(
          path.join(dir, 'winfix.lock'),
          JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }),
        );
        const again = await executor();
        assert.equal((await again.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one, 1);
      });
  });
