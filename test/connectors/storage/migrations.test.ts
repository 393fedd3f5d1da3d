import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  approvalDigest,
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
  Storage,
  schemaStatus,
} from '../../../connectors/storage';
import { BACKENDS, createTestDatabase, TestClock, type TestDatabase } from './test-databases';

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

    it('applies 0002 (remote runs) on top of version 1 with rows in it', async () => {
      const db = await executor();
      await migrate(
        db,
        MIGRATIONS.filter((m) => m.version === 1),
      );
      const insert = (id: string, step: string, computer: string, status: string, minute: number) =>
        db.query(
          `INSERT INTO approvals (id, conversation_key, requester, step_id, runbook, parameters, computer_name,
                                  worker_group, status, requested_at, expires_at)
           VALUES ($1, 'teams:c1', 'teams:29:aiko', $2, 'Invoke-Fix', '{"B":"2","A":"1"}', $3, 'hrw-1', $4,
                   $5, '2026-03-02T13:00:00Z')`,
          [id, step, computer, status, new Date(Date.UTC(2026, 2, 2, 9, minute))],
        );
      // Two requests open for one computer (allowed at version 1), one decided, one for another computer.
      await insert('a-old', 'sfc-scan', 'PC-1', 'pending', 0);
      await insert('a-new', 'dism-restore', 'pc-1', 'pending', 5);
      await insert('a-done', 'chkdsk', 'PC-1', 'approved', 1);
      await insert('a-pc2', 'wu-reset', 'PC-2', 'pending', 2);
      await db.query(
        `INSERT INTO jobs (id, approval_id, conversation_key, runbook, parameters, worker_group, status,
                           created_at, updated_at, next_poll_at)
         VALUES ('j-1', 'a-done', 'teams:c1', 'Invoke-Fix', '{}', 'hrw-1', 'Running', now(), now(), now())`,
      );

      const result = await migrate(db);
      assert.deepEqual(
        [result.from, result.to, result.applied.map((m) => m.version)],
        [1, LATEST_VERSION, MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version)],
      );
      const clock = new TestClock(new Date('2026-03-02T09:10:00Z'));
      const storage = new Storage(db, { clock });
      const old = await storage.approvals.get('a-old');
      assert.deepEqual([old?.status, old?.digest, old?.context], ['pending', null, {}]);
      const superseded = await storage.approvals.get('a-new');
      assert.equal(superseded?.status, 'expired', 'the later duplicate lapses, the first stays open');
      assert.deepEqual(
        (await storage.audit.list()).map((e) => [e.action, e.subject, e.data.reason]),
        [['approval.expired', 'a-new', 'superseded']],
      );
      assert.equal((await storage.approvals.get('a-done'))?.status, 'approved');
      // Migration 5: rows from before count as told (the sweep leaves them alone).
      assert.deepEqual(
        await Promise.all(
          ['a-old', 'a-new', 'a-done'].map(async (id) => (await storage.approvals.get(id))?.announced),
        ),
        ['requested', 'expired', 'approved'],
      );
      assert.deepEqual(await storage.approvals.toAnnounce(new Date('2100-01-01T00:00:00Z')), []);
      const job = await storage.jobs.get('j-1');
      assert.deepEqual([job?.status, job?.startedAt, job?.outputDigest], ['Running', null, null]);

      // The new rules hold for old rows: one open request per computer, digests checked against the row.
      const again = await storage.approvals.request({
        conversationKey: 'teams:c2',
        requester: 'teams:29:aiko',
        stepId: 'other-step',
        runbook: 'Invoke-Fix',
        parameters: {},
        computerName: 'PC-1',
        workerGroup: 'hrw-1',
      });
      assert.deepEqual([again.created, again.approval.id], [false, 'a-old']);
      assert.equal(
        (await storage.approvals.decide('a-pc2', { approve: true, by: 'teams:29:t', digest: 'x' })).ok,
        false,
      );
      const decided = await storage.approvals.decide('a-pc2', {
        approve: true,
        by: 'teams:29:t',
        digest: approvalDigest({
          runbook: 'Invoke-Fix',
          parameters: { A: '1', B: '2' },
          computerName: 'PC-2',
          workerGroup: 'hrw-1',
        }),
      });
      assert.equal(decided.ok, true);
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
