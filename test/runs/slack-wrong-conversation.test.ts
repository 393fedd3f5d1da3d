/**
 * Issue 14 item 5, Slack over HTTP (`winfix serve`, signed block_actions, fake Slack Web API, PGlite):
 * Approve counts only when pressed in the technicians' channel (SLACK_TECHNICIAN_CHANNEL). The same
 * card's button pressed from elsewhere (a copy of the card in a DM) is refused with a clear answer,
 * audited `wrong-conversation` with where it came from, and decides nothing.
 */
import assert from 'node:assert/strict';
import { FakeCredential, StepClock } from '../connectors/azure-automation/harness';
import { textOf } from '../connectors/slack/slack-harness';
import { manifestScopes } from '../connectors/slack/slack-manifest';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeArm } from '../helpers/fake-arm';
import { FakeSlackApi, type PostedMessage } from '../helpers/fake-slack-api';
import { azureEnv } from '../helpers/remote-fixtures';
import { runCli } from '../helpers/run-cli';
import { startServe } from '../helpers/serve';
import {
  buttonPress,
  directMessage,
  eventPost,
  postToSlackEndpoint,
  SIGNING_SECRET,
  type SlackPost,
} from '../helpers/slack-requests';

const AIKO = 'U0000AIKO1';
const KENJI = 'U0000KENJ1';
const DM = 'D0000AIKO1';
const KENJI_DM = 'D0000KENJ1';
const TECHS = 'C0000TECHS';

async function waitUntil(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("winfix serve, Slack: Approve counts only in the technicians' channel", function () {
  this.timeout(30_000);
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
      ],
    });
    await api.start();
    fake = await FakeArm.start();
    db = await createTestDatabase('pglite');
    env = {
      ...db.env,
      ...azureEnv(fake),
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
    assert.deepEqual(fake.problems, []);
  });

  const posted = (channel: string) => api.messages.filter((m) => m.channel === channel);
  const hasButtons = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'actions'));
  const latestCard = (channel: string) => posted(channel).filter(hasButtons).at(-1);
  const cardText = (channel: string) => {
    const card = latestCard(channel);
    return card ? textOf(card) : '';
  };

  async function send(url: string, post: SlackPost): Promise<void> {
    const ack = await postToSlackEndpoint(`${url}/slack/events`, post);
    assert.equal(ack.status, 200, ack.body);
  }

  it('a press from a DM is refused and audited; the same press in the channel approves', async () => {
    const server = await startServe(env, {
      remote: {
        executorDeps: { credential: new FakeCredential(new StepClock()), sleep: async () => {} },
        roundMs: 20,
        pollIntervalMs: 20,
      },
    });
    try {
      await send(
        server.url,
        eventPost({
          eventId: 'Ev-wrong-1',
          event: directMessage(AIKO, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2'),
        }),
      );
      for (const step of [2, 3, 4]) {
        await waitUntil(() => hasButtons(latestCard(DM)), 'a step card');
        await send(server.url, buttonPress(latestCard(DM) as PostedMessage, "Didn't help", AIKO));
        await waitUntil(() => new RegExp(`Step ${step} of`).test(cardText(DM)), `step ${step}`);
      }
      await send(server.url, buttonPress(latestCard(DM) as PostedMessage, 'Run it for me', AIKO));
      await waitUntil(() => posted(TECHS).length > 0, 'the approval card');
      const card = posted(TECHS)[0] as PostedMessage;

      // The card's Approve, pressed from Kenji's DM with the bot (a copy of the card there).
      await send(server.url, buttonPress({ ...card, channel: KENJI_DM }, 'Approve', KENJI));
      await waitUntil(() => api.ephemerals.length + posted(KENJI_DM).length > 0, 'the answer to Kenji');
      const answers = [
        ...api.ephemerals.map((e) => String(e.params.text)),
        ...posted(KENJI_DM).map((m) => m.text),
      ];
      assert.ok(
        answers.some((t) => /count only in the technicians' channel/.test(t)),
        answers.join('\n'),
      );
      assert.equal(
        api.of('chat.update').filter((c) => c.params.channel === TECHS).length,
        0,
        'card unchanged',
      );
      assert.equal(fake.requests.length, 0, 'nothing sent to Azure');

      await send(server.url, buttonPress(card, 'Approve', KENJI));
      await waitUntil(() => fake.jobs.size === 1, 'the job created');
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const run = await runCli(['audit', '--json'], env);
    const audit = JSON.parse(run.out) as { actor: string; action: string; data: Record<string, unknown> }[];
    const refused = audit.filter((e) => e.action === 'approval.refused');
    assert.deepEqual(
      refused.map((e) => [e.actor, e.data.reason, e.data.conversationId]),
      [[`slack:${KENJI}`, 'wrong-conversation', `T0001:${KENJI_DM}`]],
    );
    assert.equal(audit.filter((e) => e.action === 'approval.approved').length, 1);
  });
});
