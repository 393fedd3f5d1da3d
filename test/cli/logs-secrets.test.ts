/**
 * `winfix serve`'s log, captured whole, with Teams tokens and Slack signing configured: a conversation
 * in Teams and in Slack whose text carries a recognisable phrase and a pasted secret, plus the abuse a
 * public endpoint sees (forged tokens, bad signatures, malformed bodies carrying the same text). At
 * info no line holds a token, a configured secret, an Authorization header or the message text; every
 * line is JSON, and every line written while serving requests carries its request id (the Teams turn's
 * lines also the conversation id). At debug the message text is there, with the pasted secret scrubbed.
 */
import assert from 'node:assert/strict';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { fakeConnections } from '../helpers/fake-connections';
import { FakeSlackApi } from '../helpers/fake-slack-api';
import { newSigningKey, type SigningKey, signJwt } from '../helpers/jwt';
import { startServe } from '../helpers/serve';
import { directMessage, eventPost, postToSlackEndpoint } from '../helpers/slack-requests';
import { postToBot, TeamsUser } from '../helpers/teams-user';

const APP_ID = '00000000-0000-0000-0000-0000000010a5';
const APP_PASSWORD = 'teams-client-secret-Qx7rT2pLm9';
const BOT_TOKEN = 'xoxb-1111-2222-LogTestBotToken';
const SIGNING_SECRET = 'log-test-signing-secret-5b2c9e41';
const OUTBOUND_TOKEN = 'outbound-channel-token-Zk3Wq8';
/** What users write: a phrase we can look for, and a secret pasted by mistake. */
const PHRASE = 'purple elephant marmalade';
const PASTED_TOKEN = 'xoxp-9999-8888-PastedUserToken';
const TEXT = `Windows Update fails with 0x80070002 on Windows 11 23H2, ${PHRASE}, my token is ${PASTED_TOKEN}`;

interface Line {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  conversationId?: string;
  [key: string]: unknown;
}

function parse(lines: string[]): Line[] {
  return lines.map((line) => {
    let parsed: Line;
    try {
      parsed = JSON.parse(line) as Line;
    } catch {
      throw new assert.AssertionError({ message: `a log line is not JSON: ${line}` });
    }
    assert.equal(typeof parsed.level, 'string', line);
    assert.equal(typeof parsed.time, 'string', line);
    assert.equal(typeof parsed.msg, 'string', line);
    return parsed;
  });
}

