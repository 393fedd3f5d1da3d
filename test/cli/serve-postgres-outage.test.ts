/**
 * PostgreSQL restarted mid-conversation, as `winfix serve` sees it: the server reaches PostgreSQL
 * through a TCP proxy on loopback (its own schema), and the proxy cuts every connection and refuses new
 * ones for a moment (the real server is never touched). Teams over HTTP with the fake Bot Connector.
 * The turn during the outage gets the apology in the user's language (HTTP 200, never a 500), /readyz
 * says 503 with the database check failed, nothing said before is lost, and once the proxy is back the
 * next turn carries on from where the conversation was, in the same process.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { startServe } from '../helpers/serve';
import { TcpProxy } from '../helpers/tcp-proxy';
import { cardOf, cardText, TeamsUser } from '../helpers/teams-user';

const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';
/** The localized apology for a turn that failed (bot/i18n's turn.failed). */
const apology = (language: string) =>
  (
    JSON.parse(readFileSync(path.join(__dirname, '../../bot/i18n', `${language}.json`), 'utf8')) as Record<
      string,
      string
    >
  )['turn.failed'];

interface Ready {
  status: number;
  body: {
    status: string;
    code?: string;
    checks?: Record<string, { ok: boolean; code?: string; backend?: string; current?: number }>;
  };
}

async function readyz(url: string): Promise<Ready> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Ready['body'] };
}

/** The text of the latest card the user sees (a card moves on in place, so it may not be the last post). */
const lastText = (user: TeamsUser) => {
  const activity = user
    .sent()
    .map((s) => s.activity)
    .filter((a) => cardOf(a))
    .at(-1);
  return activity ? cardText(cardOf(activity)) : '';
};

describe('winfix serve: PostgreSQL restarted mid-conversation (Teams over HTTP)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let proxy: TcpProxy;
  let channel: FakeBotConnector;
  let server: Awaited<ReturnType<typeof startServe>> | null = null;

  before(async () => {
    db = await createTestDatabase('postgres');
    proxy = await TcpProxy.start('127.0.0.1', 5432);
    channel = new FakeBotConnector();
    await channel.start();
    const search = encodeURIComponent(`-c search_path=${db.options.schema}`);
    server = await startServe({
      ...db.env,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test?options=${search}`,
    });
  });

  after(async () => {
    if (server) await server.stop();
    await channel.stop();
    await proxy.stop();
    await db.drop();
  });

  it('the turn during the outage is apologised for in each language; /readyz 503; back: the conversations go on where they were', async () => {
    const running = server;
    assert.ok(running);
    const users = {
      en: new TeamsUser(channel, running.url, 'a:outage-en', { locale: 'en-US', userId: '29:en' }),
      ja: new TeamsUser(channel, running.url, 'a:outage-ja', { locale: 'ja-JP', userId: '29:ja' }),
      ru: new TeamsUser(channel, running.url, 'a:outage-ru', { locale: 'ru-RU', userId: '29:ru' }),
    };
    // A control conversation that never sees the outage: what the third step looks like.
    const control = new TeamsUser(channel, running.url, 'a:outage-control', { userId: '29:control' });
    for (const user of [...Object.values(users), control]) {
      assert.equal((await user.say(MESSAGE)).status, 200);
      assert.equal((await user.press("Didn't help")).status, 200);
      assert.match(lastText(user), /Step 2 of/);
    }
    assert.equal((await control.press("Didn't help")).status, 200);
    const thirdStep = lastText(control);
    assert.match(thirdStep, /Step 3 of/);

    const before = await readyz(running.url);
    assert.equal(before.status, 200);
    assert.equal(before.body.checks?.database?.ok, true);
    assert.equal(before.body.checks?.database?.backend, 'postgres');
    assert.equal(before.body.checks?.migrations?.ok, true);

    // PostgreSQL "restarts": every connection is cut, new ones are refused.
    await proxy.outage();
    const cards = new Map<string, string>();
    for (const [language, user] of Object.entries(users)) {
      const sentBefore = user.sent().length;
      const press = await user.press("Didn't help");
      assert.equal(press.status, 200, `${language}: an answer, not an error status (${press.body})`);
      cards.set(language, press.activityId);
      const replies = user.sent().slice(sentBefore);
      assert.equal(replies.length, 1, `${language}: one reply`);
      const expected = apology(language);
      assert.ok(expected, `${language}: turn.failed exists`);
      assert.equal(
        String(replies[0]?.activity.text),
        expected,
        `${language}: the apology in the user's language`,
      );
    }
    const away = await readyz(running.url);
    assert.equal(away.status, 503);
    assert.equal(away.body.status, 'unready');
    assert.equal(away.body.code, 'winfix_database_unreachable');
    assert.equal(away.body.checks?.database?.ok, false);
    assert.equal(away.body.checks?.migrations?.ok, false);

    // Back. The same button pressed again (the press that failed did not count) reaches step 3.
    await proxy.restore();
    for (const [language, user] of Object.entries(users)) {
      const press = await user.press("Didn't help");
      assert.equal(press.status, 200);
      assert.equal(press.activityId, cards.get(language), `${language}: the card from before the outage`);
      assert.match(lastText(user), /Step 3 of/, `${language}: the conversation goes on where it was`);
    }
    // The same plan as the conversation that never saw the outage.
    assert.equal(lastText(users.en), thirdStep);
    const back = await readyz(running.url);
    assert.equal(back.status, 200);
    assert.equal(back.body.checks?.database?.ok, true);

    // The process never went down: it stops cleanly, and the outage is in its log as warnings/errors.
    const log = running.log.join('\n');
    assert.match(log, /the bot failed on a turn in a:outage-en/);
    assert.equal(await running.stop(), 0);
    server = null;
    assert.deepEqual(channel.problems, []);
  });
});

describe('winfix serve: /readyz names the database checks (PGlite)', function () {
  // PGlite's start-up takes many seconds on a busy machine.
  this.timeout(120_000);
  it('200 with database and migrations ok, by name', async () => {
    const db = await createTestDatabase('pglite');
    const server = await startServe(db.env);
    try {
      const ready = await readyz(server.url);
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'ready');
      assert.equal(ready.body.checks?.database?.ok, true);
      assert.equal(ready.body.checks?.database?.backend, 'pglite');
      assert.equal(ready.body.checks?.migrations?.ok, true);
    } finally {
      assert.equal(await server.stop(), 0);
      await db.drop();
    }
  });
});
