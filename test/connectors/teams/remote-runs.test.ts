/**
 * Remote runs over HTTP through `winfix serve` and the Teams connector: the employee and the
 * technicians talk to the bot as Teams would (fake Bot Connector channel, every activity and Adaptive
 * Card checked), the job runs in a fake Azure Resource Manager checked against job.json, and the
 * conversations, approvals and jobs are kept in PGlite across a restart of the server.
 */
import assert from 'node:assert/strict';
import { FakeArm } from '../../helpers/fake-arm';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { azureEnv, healthOutput } from '../../helpers/remote-fixtures';
import { runCli } from '../../helpers/run-cli';
import { startServe } from '../../helpers/serve';
import { cardOf, cardText, submitActions, TeamsUser } from '../../helpers/teams-user';
import { FakeCredential, StepClock } from '../azure-automation/harness';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases';

const AIKO_AAD = 'a1a1a1a1-0000-4000-8000-000000000001';
const KENJI_AAD = 'b2b2b2b2-0000-4000-8000-000000000002';
const TECHS = '19:technicians@thread.tacv2';
const HEALTH_OUTPUT = healthOutput({ freeDiskGb: 80, clockSkewMinutes: 0.2, disabledServices: ['bits'] });

describe('remote runs through Teams over HTTP (winfix serve, PGlite, fake ARM)', () => {
  let channel: FakeBotConnector;
  let fake: FakeArm;
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    channel = new FakeBotConnector();
    await channel.start();
    fake = await FakeArm.start();
    db = await createTestDatabase('pglite');
    env = {
      ...db.env,
      ...azureEnv(fake),
      WINFIX_TEAMS_TECHNICIANS: KENJI_AAD,
      WINFIX_TEAMS_TECHNICIAN_CONVERSATION: TECHS,
    };
    const enrolled = await runCli(['enroll', 'add', `teams:${AIKO_AAD}`, 'PC-0042', 'hrw-pc-0042'], env);
    assert.equal(enrolled.code, 0, enrolled.err);
  });

  afterEach(async () => {
    await channel.stop();
    await fake.close();
    await db.drop();
    assert.deepEqual(channel.problems, [], 'every activity and card matched the Bot Framework spec');
    assert.deepEqual(fake.problems, [], 'every ARM request matched job.json');
  });

  const serve = () =>
    startServe(env, {
      remote: {
        executorDeps: {
          credential: new FakeCredential(new StepClock()),
          sleep: async () => {},
          requestTimeoutMs: 1000,
        },
        roundMs: 20,
        pollIntervalMs: 20,
      },
    });

  const people = (url: string) => ({
    aiko: new TeamsUser(channel, url, 'a:aiko-personal', {
      userId: '29:aiko',
      name: 'Aiko Tanaka',
      aadObjectId: AIKO_AAD,
    }),
    kenji: new TeamsUser(channel, url, TECHS, {
      userId: '29:kenji',
      name: 'Kenji Sato',
      aadObjectId: KENJI_AAD,
      conversationType: 'channel',
    }),
    mallory: new TeamsUser(channel, url, TECHS, {
      userId: '29:mallory',
      name: 'Mallory',
      conversationType: 'channel',
    }),
  });

  const approvalCards = () =>
    channel.sentTo(TECHS).filter((c) => /Remote run requested/.test(cardText(cardOf(c.activity as never))));

  /** The approval card as it looks now (after in-place updates). */
  const currentApproval = () => {
    const posted = approvalCards()[0];
    assert.ok(posted, 'an approval card was posted to the technicians');
    const id = posted.id as string;
    return { id, card: cardOf((channel.activities.get(id)?.activity ?? posted.activity) as never) };
  };

  /** Everything a user was sent: texts, and what cards show. */
  const said = (user: TeamsUser) =>
    user.sent().map((s) => [s.activity.text ?? '', cardText(cardOf(s.activity))].join('\n'));

  async function askForDiagnostics(aiko: TeamsUser) {
    await aiko.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await aiko.press("Didn't help");
    await aiko.press("Didn't help");
    assert.equal((await aiko.press('Run it for me')).status, 200);
  }

  it('approve → job on the PC → result: card updated in place, output to technicians, plan changed for the user', async () => {
    const server = await serve();
    try {
      const { aiko, kenji, mallory } = people(server.url);
      await kenji.say('hello'); // the bot learns the technicians' channel (its reference is stored)
      fake.script('*', { output: HEALTH_OUTPUT });
      await askForDiagnostics(aiko);
      assert.match(said(aiko).join('\n'), /asked a technician to approve running this on PC-0042/i);
      const { card } = currentApproval();
      const text = cardText(card);
      assert.match(text, /Requested by: Aiko Tanaka/);
      assert.match(text, /Runbook: Get-UpdateHealth/);
      assert.match(text, /Parameters: -EventDays 30/);
      assert.deepEqual(
        submitActions(card).map((a) => a.title),
        ['Approve', 'Reject'],
      );

      // Someone who is not a technician presses Approve: refused, nothing changes.
      await mallory.press('Approve');
      assert.match(String(channel.sentTo(TECHS).at(-1)?.activity?.text), /Only technicians/);
      assert.equal(fake.requests.length, 0);

      await kenji.press('Approve');
      await channel.waitFor(
        () =>
          channel
            .sentTo(TECHS)
            .some((c) =>
              /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(String(c.activity?.text)),
            ),
        10_000,
        'the job output in the technicians channel',
      );
      const decided = currentApproval();
      const updates = channel.updatesOf(decided.id);
      assert.ok(updates.length >= 2, 'the card was updated in place as the request moved on');
      assert.match(cardText(decided.card), /Approved by Kenji Sato at/);
      assert.match(cardText(decided.card), /Job: Completed — ok/);
      assert.deepEqual(submitActions(decided.card), [], 'nothing left to press once the job finished');
      assert.equal(fake.creates([...fake.jobs.keys()][0] ?? ''), 1);

      await channel.waitFor(
        () => said(aiko).some((t) => /I changed the plan/.test(t)),
        10_000,
        'the changed plan told to the user',
      );
      const told = said(aiko);
      assert.ok(told.some((t) => /Kenji Sato approved it/.test(t)));
      assert.ok(told.some((t) => /Diagnostics found: .*disabled services: bits/.test(t)));
    } finally {
      await server.stop();
    }
  });

  it('the server stops while the job runs; after a restart polling resumes and exactly one job exists', async () => {
    let server = await serve();
    const { kenji, aiko } = people(server.url);
    let jobName = '';
    try {
      await kenji.say('hello');
      await askForDiagnostics(aiko);
      await kenji.press('Approve');
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 10_000;
        const look = () => {
          jobName = [...fake.jobs.keys()][0] ?? '';
          if (jobName) {
            fake.script(jobName, {
              statuses: [
                'New',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Completed',
              ],
              output: HEALTH_OUTPUT,
            });
            resolve();
          } else if (Date.now() > deadline) reject(new Error('no job was created'));
          else setTimeout(look, 10);
        };
        look();
      });
    } finally {
      await server.stop();
    }
    server = await serve();
    try {
      await channel.waitFor(
        () => channel.sentTo(TECHS).some((c) => /\(Completed\)/.test(String(c.activity?.text))),
        10_000,
        'the result after the restart',
      );
      assert.equal(fake.creates(jobName), 1, 'exactly one job was created');
      assert.equal(fake.jobs.size, 1);
      await channel.waitFor(
        () => said(aiko).some((t) => /Diagnostics on PC-0042 are done/.test(t)),
        10_000,
        'the user told after the restart',
      );
    } finally {
      await server.stop();
    }
  });
});
