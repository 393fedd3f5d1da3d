import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { type Bot, type Clock, InMemoryReferenceStore } from '../../../bot';
import { readConfig } from '../../../cli/config';
import { MemorySeenDeliveries as DeliveryDedup } from '../../../connectors/chat/seen-deliveries';
import {
  createSlackConnector,
  decideSlackMode,
  SLACK_ERROR_CLASSES,
  SLACK_OFF,
  SlackBadRequestError,
  SlackConfigError,
  SlackRequestVerificationError,
} from '../../../connectors/slack';
import { verifySignedRequest } from '../../../connectors/slack/request-verification';
import {
  conversationIdOf,
  decodeButtonValue,
  encodeButtonValue,
  plainTextOf,
} from '../../../connectors/slack/slack-inputs';
import { FakeSlackApi } from '../../helpers/fake-slack-api';
import { postToSlackEndpoint, SIGNING_SECRET, sign } from '../../helpers/slack-requests';
import { RecordingLogger } from './slack-harness';

function manualClock(iso: string): Clock & { advance(ms: number): void } {
  let at = Date.parse(iso);
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
}

const noBot: Bot = {
  handle: async () => {
    throw new Error('the bot must not be called');
  },
};

describe('Slack connector: configuration', () => {
  it('reads SLACK_* in cli/config.ts', () => {
    const config = readConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      SLACK_TECHNICIANS: ' U0000TECH1, W0000TECH2 ,,',
      SLACK_TECHNICIAN_CHANNEL: 'C0000TECH1',
    });
    assert.deepEqual(config.slack, {
      botToken: 'xoxb-1',
      signingSecret: 'secret',
      appToken: null,
      apiUrl: 'http://127.0.0.1:9/api/',
      technicians: ['U0000TECH1', 'W0000TECH2'],
      technicianChannel: 'C0000TECH1',
    });
    assert.deepEqual(readConfig({}).slack, SLACK_OFF);
    assert.equal(readConfig({ SLACK_BOT_TOKEN: '  ' }).slack.botToken, null, 'blank is unset');
  });

  it('chooses Socket Mode with an app token, HTTP mode with a signing secret', () => {
    const base = { ...SLACK_OFF, botToken: 'xoxb-1' };
    assert.equal(decideSlackMode({ ...base, appToken: 'xapp-1' }).mode, 'socket');
    assert.equal(decideSlackMode({ ...base, appToken: 'xapp-1', signingSecret: 's' }).mode, 'socket');
    assert.equal(decideSlackMode({ ...base, signingSecret: 's' }).mode, 'http');
    assert.equal(decideSlackMode(SLACK_OFF).mode, 'off');
    const technicians = ['U0000TECH1', 'kenji.sato@example.com'];
    assert.equal(
      decideSlackMode({ ...base, signingSecret: 's', technicians }).mode,
      'http',
      'technicians by user id or e-mail',
    );
  });

  it('refuses a half-done configuration with one clear error', () => {
    const cases = [
      { ...SLACK_OFF, botToken: 'xoxb-1' },
      { ...SLACK_OFF, appToken: 'xapp-1' },
      { ...SLACK_OFF, botToken: 'xoxp-user-token', signingSecret: 's' },
      { ...SLACK_OFF, botToken: 'xoxb-1', appToken: 'xoxb-wrong' },
      { ...SLACK_OFF, botToken: 'xoxb-1', signingSecret: 's', technicians: ['alice'] },
      { ...SLACK_OFF, botToken: 'xoxb-1', signingSecret: 's', apiUrl: 'not a url' },
    ];
    for (const settings of cases) assert.throws(() => decideSlackMode(settings), SlackConfigError);
  });

  it('is off when not configured: one log line, nothing started, no endpoint', async () => {
    const api = new FakeSlackApi();
    await api.start();
    try {
      const logger = new RecordingLogger();
      const connector = createSlackConnector({
        bot: noBot,
        config: { ...SLACK_OFF, apiUrl: api.url },
        references: new InMemoryReferenceStore(),
        logger,
      });
      await connector.start();
      await connector.stop();
      assert.equal(connector.mode, 'off');
      assert.equal(connector.httpListener, undefined);
      assert.equal(logger.lines.length, 1);
      assert.match(logger.lines[0]?.message ?? '', /^Slack is off: not configured \(set SLACK_BOT_TOKEN/);
      assert.deepEqual(api.calls, []);
    } finally {
      await api.stop();
    }
  });

  it('fails to start on a token Slack refuses (auth.test), saying so', async () => {
    const api = new FakeSlackApi({ botToken: 'xoxb-the-real-one' });
    await api.start();
    try {
      const connector = createSlackConnector({
        bot: noBot,
        config: { ...SLACK_OFF, botToken: 'xoxb-revoked', signingSecret: 's', apiUrl: api.url },
        references: new InMemoryReferenceStore(),
        logger: new RecordingLogger(),
      });
      await assert.rejects(connector.start(), /invalid_auth/);
      assert.deepEqual(
        api.calls.map((c) => c.method),
        ['auth.test'],
      );
    } finally {
      await api.stop();
    }
  });
});

