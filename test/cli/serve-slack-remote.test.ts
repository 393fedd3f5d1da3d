/**
 * Remote runs end to end through `winfix serve` with Slack in HTTP mode: the employee and the
 * technicians talk to the bot as Slack would (signed Events API callbacks and block_actions payloads
 * posted to /slack/events; the bot answers through a fake Slack Web API on loopback that checks every
 * call against Slack's method reference and Block Kit), the real coordinator keeps the approvals and
 * jobs in PGlite, and the job runs in a fake Azure Resource Manager checked against job.json.
 */
import assert from 'node:assert/strict';
import { FakeCredential, StepClock } from '../connectors/azure-automation/harness';
import { textOf } from '../connectors/slack/slack-harness';
import { manifestScopes } from '../connectors/slack/slack-manifest';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeArm } from '../helpers/fake-arm';
import { FakeSlackApi, type PostedMessage } from '../helpers/fake-slack-api';
import { runCli } from '../helpers/run-cli';
import { startServe } from '../helpers/serve';
import {
  buttonPress,
  buttonsOf,
  directMessage,
  eventPost,
  postToSlackEndpoint,
  SIGNING_SECRET,
  type SlackPost,
} from '../helpers/slack-requests';

const AIKO = 'U0000AIKO1';
const KENJI = 'U0000KENJ1';
const MALLORY = 'U0000MALL1';
const DM = 'D0000AIKO1';
const TECHS = 'C0000TECHS';
const HEALTH_OUTPUT = `${JSON.stringify({
  runbook: 'Get-UpdateHealth',
  computer: 'PC-0042',
  ok: true,
  changed: false,
  rebootRequired: false,
  actions: [],
  errors: [],
  freeDiskGb: 80,
  clockSkewMinutes: 0.2,
  disabledServices: ['bits'],
  pendingReboot: false,
  thirdPartyAv: false,
})}\n`;

let events = 0;

/** Waits (polling, with a deadline) until `ready` holds. */
async function waitUntil(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const hasButtons = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'actions'));
const hasInput = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'input'));
const all = (m: PostedMessage) => `${m.text}\n${textOf(m)}`;

/** Error and warning lines of the server's log. */
const problemsIn = (log: string[]) => log.filter((l) => /"level":"(error|warn)"/.test(l));

/**
 * A press as Slack sends it from a message with input blocks: `state.values` holds every input of the
 * message by block_id and action_id (`{ type: 'plain_text_input', value }`, value null when empty).
 */
