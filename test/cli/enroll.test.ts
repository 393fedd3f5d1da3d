import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { type CliRun, runCli } from '../helpers/run-cli';

const AIKO = 'teams:2b7e1516-28ae-4d2a-a6f7-15880c3c4f3c';
const BORIS = 'slack:U0123ABCD';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'winfix-enroll-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const lines = (text: string) => text.trimEnd().split('\n');

async function auditActions(env: NodeJS.ProcessEnv): Promise<string[]> {
  const run = await runCli(['audit', '--json'], env);
  assert.equal(run.code, 0, run.err);
  return (
    JSON.parse(run.out) as { action: string; subject: string; targetUser: string; actor: string }[]
  ).map((e) => `${e.actor} ${e.action} ${e.subject} ${e.targetUser}`);
}

describe('winfix enroll add, remove, list [pglite]', () => {
  let database: TestDatabase;
  let enroll: (...args: string[]) => Promise<CliRun>;
  before(async () => {
    database = await createTestDatabase('pglite');
    enroll = (...args) => runCli(['enroll', ...args], database.env);
  });
  after(() => database.drop());

  it('adds PCs, lists them as a table and as JSON, and removes one, auditing each change', async () => {
    const added = await enroll('add', AIKO, 'PC-0042', 'hrw-pc-0042', '--by', 'teams:tech');
    assert.equal(added.code, 0, added.err);
    assert.equal(added.out, `added ${AIKO} PC-0042 (worker group hrw-pc-0042)\n`);
    assert.equal((await enroll('add', 'Boris@Example.com', 'LAPTOP-7', 'hrw-laptop-7', '--by', 'x')).code, 0);
    const again = await enroll('add', AIKO, 'PC-0042', 'hrw-pc-0042', '--by', 'someone');
    assert.equal(again.code, 0);
    assert.match(again.out, /^unchanged: PC-0042 is already enrolled/);

    const table = await enroll('list');
    assert.equal(table.code, 0, table.err);
    const rows = lines(table.out);
    assert.equal(rows.length, 3);
    assert.match(rows[0] ?? '', /^IDENTITY {36}COMPUTER {2}WORKER GROUP {2}ENROLLED BY {2}ENROLLED AT$/);
    assert.match(rows[1] ?? '', /^boris@example\.com {27}LAPTOP-7 {2}hrw-laptop-7 {2}x {12}\d{4}-\d\d-\d\dT/);
    assert.match(rows[2] ?? '', new RegExp(`^${AIKO} {2}PC-0042 {3}hrw-pc-0042 {3}teams:tech {3}\\d`));

    const json = JSON.parse((await enroll('list', '--user', 'boris@example.com', '--json')).out);
    assert.deepEqual(
      json.map((e: Record<string, string>) => [
        e.identity,
        e.platform,
        e.userId,
        e.computerName,
        e.workerGroup,
      ]),
      [['boris@example.com', 'email', 'boris@example.com', 'LAPTOP-7', 'hrw-laptop-7']],
    );

    const removed = await enroll('remove', 'boris@example.com', 'laptop-7', '--by', 'teams:tech');
    assert.equal(removed.code, 0, removed.err);
    assert.equal(removed.out, 'removed LAPTOP-7 from boris@example.com\n');
    const missing = await enroll('remove', 'boris@example.com', 'LAPTOP-7');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /LAPTOP-7 is not enrolled to boris@example\.com/);
    assert.equal((await enroll('list', '--user', 'boris@example.com')).out, '(no enrollments)\n');

    assert.deepEqual(await auditActions(database.env), [
      `teams:tech enrollment.added PC-0042 ${AIKO}`,
      'x enrollment.added LAPTOP-7 email:boris@example.com',
      'teams:tech enrollment.removed LAPTOP-7 email:boris@example.com',
    ]);
  });

  it('refuses a PC enrolled to someone else unless --force, which moves it', async () => {
    const refused = await enroll('add', BORIS, 'pc-0042.corp.example.com', 'hrw-boris', '--by', 't');
    assert.equal(refused.code, 1);
    assert.equal(
      refused.err,
      `winfix enroll: pc-0042.corp.example.com is already enrolled to ${AIKO} as PC-0042\n` +
        `winfix enroll: nothing changed; --force moves pc-0042.corp.example.com to ${BORIS}\n`,
    );
    assert.deepEqual(JSON.parse((await enroll('list', '--user', BORIS, '--json')).out), []);

    const forced = await enroll('add', BORIS, 'PC-0042', 'hrw-boris', '--force', '--by', 't');
    assert.equal(forced.code, 0, forced.err);
    assert.equal(
      forced.out,
      `removed PC-0042 from ${AIKO}\nadded ${BORIS} PC-0042 (worker group hrw-boris)\n`,
    );
    const all = JSON.parse((await enroll('list', '--json')).out) as { identity: string }[];
    assert.deepEqual(
      all.map((e) => e.identity),
      [BORIS],
    );
    assert.deepEqual((await auditActions(database.env)).slice(-2), [
      `t enrollment.removed PC-0042 ${AIKO}`,
      `t enrollment.added PC-0042 ${BORIS}`,
    ]);
  });

  it('refuses a worker group that another PC uses, even with --force', async () => {
    const run = await enroll('add', AIKO, 'PC-0043', 'HRW-BORIS', '--force');
    assert.equal(run.code, 1);
    assert.match(
      run.err,
      /worker group hrw-boris is already used by PC-0042 \(slack:U0123ABCD\); one group per PC/,
    );
    assert.deepEqual(JSON.parse((await enroll('list', '--user', AIKO, '--json')).out), []);
  });

  it('answers bad usage and bad names with the usage or the rule, exit 2, before touching the database', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^usage: winfix enroll add IDENTITY COMPUTER WORKER_GROUP/],
      [['frobnicate'], /unknown sub-command "frobnicate"\nusage:/],
      [['add', AIKO, 'PC-1'], /winfix enroll add takes 3 argument\(s\), got 2\nusage:/],
      [['list', '--force'], /winfix enroll list takes no --force\nusage:/],
      [['add', AIKO, 'PC-1', 'g', '--by', ' '], /--by needs a name/],
      [
        ['add', 'bob', 'PC-1', 'g'],
        /^winfix enroll: unknown user "bob": expected teams:<AAD object id>, slack:<user id> or an e-mail address\n$/,
      ],
      [
        ['add', AIKO, 'WORKSTATION-00042', 'g'],
        /computer name "WORKSTATION-00042" is longer than 15 characters/,
      ],
      [['add', AIKO, 'PC-1', '.g'], /worker group ".g" must start with a letter or a digit/],
      [['list', '--user', 'teams:29:abc'], /Teams user "teams:29:abc": expected teams:<AAD object id>/],
      [['import', path.join(dir, 'missing.csv')], /missing\.csv: cannot read it: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const run = await enroll(...args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.err, message, args.join(' '));
      assert.equal(run.out, '');
    }
  });

  it('refuses to run with WINFIX_STORAGE=memory', async () => {
    const run = await runCli(['enroll', 'list'], { WINFIX_STORAGE: 'memory' });
    assert.equal(run.code, 2);
    assert.equal(run.err, 'winfix enroll: WINFIX_STORAGE=memory keeps no enrollments\n');
  });
});