describe('Slack connector: the HTTP listener', () => {
  it('answers 503 until started and after stopped, 404 elsewhere, 405 for other methods', async () => {
    const api = new FakeSlackApi();
    await api.start();
    const connector = createSlackConnector({
      bot: noBot,
      config: { ...SLACK_OFF, botToken: 'xoxb-1', signingSecret: SIGNING_SECRET, apiUrl: api.url },
      references: new InMemoryReferenceStore(),
      logger: new RecordingLogger(),
    });
    const listener = connector.httpListener;
    assert.ok(listener);
    const server = createServer(listener).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    const post = { body, contentType: 'application/json' };
    try {
      assert.equal((await postToSlackEndpoint(`${base}/slack/events`, post)).status, 503);
      await connector.start();
      assert.equal((await postToSlackEndpoint(`${base}/slack/events`, post)).status, 200);
      assert.equal((await postToSlackEndpoint(`${base}/elsewhere`, post)).status, 404);
      assert.equal((await fetch(`${base}/slack/events`)).status, 405);
      await connector.stop();
      assert.equal((await postToSlackEndpoint(`${base}/slack/events`, post)).status, 503);
    } finally {
      server.closeAllConnections();
      server.close();
      await api.stop();
    }
  });
});

describe('Slack connector: mounted on restify (as `winfix serve` will)', () => {
  for (const withBodyParser of [false, true]) {
    it(`verifies and answers ${withBodyParser ? 'behind restify’s bodyParser' : 'on a plain restify route'}`, async () => {
      const api = new FakeSlackApi();
      await api.start();
      const connector = createSlackConnector({
        bot: noBot,
        config: { ...SLACK_OFF, botToken: 'xoxb-1', signingSecret: SIGNING_SECRET, apiUrl: api.url },
        references: new InMemoryReferenceStore(),
        logger: new RecordingLogger(),
      });
      await connector.start();
      const server = restify.createServer();
      if (withBodyParser) server.use(restify.plugins.bodyParser());
      const listener = connector.httpListener;
      assert.ok(listener);
      // restify wants handlers that take `next`; the listener ends the response itself.
      server.post('/slack/events', (req, res, _next) => {
        listener(req, res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      try {
        const body = JSON.stringify({ type: 'url_verification', challenge: 'c-9' });
        const ok = await postToSlackEndpoint(url, { body, contentType: 'application/json' });
        assert.deepEqual([ok.status, ok.body], [200, '{"challenge":"c-9"}']);
        const forged = await postToSlackEndpoint(
          url,
          { body, contentType: 'application/json' },
          { signature: 'v0=00' },
        );
        assert.equal(forged.status, 401);
      } finally {
        server.close();
        await connector.stop();
        await api.stop();
      }
    });
  }
});

describe('Slack connector: parts', () => {
  it('verifies v0 signatures within 5 minutes either way, on the injected clock', () => {
    const clock = manualClock('2026-03-02T09:00:00Z');
    const ts = Math.floor(clock.now().getTime() / 1000);
    const body = '{"type":"event_callback"}';
    const headers = (t: number, s = sign(body, t)) => ({
      'x-slack-request-timestamp': String(t),
      'x-slack-signature': s,
    });
    const check = (h: Record<string, string>, b = body) =>
      verifySignedRequest({ signingSecret: SIGNING_SECRET, headers: h, body: b, clock });
    check(headers(ts));
    check(headers(ts - 299));
    check(headers(ts + 299));
    for (const bad of [headers(ts - 301), headers(ts + 301), headers(ts, sign(body, ts, 'x')), {}])
      assert.throws(() => check(bad), SlackRequestVerificationError);
    assert.throws(() => check(headers(ts), `${body} `), SlackRequestVerificationError);
    assert.throws(
      () => check({ ...headers(ts), 'x-slack-request-timestamp': 'abc' }),
      SlackRequestVerificationError,
    );
  });

  it('remembers deliveries for a while, within a bound', () => {
    const clock = manualClock('2026-03-02T09:00:00Z');
    const dedup = new DeliveryDedup({ clock, ttlMs: 60_000, maxEntries: 3 });
    assert.equal(dedup.firstTime('event:1', 'message:D1:1.1'), true);
    assert.equal(dedup.firstTime('event:1'), false);
    assert.equal(dedup.firstTime('event:2', 'message:D1:1.1'), false, 'the same message under another event');
    clock.advance(61_000);
    assert.equal(dedup.firstTime('event:1'), true, 'forgotten after the TTL');
    for (const k of ['a', 'b', 'c', 'd']) dedup.firstTime(k);
    assert.ok(dedup.size <= 3);
    assert.equal(dedup.firstTime('d'), false);
    assert.equal(dedup.firstTime('event:1'), true, 'the oldest went first');
  });

  it('keys conversations by team and channel, plus the thread in channels', () => {
    assert.equal(conversationIdOf({ team: 'T1', channel: 'D1', threadTs: null }), 'T1:D1');
    assert.equal(conversationIdOf({ team: 'T1', channel: 'C1', threadTs: '1.2' }), 'T1:C1:1.2');
  });

  it('carries the card id and the action on a button, and refuses values it did not make', () => {
    const value = encodeButtonValue('m4', { verb: 'choose-os', value: 'win11-23h2' });
    assert.deepEqual(decodeButtonValue(value), {
      cardId: 'm4',
      action: { verb: 'choose-os', value: 'win11-23h2' },
    });
    for (const bad of [undefined, 'nope', '{}', '{"card":"m1"}', '{"card":"m1","action":{}}'])
      assert.throws(() => decodeButtonValue(bad), /winfix action|not JSON/);
  });

  it('reads what a person typed from Slack message text', () => {
    assert.equal(
      plainTextOf('<@UBOT> Windows Update fails with 0x80070002', 'UBOT'),
      'Windows Update fails with 0x80070002',
    );
    assert.equal(plainTextOf('ask <@U2|kenji> in <#C1|it-help>', 'UBOT'), 'ask @kenji in #it-help');
    assert.equal(plainTextOf('see <https://x.test/a|the page> &amp; 1 &lt; 2', null), 'see the page & 1 < 2');
    assert.equal(plainTextOf('<mailto:a@b.c|a@b.c> <!here>', null), 'a@b.c @here');
  });

  it('has unique error codes', () => {
    const codes = SLACK_ERROR_CLASSES.map((C) => new C('x').code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_slack_/);
    const cause = new Error('root');
    assert.equal(new SlackConfigError('x', { cause }).cause, cause);
    // The endpoint's 400 and 413 answers are among the listed codes.
    assert.ok(codes.includes('winfix_slack_bad_request'));
    assert.equal(new SlackBadRequestError('x', 413).code, 'winfix_slack_body_too_large');
  });
});
