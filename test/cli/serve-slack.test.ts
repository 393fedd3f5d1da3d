import assert from 'node:assert/strict';
import { FakeSlackApi } from '../helpers/fake-slack-api';
import { startServe } from '../helpers/serve';
import { directMessage, eventPost, postToSlackEndpoint, SIGNING_SECRET } from '../helpers/slack-requests';

const serve = (env: NodeJS.ProcessEnv) => startServe({ WINFIX_STORAGE: 'memory', ...env });

describe('winfix serve with Slack', () => {
  it('serves Slack HTTP mode at /slack/events next to Teams on one server', async () => {
    const api = new FakeSlackApi();
    await api.start();
    const running = await serve({
      SLACK_BOT_TOKEN: 'xoxb-test-1',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
    });
    try {
      assert.ok(
        running.log.some((l) => l.includes('Slack: HTTP mode')),
        running.log.join('\n'),
      );
      const post = eventPost({
        eventId: 'Ev-serve-1',
        event: directMessage('U0USER1', 'D0DM1', 'Windows Update fails with 0x80070002 on Windows 11 23H2'),
      });
      const forged = await postToSlackEndpoint(`${running.url}/slack/events`, post, { signature: 'v0=00' });
      assert.equal(forged.status, 401);
      const ack = await postToSlackEndpoint(`${running.url}/slack/events`, post);
      assert.equal(ack.status, 200);
      const [reply] = await api.waitFor('chat.postMessage', 1);
      assert.match(JSON.stringify(reply), /0x80070002/);
      assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
      // /readyz names Slack's part: HTTP mode, started, no technicians' channel configured.
      const ready = await fetch(`${running.url}/readyz`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { status: string; slack?: unknown };
      assert.equal(body.status, 'ready');
      assert.deepEqual(body.slack, { mode: 'http', technicianChannel: 'unset' });
    } finally {
      assert.equal(await running.stop(), 0);
      await api.stop();
    }
  });

  it('says in one line that Slack is off when it is not configured', async () => {
    const running = await serve({});
    try {
      assert.equal(running.log.filter((l) => l.includes('Slack is off')).length, 1);
      const res = await fetch(`${running.url}/slack/events`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 404);
    } finally {
      assert.equal(await running.stop(), 0);
    }
  });
});
