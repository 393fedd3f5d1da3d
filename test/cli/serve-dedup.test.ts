/**
 * Two `winfix serve` instances on one PostgreSQL schema, as behind a load balancer: a delivery that
 * reaches both (Slack's retry landing on the other instance, the Bot Framework posting an activity
 * again) is answered once. The comparison is with the same message delivered once, in the same run.
 */
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { FakeSlackApi, type PostedMessage } from '../helpers/fake-slack-api';
import { startServe } from '../helpers/serve';
import {
  buttonPress,
  buttonsOf,
  directMessage,
  eventPost,
  postToSlackEndpoint,
  SIGNING_SECRET,
} from '../helpers/slack-requests';
import { TeamsUser } from '../helpers/teams-user';

const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

describe('winfix serve: two instances on one PostgreSQL answer a duplicate delivery once', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let slackApi: FakeSlackApi;
  let channel: FakeBotConnector;
  let servers: Awaited<ReturnType<typeof startServe>>[] = [];

  before(async () => {
    db = await createTestDatabase('postgres');
    slackApi = new FakeSlackApi();
    await slackApi.start();
    channel = new FakeBotConnector();
    await channel.start();
    const env = {
      ...db.env,
      SLACK_BOT_TOKEN: 'xoxb-test-dedup',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApi.url,
    };
    // One after the other: the second finds the schema migrated.
    servers = [await startServe(env), await startServe(env)];
  });

  after(async () => {
    for (const server of servers) await server.stop();
    await slackApi.stop();
    await channel.stop();
    await db.drop();
    assert.deepEqual(slackApi.problems, []);
    assert.deepEqual(channel.problems, []);
  });

  /** Stops both instances: each waits for the work it took, so every reply has been sent by then. */
  async function stopAll(): Promise<void> {
    for (const server of servers.splice(0)) assert.equal(await server.stop(), 0);
  }

  it('answers a Slack event and a button press delivered to both instances once, and a Teams activity posted to both once', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const slackUrl = (s: typeof a) => `${s.url}/slack/events`;

    // The same message, delivered once: what one answer looks like.
    const once = eventPost({ eventId: 'Ev-once', event: directMessage('U0USER1', 'D0ONCE', MESSAGE) });
    assert.equal((await postToSlackEndpoint(slackUrl(a), once)).status, 200);
    // Delivered to both at the same moment, then retried on each (Slack's X-Slack-Retry-Num).
    const twice = eventPost({ eventId: 'Ev-twice', event: directMessage('U0USER2', 'D0TWICE', MESSAGE) });
    const acks = await Promise.all([
      postToSlackEndpoint(slackUrl(a), twice),
      postToSlackEndpoint(slackUrl(b), twice),
    ]);
    assert.deepEqual(
      acks.map((r) => r.status),
      [200, 200],
    );
    const retry = { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };
    for (const s of [a, b]) assert.equal((await postToSlackEndpoint(slackUrl(s), twice, retry)).status, 200);

    // A button press on the step card: once on the first conversation, to both instances on the other.
    const card = async (channelId: string) => {
      await waitUntil(() => slackApi.messages.some((m) => m.channel === channelId && hasButton(m)));
      return slackApi.messages.filter((m) => m.channel === channelId && hasButton(m)).at(-1) as PostedMessage;
    };
    const pressOnce = buttonPress(await card('D0ONCE'), "Didn't help", 'U0USER1');
    assert.equal((await postToSlackEndpoint(slackUrl(b), pressOnce)).status, 200);
    const pressTwice = buttonPress(await card('D0TWICE'), "Didn't help", 'U0USER2');
    const pressed = await Promise.all([
      postToSlackEndpoint(slackUrl(a), pressTwice),
      postToSlackEndpoint(slackUrl(b), pressTwice),
    ]);
    assert.deepEqual(
      pressed.map((r) => r.status),
      [200, 200],
    );

    // Teams: the same activity (same id) posted to both instances at once, and once more to each.
    const single = new TeamsUser(channel, a.url, 'a:dedup-once');
    assert.equal((await single.say(MESSAGE)).status, 200);
    const twiceUser = new TeamsUser(channel, a.url, 'a:dedup-twice');
    const activity = twiceUser.activity({ text: MESSAGE, textFormat: 'plain' });
    const teamsOn = (s: typeof a) => new TeamsUser(channel, s.url, 'a:dedup-twice');
    const posted = await Promise.all([teamsOn(a).post(activity), teamsOn(b).post(activity)]);
    assert.deepEqual(
      posted.map((r) => r.status),
      [200, 200],
    );
    for (const s of [a, b]) assert.equal((await teamsOn(s).post(activity)).status, 200);

    await stopAll();

    const postedTo = (channelId: string) =>
      slackApi.effects.filter((c) => c.params.channel === channelId).map((c) => c.method);
    const answerOnce = postedTo('D0ONCE');
    assert.ok(answerOnce.includes('chat.postMessage'), 'the single delivery is answered');
    // The press moves the card on in place, in one call to its response_url (decision 0035).
    assert.ok(answerOnce.includes('response_url'), 'the single press is answered');
    assert.deepEqual(
      postedTo('D0TWICE'),
      answerOnce,
      'four deliveries of one event and two of one press, over two instances: answered like one each',
    );

    const teamsOnce = channel.sentTo('a:dedup-once');
    assert.ok(teamsOnce.length > 0, 'the single activity is answered');
    assert.equal(
      channel.sentTo('a:dedup-twice').length,
      teamsOnce.length,
      'one activity posted four times over two instances: answered like one',
    );
    const rows = await countDeliveryKeys(db);
    assert.ok(rows >= 3, `the keys are in the shared table (${rows})`);
  });
});

describe('winfix serve without a database (WINFIX_STORAGE=memory)', function () {
  this.timeout(60_000);
  it('answers a Teams activity posted twice once (duplicates remembered in memory)', async () => {
    const channel = new FakeBotConnector();
    await channel.start();
    const server = await startServe({ WINFIX_STORAGE: 'memory' });
    try {
      const once = new TeamsUser(channel, server.url, 'a:mem-once');
      assert.equal((await once.say(MESSAGE)).status, 200);
      const user = new TeamsUser(channel, server.url, 'a:mem-twice');
      const activity = user.activity({ text: MESSAGE, textFormat: 'plain' });
      for (let i = 0; i < 2; i++) assert.equal((await user.post(activity)).status, 200);
      assert.equal(await server.stop(), 0);
      assert.ok(channel.sentTo('a:mem-once').length > 0);
      assert.equal(channel.sentTo('a:mem-twice').length, channel.sentTo('a:mem-once').length);
      assert.deepEqual(channel.problems, []);
    } finally {
      await channel.stop();
    }
  });
});

const hasButton = (message: PostedMessage) => buttonsOf(message).some((b) => b.text.text === "Didn't help");

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function countDeliveryKeys(db: TestDatabase): Promise<number> {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: db.env.DATABASE_URL, max: 1 });
  try {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_keys');
    return rows[0]?.n ?? 0;
  } finally {
    await pool.end();
  }
}
