/**
 * Per-user message limits over HTTP, through `winfix serve` configured by its variables: Teams on
 * /api/messages (fake Bot Connector) and Slack on /slack/events (fake Web API). The user over the limit
 * is told once, in their language; another user is not held back.
 */
import assert from 'node:assert/strict';
import { readConfig } from '../../cli/config';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { FakeSlackApi } from '../helpers/fake-slack-api';
import { startServe } from '../helpers/serve';
import { directMessage, eventPost, postToSlackEndpoint, SIGNING_SECRET } from '../helpers/slack-requests';
import { TeamsUser } from '../helpers/teams-user';

const textOf = (activity: unknown) => JSON.stringify(activity);

describe('winfix serve: per-user rate limits', function () {
  this.timeout(30_000);

  it('reads WINFIX_RATE_MESSAGES_PER_MINUTE and WINFIX_RATE_RUNS_PER_HOUR, with defaults 20 and 5', () => {
    assert.deepEqual(readConfig({}).rateLimits, { messagesPerMinute: 20, runsPerHour: 5 });
    assert.deepEqual(
      readConfig({ WINFIX_RATE_MESSAGES_PER_MINUTE: '0', WINFIX_RATE_RUNS_PER_HOUR: '12' }).rateLimits,
      { messagesPerMinute: 0, runsPerHour: 12 },
    );
    assert.throws(() => readConfig({ WINFIX_RATE_RUNS_PER_HOUR: 'five' }), /WINFIX_RATE_RUNS_PER_HOUR/);
    assert.throws(
      () => readConfig({ WINFIX_RATE_MESSAGES_PER_MINUTE: '-1' }),
      /WINFIX_RATE_MESSAGES_PER_MINUTE/,
    );
  });

  it('Teams: the third message within a minute gets one localized answer, the fourth none', async () => {
    const channel = new FakeBotConnector();
    await channel.start();
    const running = await startServe({ WINFIX_STORAGE: 'memory', WINFIX_RATE_MESSAGES_PER_MINUTE: '2' });
    try {
      const aiko = new TeamsUser(channel, running.url, 'conv-aiko', { locale: 'ja-JP' });
      const boris = new TeamsUser(channel, running.url, 'conv-boris', {
        userId: '29:user-2',
        aadObjectId: 'aad-user-2',
        locale: 'ru-RU',
      });
      for (const text of ['Windows Update がエラー 0x80070002 で失敗します', 'Windows 11 です']) {
        assert.equal((await aiko.say(text)).status, 200);
      }
      const before = aiko.sent().length;
      assert.ok(before > 0);
      assert.equal((await aiko.say('まだですか')).status, 200);
      await channel.waitFor(() => aiko.sent().length > before, 5000, 'the answer to the third message');
      const told = aiko.sent().slice(before);
      assert.equal(told.length, 1);
      assert.match(textOf(told[0]?.activity), /メッセージが多すぎる/);
      assert.equal((await aiko.say('もしもし')).status, 200);
      assert.equal((await boris.say('Ошибка 0x80070002 при обновлении Windows')).status, 200);
      await channel.waitFor(() => boris.sent().length > 0, 5000, "the other user's answer");
      assert.equal(aiko.sent().length, before + 1, 'the fourth message got no answer');
      assert.doesNotMatch(textOf(boris.sent().map((s) => s.activity)), /быстрее, чем я успеваю/);
    } finally {
      assert.equal(await running.stop(), 0);
      await channel.stop();
    }
    assert.deepEqual(channel.problems, []);
  });

  it('Slack: a user over the limit is told once in the DM; events are still acknowledged', async () => {
    const api = new FakeSlackApi();
    await api.start();
    const running = await startServe({
      WINFIX_STORAGE: 'memory',
      WINFIX_RATE_MESSAGES_PER_MINUTE: '2',
      SLACK_BOT_TOKEN: 'xoxb-test-rate',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
    });
    const url = `${running.url}/slack/events`;
    const send = async (n: number, user: string, channel: string, text: string) => {
      const post = eventPost({ eventId: `Ev-rate-${n}`, event: directMessage(user, channel, text) });
      assert.equal((await postToSlackEndpoint(url, post)).status, 200);
    };
    const posted = (channel: string) =>
      api.of('chat.postMessage').filter((c) => c.params.channel === channel);
    try {
      await send(1, 'U0RATE1', 'D0RATE1', 'Windows Update fails with 0x80070002 on Windows 11 23H2');
      await api.waitFor('chat.postMessage', 1);
      await send(2, 'U0RATE1', 'D0RATE1', 'still failing');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = posted('D0RATE1').length;
      await send(3, 'U0RATE1', 'D0RATE1', 'hello?');
      await send(4, 'U0RATE1', 'D0RATE1', 'hello??');
      await send(5, 'U0RATE2', 'D0RATE2', 'Windows Update fails with 0x80070002 on Windows 11 23H2');
      const deadline = Date.now() + 5000;
      while (posted('D0RATE2').length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = posted('D0RATE1').slice(before);
      assert.equal(after.length, 1, JSON.stringify(after));
      assert.match(
        JSON.stringify(after[0]?.params),
        /faster than I can answer them\. Please wait \d+ seconds/,
      );
      assert.ok(posted('D0RATE2').length > 0, 'the other user is answered');
    } finally {
      assert.equal(await running.stop(), 0);
      await api.stop();
    }
    assert.deepEqual(api.problems, []);
  });
});