describe('winfix serve logs: JSON lines with ids, no secrets, no message text at info', function () {
  this.timeout(60_000);
  let channel: FakeBotConnector;
  let slackApi: FakeSlackApi;
  let key: SigningKey;

  before(async () => {
    // One fake for the channel and the identity provider's keys.
    channel = new FakeBotConnector();
    await channel.start();
    key = newSigningKey('log-key');
    channel.jwks = { keys: [key.jwk] };
    channel.requiredToken = OUTBOUND_TOKEN;
    slackApi = new FakeSlackApi();
    await slackApi.start();
  });

  after(async () => {
    await channel.stop();
    await slackApi.stop();
    assert.deepEqual(channel.problems, []);
    assert.deepEqual(slackApi.problems, []);
  });

  const issuer = () => `${channel.baseUrl}/tenant-1/v2.0`;
  const token = () => signJwt(key, { aud: APP_ID, iss: issuer(), serviceurl: channel.serviceUrl });

  /** Starts serve, drives both platforms, stops; returns the log split at the first and last request. */
  async function converse(level: 'info' | 'debug', tag: string) {
    const server = await startServe(
      {
        WINFIX_STORAGE: 'memory',
        WINFIX_LOG_LEVEL: level,
        WINFIX_TEAMS_APP_ID: APP_ID,
        WINFIX_TEAMS_APP_PASSWORD: APP_PASSWORD,
        WINFIX_TEAMS_TENANT_ID: 'tenant-1',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slackApi.url,
        // The fake channel is on loopback, which only anonymous mode allows by itself.
        WINFIX_TEAMS_SERVICE_URLS: channel.serviceUrl,
      },
      { teams: { authority: `${channel.baseUrl}/tenant-1`, connections: fakeConnections(OUTBOUND_TOKEN) } },
    );
    const started = server.log.length;
    const bearer = `Bearer ${token()}`;
    const conversationId = `a:logs-${tag}`;
    const user = new TeamsUser(channel, server.url, conversationId, { authorization: bearer });
    const activity = user.activity({ text: TEXT, textFormat: 'plain' });
    const headers = {
      'content-type': 'application/json',
      authorization: bearer,
      'x-request-id': `teams-${tag}`,
    };
    const teams = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(activity),
    });
    assert.equal(teams.status, 200, await teams.text());
    assert.equal(teams.headers.get('x-request-id'), `teams-${tag}`, 'the request id is answered');
    assert.ok(channel.sentTo(conversationId).length > 0, 'the Teams user got an answer');

    // Abuse: a forged token carrying the text, a malformed body carrying it, a bad Slack signature.
    const forged = `Bearer ${signJwt(newSigningKey('log-key'), { aud: APP_ID, iss: issuer(), note: PHRASE })}`;
    assert.equal(
      (await postToBot(server.url, activity, { 'content-type': 'application/json', authorization: forged }))
        .status,
      401,
    );
    assert.equal(
      (
        await postToBot(server.url, `{"type":"message","text":"${PHRASE}"`, {
          'content-type': 'application/json',
          authorization: bearer,
        })
      ).status,
      400,
    );
    const slackUrl = `${server.url}/slack/events`;
    const dm = eventPost({ eventId: `Ev-logs-${tag}`, event: directMessage('U0LOGS', `D0LOGS${tag}`, TEXT) });
    assert.equal((await postToSlackEndpoint(slackUrl, dm, { secret: 'not-the-secret' })).status, 401);
    assert.equal((await postToSlackEndpoint(slackUrl, dm, { secret: SIGNING_SECRET })).status, 200);
    await slackApi.waitFor('chat.postMessage', 1);
    const served = server.log.length;
    assert.equal(await server.stop(), 0);
    const all = parse(server.log);
    return { all, during: all.slice(started, served) };
  }

  it('at info: no token, secret, Authorization header or message text; every request line has its ids', async () => {
    const { all, during } = await converse('info', 'info');
    const text = JSON.stringify(all);
    for (const [what, value] of Object.entries({
      'the Teams app password': APP_PASSWORD,
      'the Slack bot token': BOT_TOKEN,
      'the Slack signing secret': SIGNING_SECRET,
      'the bot token for the channel': OUTBOUND_TOKEN,
      'the message phrase': PHRASE,
      'the pasted token': PASTED_TOKEN,
      'a JWT': 'eyJ',
      'an Authorization header': 'Bearer ey',
    }))
      assert.ok(!text.includes(value), `${what} is not logged:\n${server(all)}`);

    assert.ok(during.length >= 5, `the requests were logged:\n${server(all)}`);
    for (const line of during)
      assert.ok(line.requestId, `a line written while serving has a request id: ${JSON.stringify(line)}`);
    const teamsLines = during.filter((l) => l.requestId === 'teams-info');
    assert.ok(teamsLines.length > 0, 'the Teams turn is logged under the request id it came with');
    assert.ok(
      teamsLines.every((l) => l.conversationId === 'a:logs-info'),
      `and with its conversation id: ${JSON.stringify(teamsLines)}`,
    );
    const rejected = during.filter((l) => l.level === 'warn' || l.level === 'error');
    assert.ok(
      rejected.length >= 3,
      `the forged token, the bad body and the bad signature are logged:\n${server(all)}`,
    );
    assert.ok(!all.some((l) => l.level === 'debug'), 'nothing at debug');
  });

  it('at debug: the message text is there, the pasted token and the secrets are not', async () => {
    const { all } = await converse('debug', 'debug');
    const turns = all.filter((l) => l.msg === 'turn' && typeof l.text === 'string');
    assert.ok(turns.length >= 2, `both turns logged at debug:\n${server(all)}`);
    for (const turn of turns) {
      assert.equal(turn.level, 'debug');
      assert.match(String(turn.text), new RegExp(PHRASE));
      assert.ok(turn.conversationId, 'with the conversation id');
    }
    const text = JSON.stringify(all);
    for (const value of [PASTED_TOKEN, APP_PASSWORD, BOT_TOKEN, SIGNING_SECRET, OUTBOUND_TOKEN, 'Bearer ey'])
      assert.ok(!text.includes(value), `${value} is not logged at debug either`);
    assert.ok(
      all.filter((l) => l.level !== 'debug').every((l) => !JSON.stringify(l).includes(PHRASE)),
      'the text stays at debug',
    );
  });
});

const server = (lines: Line[]) => lines.map((l) => JSON.stringify(l)).join('\n');