function pressWithState(
  message: PostedMessage,
  label: string,
  user: string,
  typed: string | null,
): SlackPost {
  const post = buttonPress(message, label, user);
  const payload = JSON.parse(new URLSearchParams(post.body).get('payload') ?? '{}');
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of message.blocks) {
    if (block.type !== 'input') continue;
    const element = block.element as { type: string; action_id: string };
    values[String(block.block_id)] = { [element.action_id]: { type: element.type, value: typed } };
  }
  payload.state = { values };
  payload.channel = { id: message.channel, name: 'it-technicians' };
  return { ...post, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

describe('winfix serve: remote runs through Slack over HTTP (PGlite, fake ARM, fake Slack Web API)', function () {
  this.timeout(60_000);
  let api: FakeSlackApi;
  let fake: FakeArm;
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    api = new FakeSlackApi({
      scopes: manifestScopes(),
      users: [
        { id: AIKO, name: 'aiko', real_name: 'Aiko Tanaka', locale: 'en-US' },
        { id: KENJI, name: 'kenji', real_name: 'Kenji Sato', locale: 'en-US' },
        { id: MALLORY, name: 'mallory', real_name: 'Mallory Mole', locale: 'en-US' },
      ],
    });
    await api.start();
    fake = await FakeArm.start();
    db = await createTestDatabase('pglite');
    env = {
      ...db.env,
      WINFIX_EXECUTOR: 'azure',
      AZURE_SUBSCRIPTION_ID: fake.subscriptionId,
      AZURE_RESOURCE_GROUP: fake.resourceGroup,
      AZURE_AUTOMATION_ACCOUNT: fake.automationAccount,
      AZURE_ARM_ENDPOINT: fake.url,
      AZURE_TENANT_ID: 'e5e5e5e5-0000-4000-8000-000000000005',
      AZURE_CLIENT_ID: 'f6f6f6f6-0000-4000-8000-000000000006',
      AZURE_CLIENT_SECRET: 'not-a-real-secret',
      SLACK_BOT_TOKEN: 'xoxb-test-remote',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
      SLACK_TECHNICIANS: KENJI,
      SLACK_TECHNICIAN_CHANNEL: TECHS,
    };
    const enrolled = await runCli(['enroll', 'add', `slack:${AIKO}`, 'PC-0042', 'hrw-pc-0042'], env);
    assert.equal(enrolled.code, 0, enrolled.err);
  });

  afterEach(async () => {
    await api.stop();
    await fake.close();
    await db.drop();
    assert.deepEqual(api.problems, [], 'every Web API call had the documented shape');
    assert.deepEqual(fake.problems, [], 'every ARM request matched job.json');
  });

  const serve = (extra: NodeJS.ProcessEnv = {}) =>
    startServe(
      { ...env, ...extra },
      {
        remote: {
          executorDeps: {
            credential: new FakeCredential(new StepClock()),
            sleep: async () => {},
            requestTimeoutMs: 1000,
          },
          roundMs: 20,
          pollIntervalMs: 20,
        },
      },
    );

  const posted = (channel: string, threadTs?: string) =>
    api.messages.filter((m) => m.channel === channel && (threadTs === undefined || m.thread_ts === threadTs));
  /** Everything the employee was shown in their DM (cards as they look now). */
  const toAiko = () => posted(DM).map(all);
  const ephemeralsTo = (user: string) =>
    api.ephemerals.filter((e) => e.params.user === user).map((e) => String(e.params.text));
  const latestCard = (channel: string) => posted(channel).filter(hasButtons).at(-1);
  /** What the latest card with buttons shows ('' while there is none, e.g. between an update and a post). */
  const latestCardText = (channel: string) => {
    const card = latestCard(channel);
    return card ? textOf(card) : '';
  };

  async function send(url: string, post: SlackPost): Promise<void> {
    const ack = await postToSlackEndpoint(`${url}/slack/events`, post);
    assert.equal(ack.status, 200, ack.body);
  }

  async function press(url: string, message: PostedMessage | undefined, label: string, user: string) {
    assert.ok(message, `a message with "${label}"`);
    await send(url, buttonPress(message, label, user));
  }

  /**
   * The employee's conversation up to "Run it for me" on the diagnostics step (a code the KB does not
   * describe: the generic Windows Update plan's fourth step, check-disk-space, runs Get-UpdateHealth
   * with no parameters); returns the approval card in the technicians' channel.
   */
  async function requestRun(url: string): Promise<PostedMessage> {
    events += 1;
    await send(
      url,
      eventPost({
        eventId: `Ev-remote-${events}`,
        event: directMessage(AIKO, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2'),
      }),
    );
    for (const step of [2, 3, 4]) {
      await waitUntil(() => hasButtons(latestCard(DM)), 'a step card in the DM');
      await press(url, latestCard(DM), "Didn't help", AIKO);
      await waitUntil(() => new RegExp(`Step ${step} of`).test(latestCardText(DM)), `step ${step} in the DM`);
    }
    const step = latestCard(DM);
    assert.ok(
      step && buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
      `the step card offers the run: ${step ? textOf(step) : 'none'}`,
    );
    await press(url, step, 'Run it for me', AIKO);
    await waitUntil(() => posted(TECHS).length > 0, 'the approval card in the technicians’ channel');
    await waitUntil(
      () => toAiko().some((t) => /asked a technician to approve running this on PC-0042/.test(t)),
      'the employee told the request is with a technician',
    );
    const cards = posted(TECHS);
    assert.equal(cards.length, 1, 'one approval card');
    return cards[0] as PostedMessage;
  }

  /** The approval card's update calls (chat.update in the technicians' channel), oldest first. */
  const cardUpdates = () => api.of('chat.update').filter((c) => c.params.channel === TECHS);
  const snapshot = (m: PostedMessage): PostedMessage => structuredClone(m);

  /** The audit log as `winfix audit --json` prints it (read after the server stopped). */
  async function audit(): Promise<
    { actor: string; action: string; subject: string | null; data: Record<string, unknown> }[]
  > {
    const run = await runCli(['audit', '--json'], env);
    assert.equal(run.code, 0, run.err);
    return JSON.parse(run.out);
  }

  it('approve → the job runs on the PC → the card is updated in place, the output goes to its thread, the employee hears every stage and the changed plan', async () => {
    const server = await serve();
    try {
      fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
      const card = await requestRun(server.url);
      const pending = snapshot(card);
      assert.equal(pending.thread_ts, undefined, 'the card starts its own thread');
      assert.match(pending.text, /^Remote run requested: Get-UpdateHealth on PC-0042/);
      assert.match(pending.text, /Requested by: Aiko Tanaka/);
      assert.match(pending.text, /PC \(worker group\): PC-0042 \(hrw-pc-0042\)/);
      assert.match(pending.text, /Parameters: none/);
      assert.deepEqual(
        buttonsOf(pending).map((b) => b.text.text),
        ['Approve', 'Reject'],
      );
      assert.ok(hasInput(pending), 'a reason field while pending');
      assert.equal(fake.requests.length, 0, 'nothing runs before a decision');
      const toAikoBefore = posted(DM).length;

      await send(server.url, pressWithState(pending, 'Approve', KENJI, null));
      await waitUntil(
        () =>
          posted(TECHS, card.ts).some((m) =>
            /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(m.text),
          ),
        'the job output in the card’s thread',
      );
      await waitUntil(
        () => toAiko().some((t) => /I changed the plan/.test(t)),
        'the changed plan told to the employee',
      );

      // The presser alone was answered.
      await waitUntil(() => ephemeralsTo(KENJI).length > 0, 'the answer to the technician');
      assert.deepEqual(ephemeralsTo(KENJI), ['Approved. The job starts on PC-0042 shortly.']);
      assert.equal(api.ephemerals.length, 1);

      // Exactly one job, created once, as requested on the card.
      assert.equal(fake.jobs.size, 1);
      const [job] = [...fake.jobs.values()];
      assert.ok(job);
      assert.equal(fake.creates(job.name), 1, 'exactly one create');
      assert.equal(job.runbook, 'Get-UpdateHealth');
      assert.equal(job.runOn, 'hrw-pc-0042');
      assert.deepEqual(job.parameters, {});

      // The card: one message, updated in place (same ts) as the request moved on, nothing left to press.
      const top = posted(TECHS).filter((m) => m.thread_ts === undefined);
      assert.equal(top.length, 1, 'the card was never posted again');
      const updates = cardUpdates();
      assert.ok(updates.length >= 3, `approved, running and finished (${updates.length} updates)`);
      assert.ok(
        updates.every((u) => u.params.ts === card.ts),
        'every update is of the card itself',
      );
      const queued = updates.find((u) => /\nJob: Queued/.test(String(u.params.text)));
      assert.ok(queued, 'the card showed the queued job once approved');
      assert.match(String(queued.params.text), /Approved by Kenji Sato at /);
      const approved = JSON.parse(String(queued.params.blocks));
      assert.deepEqual(
        buttonsOf({ ...card, blocks: approved }).map((b) => b.text.text),
        ['Stop the job'],
        'while the job is under way it can be stopped',
      );
      const done = posted(TECHS)[0] as PostedMessage;
      assert.match(textOf(done), /Approved by Kenji Sato at/);
      assert.match(textOf(done), /Job: Completed — ok/);
      assert.ok(!hasButtons(done) && !hasInput(done), 'no buttons and no reason field once the job finished');

      // The full output, verbatim, in the card's thread.
      const thread = posted(TECHS, card.ts);
      assert.equal(thread.length, 1);
      assert.match(textOf(thread[0]), /"disabledServices":\["bits"\]/);

      // The employee: approved, running, finished, what diagnostics found, the changed plan — in that order.
      const told = posted(DM).slice(toAikoBefore).map(all);
      const at = (pattern: RegExp) => {
        const i = told.findIndex((t) => pattern.test(t));
        assert.ok(i >= 0, `the employee was told ${pattern}: ${told.join('\n---\n')}`);
        return i;
      };
      const order = [
        at(/Kenji Sato approved it\. It will start on PC-0042 shortly/),
        at(/It is running on PC-0042 now/),
        at(/Diagnostics on PC-0042 are done/),
        at(/Diagnostics found: .*disabled services: bits/),
        at(/I changed the plan/),
      ];
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        'told in the order it happened',
      );
      assert.ok(
        posted(DM).every((m) => m.thread_ts === undefined),
        'everything in the DM itself',
      );
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });

  it('reject with a typed reason: the card shows who and why, the employee is told the reason, nothing runs', async () => {
    const server = await serve();
    try {
      const card = await requestRun(server.url);
      const toAikoBefore = posted(DM).length;
      await send(server.url, pressWithState(snapshot(card), 'Reject', KENJI, 'I will call Aiko first'));
      await waitUntil(() => ephemeralsTo(KENJI).length > 0, 'the answer to the technician');
      await waitUntil(
        () => toAiko().some((t) => /declined the remote run/.test(t)),
        'the employee told of the rejection',
      );
      assert.deepEqual(ephemeralsTo(KENJI), ['Rejected. The requester has been told.']);

      const updates = cardUpdates();
      assert.equal(updates.length, 1, 'the card was updated once');
      assert.equal(updates[0]?.params.ts, card.ts, 'in place');
      assert.equal(posted(TECHS).length, 1, 'and never posted again');
      const decided = posted(TECHS)[0] as PostedMessage;
      assert.match(
        textOf(decided),
        /Rejected by Kenji Sato at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(reason: I will call Aiko first\)/,
      );
      assert.ok(!hasButtons(decided) && !hasInput(decided), 'no buttons, no reason field once decided');

      const told = posted(DM).slice(toAikoBefore).map(all);
      assert.match(
        told[0] ?? '',
        /Rejected\* {2}Kenji Sato declined the remote run\. Reason: I will call Aiko first/,
      );
      await waitUntil(() => /Step 4 of 8/.test(latestCardText(DM)), 'the step card back in the DM');
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    assert.equal(fake.requests.length, 0, 'nothing was sent to Azure');
    assert.equal(fake.jobs.size, 0);
    const decisions = (await audit()).filter((e) => e.action === 'approval.rejected');
    assert.deepEqual(
      decisions.map((e) => [e.actor, e.data.note]),
      [[`slack:${KENJI}`, 'I will call Aiko first']],
      'the rejection and its reason are audited',
    );
  });

  it('WINFIX_RATE_RUNS_PER_HOUR: a request over the hourly limit is answered in the DM and reaches neither the technicians nor Azure', async () => {
    const server = await serve({ WINFIX_RATE_RUNS_PER_HOUR: '1' });
    try {
      const card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Reject', KENJI, 'not now'));
      await waitUntil(() => /Step 4 of 8/.test(latestCardText(DM)), 'the step card back in the DM');
      const step = latestCard(DM);
      assert.ok(
        step && buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
        'the run is offered again',
      );
      await press(server.url, step, 'Run it for me', AIKO);
      // A text answer to a press is shown to the presser alone (an ephemeral message in the DM).
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the employee told of the hourly limit');
      assert.match(
        ephemeralsTo(AIKO).join('\n'),
        /^You have asked for 1 remote runs within the last hour, which is the most allowed\. Please ask again in \d+ minutes, or follow the steps on the card yourself\.$/,
      );
      assert.equal(
        posted(TECHS).filter((m) => m.thread_ts === undefined).length,
        1,
        'no second approval card',
      );
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(fake.requests.length, 0, 'nothing was sent to Azure');
    const requests = (await audit()).filter((e) => e.action === 'approval.requested');
    assert.equal(requests.length, 1, 'one request audited');
  });

  it('presses by a non-technician and by the requester are refused to them alone; the card and Azure are untouched until a technician decides', async () => {
    const server = await serve();
    try {
      fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
      const card = await requestRun(server.url);
      const pending = snapshot(card);
      const toAikoBefore = posted(DM).length;

      await send(server.url, pressWithState(pending, 'Approve', MALLORY, null));
      await waitUntil(() => ephemeralsTo(MALLORY).length > 0, 'the answer to the non-technician');
      await send(server.url, pressWithState(pending, 'Reject', AIKO, 'never mind'));
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the answer to the requester');
      const only = 'Only technicians can approve or reject remote runs.';
      assert.deepEqual(ephemeralsTo(MALLORY), [only]);
      assert.deepEqual(ephemeralsTo(AIKO), [only]);
      assert.ok(
        api.ephemerals.every((e) => e.params.channel === TECHS),
        'answered in the technicians’ channel',
      );
      assert.equal(cardUpdates().length, 0, 'the card did not change');
      assert.deepEqual(
        buttonsOf(posted(TECHS)[0] as PostedMessage).map((b) => b.text.text),
        ['Approve', 'Reject'],
      );
      assert.equal(posted(DM).length, toAikoBefore, 'the employee was told nothing');
      assert.equal(fake.requests.length, 0, 'nothing was sent to Azure');

      // The request is still open: a technician's press decides it, and the job runs once.
      await send(server.url, pressWithState(pending, 'Approve', KENJI, null));
      await waitUntil(
        () => posted(TECHS, card.ts).some((m) => /\(Completed\)/.test(m.text)),
        'the job output in the card’s thread',
      );
      assert.equal(fake.jobs.size, 1);
      assert.equal(fake.creates([...fake.jobs.keys()][0] ?? ''), 1);
      assert.deepEqual(ephemeralsTo(KENJI), ['Approved. The job starts on PC-0042 shortly.']);
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    const refusals = (await audit()).filter((e) => e.action === 'approval.refused');
    assert.deepEqual(
      refusals.map((e) => [e.actor, e.data.reason]),
      [
        [`slack:${MALLORY}`, 'not-technician'],
        [`slack:${AIKO}`, 'not-technician'],
      ],
    );
  });

  it('a technician cannot decide their own request', async () => {
    const server = await serve({ SLACK_TECHNICIANS: `${KENJI},${AIKO}` });
    try {
      const card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Approve', AIKO, null));
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the answer to the requester');
      assert.deepEqual(ephemeralsTo(AIKO), [
        'You cannot decide your own request; another technician has to.',
      ]);
      assert.equal(cardUpdates().length, 0, 'the card did not change');
      assert.ok(hasButtons(posted(TECHS)[0]));
      assert.equal(fake.requests.length, 0, 'nothing was sent to Azure');
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });

  it('the server stops while the job runs: after a restart the same card is updated and exactly one job exists', async () => {
    let server = await serve();
    let card: PostedMessage;
    try {
      // The job runs until told otherwise (the last status sticks).
      fake.script('*', { statuses: ['New', 'Running'], output: HEALTH_OUTPUT });
      card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Approve', KENJI, null));
      await waitUntil(
        () => toAiko().some((t) => /It is running on PC-0042 now/.test(t)),
        'the employee told the job runs',
      );
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    assert.equal(posted(TECHS, card.ts).length, 0, 'no output before the restart');
    const beforeRestart = cardUpdates().length;
    server = await serve();
    try {
      const [jobName] = [...fake.jobs.keys()];
      assert.ok(jobName);
      fake.script(jobName, { statuses: ['Running', 'Completed'], output: HEALTH_OUTPUT });
      await waitUntil(
        () => posted(TECHS, card.ts).some((m) => /\(Completed\)/.test(m.text)),
        'the job output in the card’s thread after the restart',
      );
      await waitUntil(
        () => toAiko().some((t) => /Diagnostics on PC-0042 are done/.test(t)),
        'the employee told after the restart',
      );
      assert.equal(fake.jobs.size, 1);
      assert.equal(fake.creates(jobName), 1, 'exactly one create');
      const after = cardUpdates().slice(beforeRestart);
      assert.ok(after.length >= 1, 'the card was updated after the restart');
      assert.ok(
        after.every((u) => u.params.ts === card.ts),
        'the card’s place came back from storage',
      );
      assert.equal(posted(TECHS).filter((m) => m.thread_ts === undefined).length, 1);
      const done = posted(TECHS)[0] as PostedMessage;
      assert.match(textOf(done), /Approved by Kenji Sato at .*\n.*Job: Completed — ok/s);
      assert.ok(!hasButtons(done));
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });
  for (const error of ['not_in_channel', 'channel_not_found'] as const) {
    it(`the employee's DM refusing messages (${error}): the technicians read them in the card's thread, and it is audited`, async function () {
      this.timeout(60_000);
      const server = await serve();
      try {
        fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
        const card = await requestRun(server.url);
        const toAikoBefore = posted(DM).length;
        // The DM is gone, or the bot may no longer post in it.
        if (error === 'not_in_channel') api.notInChannels.add(DM);
        else api.missingChannels.add(DM);
        await send(server.url, pressWithState(snapshot(card), 'Approve', KENJI, null));
        const notices = () =>
          posted(TECHS, card.ts)
            .map((m) => m.text)
            .filter((t) => /Aiko Tanaka could not be told in their chat/.test(t));
        await waitUntil(
          () => notices().some((t) => /Diagnostics on PC-0042/.test(t)),
          "the result she could not receive, in the card's thread",
          30_000,
        );
        assert.ok(
          notices().some((t) => /Kenji Sato approved it/.test(t)),
          notices().join(' | '),
        );
        for (const notice of notices()) assert.match(notice, new RegExp(error));
        assert.equal(posted(DM).length, toAikoBefore, 'nothing was posted to the DM');
      } finally {
        await server.stop();
      }
      const failed = (await audit()).filter((e) => e.action === 'notify.failed');
      assert.deepEqual(
        failed.map((e) => [e.actor, e.data.platform, e.data.stage, e.data.code]),
        [
          ['system', 'slack', 'approved', 'winfix_slack_delivery'],
          ['system', 'slack', 'started', 'winfix_slack_delivery'],
          ['system', 'slack', 'finished', 'winfix_slack_delivery'],
        ],
      );
      for (const entry of failed) assert.match(String(entry.data.detail), new RegExp(error));
    });
  }
});
