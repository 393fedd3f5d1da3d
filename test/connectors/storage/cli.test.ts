import assert from 'node:assert/strict';
import path from 'node:path';
import { parseSince } from '../../../cli/audit-command';
import { readConfig } from '../../../cli/config';
import { LATEST_VERSION, openStorage } from '../../../connectors/storage';
import { runCli } from '../../helpers/run-cli';
import { BACKENDS, createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './test-databases';

for (const backend of BACKENDS)
  describe(`winfix db and winfix audit [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.drop());

    it('db status shows pending migrations, db migrate applies them once, then status shows the rows', async () => {
      const before = await runCli(['db', 'status'], database.env);
      assert.equal(before.code, 0, before.err);
      if (backend === 'postgres')
        assert.match(before.out, /pending: {2}0001 initial schema, 0002 remote runs(, |\n)/);
      else assert.match(before.out, /version 0|no database yet/);

      const migrated = await runCli(['db', 'migrate'], database.env);
      assert.equal(migrated.code, 0, migrated.err);
      assert.match(
        migrated.out,
        new RegExp(
          `applied 0001 initial schema\napplied 0002 remote runs\n(applied .*\n)*schema is now at version ${LATEST_VERSION}\n`,
        ),
      );
      const again = await runCli(['db', 'migrate'], database.env);
      assert.match(again.out, new RegExp(`schema is up to date \\(version ${LATEST_VERSION}\\)`));

      const status = await runCli(['db', 'status'], database.env);
      assert.equal(status.code, 0, status.err);
      assert.match(
        status.out,
        new RegExp(`^backend: {2}${backend === 'pglite' ? 'PGlite in ' : 'PostgreSQL '}`, 'm'),
      );
      assert.match(
        status.out,
        new RegExp(
          `schema: {3}version ${LATEST_VERSION}, up to date\npending: {2}none\nrows:\n {2}conversations +0\n`,
        ),
      );
      const json = JSON.parse((await runCli(['db', 'status', '--json'], database.env)).out);
      assert.deepEqual(
        [json.backend, json.current, json.latest, json.rows.audit_log],
        [backend, LATEST_VERSION, LATEST_VERSION, 0],
      );
    });

    it('db status reports a schema newer than this winfix as a problem', async () => {
      const storage = await openStorage(database.options);
      await storage.db.query(
        `INSERT INTO schema_version (version, name) VALUES (${LATEST_VERSION + 1}, 'future')`,
      );
      await storage.close();
      const status = await runCli(['db', 'status'], database.env);
      assert.equal(status.code, 1);
      assert.match(status.out, /newer than this winfix/);
      const audit = await runCli(['audit'], database.env);
      assert.equal(audit.code, 1, 'commands that use the database refuse it');
      assert.match(
        audit.err,
        new RegExp(
          `winfix: the database schema is at version ${LATEST_VERSION + 1}, newer than this winfix knows \\(${LATEST_VERSION}\\)`,
        ),
      );
    });
  });

for (const backend of BACKENDS)
  describe(`winfix audit [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
      const clock = { now: () => new Date(Date.now() - 3 * 60 * 60 * 1000) };
      const storage = await openStorage({ ...database.options, clock });
      await storage.enrollments.enroll({
        platform: 'teams',
        userId: '29:aiko',
        computerName: 'PC-0042',
        workerGroup: 'hrw-pc-0042',
        by: 'teams:29:tech',
      });
      await storage.close();
      const recent = await openStorage(database.options);
      await recent.audit.append({
        actor: 'slack:U9',
        action: 'approval.approved',
        subject: 'a-1',
        data: { stepId: 'sfc' },
      });
      await recent.close();
    });
    after(() => database.drop());

    it('prints entries oldest first, filtered by --since and --user', async () => {
      const all = await runCli(['audit'], database.env);
      assert.equal(all.code, 0, all.err);
      const lines = all.out.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(
        lines[0] ?? '',
        /^\S+Z {2}teams:29:tech {2}enrollment\.added {2}PC-0042 user=teams:29:aiko \{"workerGroup":"hrw-pc-0042"\}$/,
      );
      assert.match(lines[1] ?? '', /slack:U9 {2}approval\.approved {2}a-1 \{"stepId":"sfc"\}$/);
      assert.match((await runCli(['audit', '--since', '2h'], database.env)).out, /^\S+ {2}slack:U9 .*\n$/);
      assert.match(
        (await runCli(['audit', '--user', '29:aiko'], database.env)).out,
        /^\S+ {2}teams:29:tech .*\n$/,
      );
      assert.match((await runCli(['audit', '--user', 'nobody'], database.env)).out, /\(no audit entries\)/);
      const json = JSON.parse((await runCli(['audit', '--json', '--limit', '1'], database.env)).out);
      assert.deepEqual(
        json.map((e: { action: string }) => e.action),
        ['approval.approved'],
      );
    });

    it('refuses a --since it cannot read', async () => {
      const bad = await runCli(['audit', '--since', 'yesterday'], database.env);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--since takes an ISO date\/time or 30m, 2h, 7d, 1w/);
    });
  });

describe('parseSince', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  it('reads 30m, 2h, 7d, 1w and ISO dates', () => {
    assert.equal(parseSince('30m', now)?.toISOString(), '2026-03-02T11:30:00.000Z');
    assert.equal(parseSince('2h', now)?.toISOString(), '2026-03-02T10:00:00.000Z');
    assert.equal(parseSince('7d', now)?.toISOString(), '2026-02-23T12:00:00.000Z');
    assert.equal(parseSince('1w', now)?.toISOString(), '2026-02-23T12:00:00.000Z');
    assert.equal(parseSince('2026-03-01', now)?.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(parseSince('2026-03-01T08:00:00+09:00', now)?.toISOString(), '2026-02-28T23:00:00.000Z');
    assert.equal(parseSince('2h ago', now), null);
    assert.equal(parseSince('2026-13-45', now), null);
  });
});

describe('winfix db with WINFIX_STORAGE=memory', () => {
  it('says there is no database', async () => {
    const run = await runCli(['db', 'status'], { WINFIX_STORAGE: 'memory' });
    assert.equal(run.code, 2);
    assert.match(run.err, /keeps no database/);
  });
});

describe('storage configuration', () => {
  it('uses PGlite in ./data by default, PostgreSQL when DATABASE_URL is set, memory on request', () => {
    assert.deepEqual(readConfig({}).storage, {
      kind: 'pglite',
      dataDir: path.resolve('data'),
      databaseUrl: null,
      cardRetentionDays: 90,
    });
    assert.deepEqual(readConfig({ WINFIX_DATA_DIR: '/var/lib/winfix', DATABASE_URL: ' ' }).storage, {
      kind: 'pglite',
      dataDir: '/var/lib/winfix',
      databaseUrl: null,
      cardRetentionDays: 90,
    });
    assert.equal(readConfig({ DATABASE_URL: TEST_DATABASE_URL }).storage.kind, 'postgres');
    assert.equal(
      readConfig({ DATABASE_URL: TEST_DATABASE_URL, WINFIX_STORAGE: 'memory' }).storage.kind,
      'memory',
    );
    assert.throws(
      () => readConfig({ WINFIX_STORAGE: 'sqlite' }),
      /WINFIX_STORAGE must be pglite, postgres or memory/,
    );
    assert.throws(() => readConfig({ WINFIX_STORAGE: 'postgres' }), /needs DATABASE_URL/);
  });
});
