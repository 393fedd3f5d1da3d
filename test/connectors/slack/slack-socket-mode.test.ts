import assert from 'node:assert/strict';
import { createBot, InMemoryReferenceStore } from '../../../bot';
import { createSlackConnector, SLACK_OFF, type SlackConnector } from '../../../connectors/slack';
import { steppingClock } from '../../bot/chat-driver';
import { FakeSlackApi } from '../../helpers/fake-slack-api';
import { FakeSocketModeServer } from '../../helpers/fake-socket-mode-server';
import { buttonsOf, directMessage, eventCallback } from '../../helpers/slack-requests';
import { RecordingLogger, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const U1 = 'U0000USER1';
const DM = 'D0000DM001';

describe('Slack connector in Socket Mode (fake Web API + fake WebSocket endpoint)', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let api: FakeSlackApi;
  let socket: FakeSocketModeServer;
  let connector: SlackConnector;
  let logger: RecordingLogger;

  beforeEach(async () => {
    api = new FakeSlackApi({
      scopes: manifestScopes(),
      users: [{ id: U1, name: 'u1', real_name: 'User One', locale: 'en-US' }],
    });
    socket = new FakeSocketModeServer();
    await Promise.all([api.start(), socket.start()]);
    api.socketUrl = socket.url;
    logger = new RecordingLogger();
    connector = createSlackConnector({
      bot: createBot({ knowledge: suite.knowledge, clock: steppingClock(), defaultLocale: 'en' }),
      config: { ...SLACK_OFF, botToken: 'xoxb-test-token', appToken: 'xapp-test-token', apiUrl: api.url },
      references: new InMemoryReferenceStore(),
      logger,
    });
  });

  afterEach(async () => {
    await connector.stop();
    await Promise.all([api.stop(), socket.stop()]);
    assert.deepEqual(api.problems, []);
    assert.deepEqual(logger.at('error'), []);
    assert.deepEqual(logger.at('warn'), []);
  });

  let envelopes = 0;
  function eventEnvelope(eventId: string, text: string, retry = 0) {
    envelopes += 1;
    return {
      envelope_id: `env-${envelopes}`,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: retry,
      retry_reason: retry ? 'timeout' : '',
      payload: eventCallback({ eventId, event: directMessage(U1, DM, text, `1712300000.00000${envelopes}`) }),
    };
  }

  it('connects with the app token, acks each envelope before working, and handles a retry once', async () => {
    assert.equal(connector.mode, 'socket');
    assert.equal(connector.httpListener, undefined, 'no endpoint in Socket Mode');
    await connector.start();
    assert.equal(socket.connections, 1);
    const open = api.of('apps.connections.open');
    assert.equal(open.length, 1);
    assert.match(String(open[0]?.token), /^xapp-/, 'apps.connections.open uses the app-level token');
    assert.match(String(api.of('auth.test')[0]?.token), /^xoxb-/);

    const release = api.hold('chat.postMessage');
    const first = eventEnvelope('EvSOCKET01', 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    socket.sendJson(first);
    const ack = await socket.waitForAck(first.envelope_id);
    assert.deepEqual(ack, { envelope_id: first.envelope_id, payload: {} });
    await api.waitFor('chat.postMessage', 1);
    assert.equal(api.messages.length, 0, 'acknowledged while the reply was still held');
    release();
    await connector.idle();
    const posted = api.messages.length;
    assert.ok(posted >= 2);

    const retry = {
      ...eventEnvelope('EvSOCKET01', 'Windows Update fails with 0x80070002 on Windows 11 23H2', 1),
    };
    socket.sendJson(retry);
    await socket.waitForAck(retry.envelope_id);
    await connector.idle();
    assert.equal(api.messages.length, posted, 'the retried event changed nothing');
  });

  it('takes button presses as interactive envelopes and updates the card', async () => {
    await connector.start();
    const first = eventEnvelope('EvSOCKET02', 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    socket.sendJson(first);
    await socket.waitForAck(first.envelope_id);
    await connector.idle();
    const card = api.messages.filter((m) => m.blocks.some((b) => b.type === 'actions')).at(-1);
    assert.ok(card);
    const button = buttonsOf(card).find((b) => b.text.text === 'Skip');
    assert.ok(button);
    const press = {
      envelope_id: 'env-press-1',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        user: { id: U1, username: 'u1', name: 'u1', team_id: 'T0001' },
        api_app_id: 'A0001',
        token: 'unused',
        container: { type: 'message', message_ts: card.ts, channel_id: DM, is_ephemeral: false },
        trigger_id: '1.2.3',
        team: { id: 'T0001', domain: 'winfix-test' },
        channel: { id: DM, name: 'directmessage' },
        message: { type: 'message', ts: card.ts, text: card.text, blocks: card.blocks },
        actions: [
          {
            type: 'button',
            action_id: button.action_id,
            block_id: 'b1',
            text: { type: 'plain_text', text: 'Skip' },
            value: button.value,
            action_ts: '1712300001.000001',
          },
        ],
      },
    };
    socket.sendJson(press);
    await socket.waitForAck('env-press-1');
    await connector.idle();
    assert.deepEqual(
      api.of('chat.update').map((c) => [c.params.channel, c.params.ts]),
      [[DM, card.ts]],
    );
    assert.match(textOf(api.messages.at(-1)), /Step 2 of/);
  });

  it('readiness: not ready before start and while the WebSocket is down, ready again once Bolt reconnected', async () => {
    const until = async (ready: boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while ((await connector.readiness()).ready !== ready) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    assert.equal((await connector.readiness()).code, 'winfix_slack_not_started');
    await connector.start();
    await until(true, 'ready after start');
    assert.deepEqual(await connector.readiness(), {
      ready: true,
      slack: { mode: 'socket', connected: true, technicianChannel: 'unset' },
    });
    socket.refuse = true;
    socket.drop();
    await until(false, 'not ready after the drop');
    const down = await connector.readiness();
    assert.equal(down.code, 'winfix_slack_socket_down');
    assert.deepEqual(down.slack, { mode: 'socket', connected: false, technicianChannel: 'unset' });
    socket.refuse = false;
    await until(true, 'ready after the reconnection');
    assert.equal(socket.connections, 2);
    logger.lines.length = 0; // Bolt logs the drop and the retries; that is expected here.
  });

  it('disconnects on stop', async () => {
    await connector.start();
    await connector.stop();
    await socket.disconnected();
  });
});
