/**
 * A Web API call Slack never answers (the answer lost on a connection that stays open): the connector
 * gives up on it after its API timeout and tries again, so the conversation gets its reply and moves
 * on, once. Without the timeout the call waited for Node's five-minute limit (three times, with the
 * retries) and every later message of that conversation queued behind it.
 */
import assert from 'node:assert/strict';
import { type SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const AIKO = 'U0000HANG1';
const AIKO_DM = 'D0000HANG1';
const BOB = 'U0000HANG2';
const BOB_DM = 'D0000HANG2';

describe('Slack connector: a Web API call that is never answered', function () {
  this.timeout(60_000);
  const suite = slackSuite();
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [
        { id: AIKO, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' },
        { id: BOB, name: 'bob', real_name: 'Bob Test', locale: 'en-US' },
      ],
      // Far above what the fake needs on loopback, far below Node's five minutes.
      apiTimeoutMs: 2000,
    });
  });

  it('is abandoned and retried: the reply arrives once and the conversation goes on', async () => {
    slack.api.swallow('chat.postMessage');
    await slack.dm(AIKO, AIKO_DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    const posts = () => slack.api.calls.filter((c) => c.method === 'chat.postMessage');
    assert.ok(posts().length >= 2, 'the unanswered post was tried again');
    const first = slack.card(AIKO_DM);
    assert.match(textOf(first), /Step 1/);
    assert.equal(
      slack.posted(AIKO_DM).filter((m) => /Step 1/.test(textOf(m))).length,
      1,
      'the first step was shown once',
    );

    await slack.dm(BOB, BOB_DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.match(textOf(slack.card(BOB_DM)), /Step 1/, 'another conversation is answered');

    await slack.press(first, "Didn't help", AIKO);
    assert.match(textOf(slack.card(AIKO_DM)), /Step 2/, "Aiko's conversation moves on");
  });
});