/** A file with one of each problem; lines 3, 9 and 12 are good on their own. */
const MIXED = [
  '\uFEFF# enrollments, March',
  'Worker_Group,identity,computer,notes',
  `hrw-pc-0001,${AIKO.toUpperCase().replace('TEAMS', 'teams')},PC-0001,"Aiko's desktop, 3rd floor"`,
  '',
  'hrw-pc-0002,bob,PC-0002,',
  'hrw-pc-0003,carol@example.com,WORKSTATION-00003,',
  'hrw pc,carol@example.com,PC-0004,',
  'hrw-pc-0005,carol@example.com,PC-0005,"says ""hi"""',
  'hrw-pc-0005,carol@example.com,PC-0005,again',
  'hrw-pc-0006,dave@example.com,PC-0006,',
  'hrw-pc-0006b,erin@example.com,pc-0006,',
  'hrw-pc-0007,frank@example.com,PC-0007,',
  'hrw-pc-0007,frank@example.com,PC-0008,',
  'hrw-taken,erin@example.com,PC-0009,',
  'hrw-pc-0010,erin@example.com,PC-0042,',
  ',,,',
  'hrw-pc-0011,slack:U0123ABCD,PC-0011',
  '',
].join('\r\n');

const MIXED_PROBLEMS = [
  'winfix enroll: ignoring column "notes"',
  'line 5: unknown user "bob": expected teams:<AAD object id>, slack:<user id> or an e-mail address',
  'line 6: computer name "WORKSTATION-00003" is longer than 15 characters',
  'line 7: worker group "hrw pc" has " ": only letters, digits, "-", "_" and "." are allowed',
  'line 9: duplicate of line 8',
  'line 11: pc-0006 is already listed on line 10 as PC-0006 for dave@example.com; neither line is applied',
  'line 13: worker group hrw-pc-0007 is already listed on line 12 for PC-0007 (one group per PC); neither line is applied',
  'line 14: worker group hrw-taken is already used by PC-0100 (slack:W0000TAKEN); one group per PC',
  'line 15: PC-0042 is already enrolled to slack:W0000TAKEN',
  'line 17: expected 4 fields as in the header, found 3',
];

