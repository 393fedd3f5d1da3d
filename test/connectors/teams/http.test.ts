import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bot } from '../../../bot';
import { cardOf, postToBot } from '../../helpers/teams-user';
import { type Harness, realBot, startHarness } from './harness';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('Teams connector: HTTP endpoint', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
    assert.deepEqual(h.channel.problems, []);
  });

  describe('with the real bot', () => {
    beforeEach(async () => {
      h = await startHarness({ maxBodyBytes: 64 * 1024 });
    });

    it('GET /healthz answers 200 with the auth mode', async () => {
      const response = await fetch(`${h.url}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok', auth: 'anonymous' });
    });

    it('answers malformed bodies with a 4xx that says what is wrong, and keeps serving', async () => {
      const good = h.user('a:1good').activity({ text: 'hello' });
      const { serviceUrl: _s, ...noServiceUrl } = good;
      const cases: [string, unknown, Record<string, string>, number, RegExp][] = [
        [
          'plain text',
          'hello bot',
          { 'content-type': 'text/plain' },
          415,
          /Content-Type must be application\/json/,
        ],
        ['no content type', JSON.stringify(good), {}, 415, /Content-Type/],
        ['not JSON', '{"type": "message",', JSON_TYPE, 400, /not valid JSON/],
        ['empty', '', JSON_TYPE, 400, /empty body/],
        ['an array', '[1,2]', JSON_TYPE, 400, /must be a JSON object/],
        ['no type', { conversation: { id: 'x' } }, JSON_TYPE, 400, /no \\"type\\"/],
        ['no conversation', { type: 'message' }, JSON_TYPE, 400, /no \\"conversation.id\\"/],
        ['no serviceUrl', noServiceUrl, JSON_TYPE, 400, /no \\"serviceUrl\\"/],
        [
          'a non-http serviceUrl',
          { ...good, serviceUrl: 'ftp://example.com' },
          JSON_TYPE,
          400,
          /not an http\(s\) URL/,
        ],
        ['no recipient', { ...good, recipient: undefined }, JSON_TYPE, 400, /recipient.id/],
        ['wrong field types', { ...good, attachments: 'not-a-list' }, JSON_TYPE, 400, /Bot Framework schema/],
        ['too large', { ...good, text: 'x'.repeat(70 * 1024) }, JSON_TYPE, 413, /exceeds/],
      ];
      for (const [what, body, headers, status, message] of cases) {
        const r = await postToBot(h.url, body, headers);
        assert.equal(r.status, status, `${what}: ${r.body}`);
        assert.match(r.body, message, what);
      }
      const wrongMethod = await fetch(`${h.url}/api/messages`);
      assert.equal(wrongMethod.status, 405);
      assert.equal(h.channel.calls.length, 0, 'nothing was sent for bad requests');

      const r = await h.user('a:1good').say('hello');
      assert.equal(r.status, 200, 'a good request after the bad ones works');
      assert.ok(h.channel.sentTo('a:1good').length > 0);
      assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    });

    it('leaves other routes’ bodies unread, so a raw listener (Slack’s signed requests) can share the server', async () => {
      // A plain node:http listener, as the Slack connector exports, behind a restify route.
      const rawListener = (req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        req.on('end', () => res.end(`got ${body}`));
      };
      // How to mount it on restify: an async handler that resolves when the listener has answered.
      h.service.http.server.post('/raw', async (req: IncomingMessage, res: ServerResponse) => {
        await new Promise((resolve) => {
          res.on('finish', resolve);
          rawListener(req, res);
        });
      });
      const response = await fetch(`${h.url}/raw`, { method: 'POST', body: 'token=x&v0=sig' });
      assert.equal(await response.text(), 'got token=x&v0=sig');
    });

    it('has sent the replies by the time it answers the HTTP request (fast turn)', async () => {
      const user = h.user('a:1fast');
      const r = await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
      assert.equal(r.status, 200);
      const sent = user.sent();
      assert.ok(sent.length >= 2);
      assert.ok(cardOf(sent.at(-1)?.activity), 'the step card is already there');
    });
  });

  describe('with a slow or failing core', () => {
    it('answers the HTTP request within the reply budget and sends the replies proactively afterwards', async () => {
      const inner = realBot();
      const slow: Bot = {
        handle: async (input) => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          return inner.handle(input);
        },
      };
      h = await startHarness({ bot: slow, replyBudgetMs: 50 });
      const user = h.user('a:1slow');
      const r = await user.say('hello');
      assert.equal(r.status, 200);
      assert.ok(r.ms < 300, `answered in ${r.ms.toFixed(0)} ms, before the core finished`);
      assert.equal(user.sent().length, 0, 'nothing sent yet');
      await h.channel.waitFor(() => user.sent().length >= 2, 3000, 'the late replies');
      assert.ok(
        user.sent().every((s) => s.call.kind === 'send'),
        'late replies go out as new messages',
      );
      assert.match(String(user.sent()[0]?.activity.text), /I'm winfix/);
      assert.ok(h.log.of('warn').some((l) => /longer than 50 ms/.test(l)));
    });

    it('says sorry (in the user’s language) and logs when the core fails, and still answers 200', async () => {
      const failing: Bot = {
        handle: async () => {
          throw Object.assign(new Error('store unavailable'), { code: 'winfix_test_failure' });
        },
      };
      h = await startHarness({ bot: failing });
      const r = await h.user('a:1fail', { locale: 'ru-RU' }).say('привет');
      assert.equal(r.status, 200);
      assert.match(String(h.channel.sentTo('a:1fail')[0]?.activity.text), /Извините/);
      assert.ok(h.log.of('error').some((l) => /winfix_test_failure.*store unavailable/.test(l)));
    });
  });
});

describe('Teams connector: serviceUrl allow-list (anonymous mode)', () => {
  it('refuses an activity whose serviceUrl is a metadata address: 403, logged escaped, nothing POSTed', async () => {
    const h = await startHarness();
    try {
      const activity = {
        ...h.user('a:1meta').activity({ text: 'hello' }),
        serviceUrl: 'http://169.254.169.254/\nx',
      };
      const r = await postToBot(h.url, activity, JSON_TYPE);
      assert.equal(r.status, 403, r.body);
      assert.match(r.body, /winfix_teams_service_url_refused/);
      assert.equal(h.channel.calls.length, 0);
      assert.ok(h.log.of('warn').some((l) => l.includes('"http://169.254.169.254/\\nx"')));
      assert.equal(
        (await h.user('a:1meta').say('hello')).status,
        200,
        'loopback is allowed in anonymous mode',
      );
    } finally {
      await h.close();
    }
  });
});