for (const backend of BACKENDS)
  describe(`winfix enroll import [${backend}]`, () => {
    let database: TestDatabase;
    let enroll: (...args: string[]) => Promise<CliRun>;
    before(async () => {
      database = await createTestDatabase(backend);
      enroll = (...args) => runCli(['enroll', ...args], database.env);
      for (const computer of ['PC-0042', 'PC-0100'])
        assert.equal(
          (await enroll('add', 'slack:W0000TAKEN', computer, computer === 'PC-0042' ? 'hrw-42' : 'hrw-taken'))
            .code,
          0,
        );
    });
    after(() => database.drop());

    it('--dry-run reports every problem with its line and changes nothing', async () => {
      const file = csvFile(`mixed-${backend}.csv`, MIXED);
      const before = await auditActions(database.env);
      const run = await enroll('import', file, '--dry-run');
      assert.equal(run.code, 1);
      assert.deepEqual(lines(run.err), MIXED_PROBLEMS);
      assert.deepEqual(lines(run.out), [
        `line 3: would add ${AIKO} PC-0001 (worker group hrw-pc-0001)`,
        'line 8: would add carol@example.com PC-0005 (worker group hrw-pc-0005)',
        'dry run: would import 2, unchanged 0, problems 11; nothing was changed',
      ]);
      assert.deepEqual(await auditActions(database.env), before);
      assert.equal(JSON.parse((await enroll('list', '--json')).out).length, 2);
    });

    it('applies the good lines, reports the rest, and exits 1', async () => {
      const file = csvFile(`mixed-${backend}.csv`, MIXED);
      const run = await enroll('import', file, '--by', 'cli:tech');
      assert.equal(run.code, 1);
      assert.deepEqual(lines(run.err), MIXED_PROBLEMS);
      assert.deepEqual(lines(run.out), [
        `line 3: added ${AIKO} PC-0001 (worker group hrw-pc-0001)`,
        'line 8: added carol@example.com PC-0005 (worker group hrw-pc-0005)',
        'imported 2, unchanged 0, problems 11',
      ]);
      const all = JSON.parse((await enroll('list', '--json')).out) as Record<string, string>[];
      assert.deepEqual(
        all.map((e) => `${e.identity} ${e.computerName} ${e.workerGroup}`),
        [
          'carol@example.com PC-0005 hrw-pc-0005',
          'slack:W0000TAKEN PC-0042 hrw-42',
          'slack:W0000TAKEN PC-0100 hrw-taken',
          `${AIKO} PC-0001 hrw-pc-0001`,
        ],
      );
      assert.deepEqual((await auditActions(database.env)).slice(-2), [
        `cli:tech enrollment.added PC-0001 ${AIKO}`,
        'cli:tech enrollment.added PC-0005 email:carol@example.com',
      ]);
    });

    it('counts lines already enrolled as unchanged and changes a worker group, auditing only the change', async () => {
      const file = csvFile(
        `again-${backend}.csv`,
        `computer,worker_group,identity\nPC-0001,hrw-pc-0001,${AIKO}\nPC-0005,hrw-pc-0005-new,carol@example.com\n`,
      );
      const before = (await auditActions(database.env)).length;
      const run = await enroll('import', file, '--by', 'cli:tech');
      assert.equal(run.code, 0, run.err);
      assert.equal(run.err, '');
      assert.deepEqual(lines(run.out), [
        'line 3: changed carol@example.com PC-0005 (worker group hrw-pc-0005-new)',
        'imported 1, unchanged 1, problems 0',
      ]);
      const after = await auditActions(database.env);
      assert.deepEqual(after.slice(before), ['cli:tech enrollment.changed PC-0005 email:carol@example.com']);
    });

    it('refuses a file it cannot read as a whole, importing nothing', async () => {
      const cases: [string, RegExp][] = [
        [
          'identity,computer\nalice@example.com,PC-1\n',
          /line 1: the header must name the columns identity, computer, worker_group \(missing: worker_group/,
        ],
        [
          'identity,computer,worker_group\nalice@example.com,"PC-1,g\n',
          /line 2: the quoted field opened on line 2 is never closed/,
        ],
        ['# only a comment\n\n', /no header: the first line must be identity,computer,worker_group/],
        ['identity,computer,Identity,worker_group\n', /line 1: the header names the column "identity" twice/],
      ];
      for (const [text, message] of cases) {
        const run = await enroll('import', csvFile(`bad-${backend}.csv`, text));
        assert.equal(run.code, 2, text);
        assert.match(run.err, message);
        assert.match(run.err, /nothing imported/);
        assert.equal(run.out, '');
      }
      assert.equal(JSON.parse((await enroll('list', '--json')).out).length, 4);
    });
  });
