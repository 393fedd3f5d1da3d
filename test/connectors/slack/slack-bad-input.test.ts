import assert from 'node:assert/strict';
import { buttonPress } from '../../helpers/slack-requests';
import { type SlackHarness, slackSuite } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const U1 = 'U0000USER1';
const DM = 'D0000DM001';

/** A signed form post carrying `payload` as Slack sends interactivity. */
function formPost(payload: unknown) {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}

describe('Slack connector: bad input gets a 4xx with a JSON error, never a 500 or a reset', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }],
    });
  });

  it('answers an interactive action without `user` with 400 and changes nothing', async () => {
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    const card = slack.card(DM);
    const press = JSON.parse(
      new URLSearchParams(buttonPress(card, "Didn't help", U1).body).get('payload') ?? '{}',
    ) as Record<string, unknown>;
    const before = slack.api.calls.length;
    for (const broken of [
      { ...press, user: undefined },
      { ...press, user: null },
      { ...press, user: { name: 'no id' } },
      { ...press, user: 'U0000USER1' },
    ]) {
      const r = await slack.send(formPost(broken));
      assert.equal(r.status, 400, `${JSON.stringify(broken.user)}: ${r.body}`);
      const body = JSON.parse(r.body) as { code: string; message: string };
      assert.equal(body.code, 'winfix_slack_bad_request');
      assert.match(body.message, /user/);
    }
    assert.equal(slack.api.calls.length, before, 'no Web API call for a press without a user');
    assert.deepEqual(slack.logger.at('error'), []);
    const good = await slack.press(card, "Didn't help", U1);
    assert.equal(good.status, 200, 'the same press with its user still works');
  });

  it('answers a payload that is not JSON, or not an object, with 400 and a JSON error', async () => {
    for (const body of ['payload=%7Bnot-json', 'payload=%5B1%2C2%5D', 'payload=42']) {
      const r = await slack.send({ body, contentType: 'application/x-www-form-urlencoded' });
      assert.equal(r.status, 400, `${body}: ${r.body}`);
      assert.equal((JSON.parse(r.body) as { code: string }).code, 'winfix_slack_bad_request');
    }
    const r = await slack.send({ body: '{"type":', contentType: 'application/json' });
    assert.equal(r.status, 400);
    assert.deepEqual(slack.logger.at('error'), []);
  });

  it('answers a body over the limit with 413 and a JSON error body (no connection reset)', async () => {
    const huge = `payload=${'x'.repeat(3 * 1024 * 1024)}`;
    const r = await slack.send({ body: huge, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 413);
    const body = JSON.parse(r.body) as { code: string; message: string };
    assert.equal(body.code, 'winfix_slack_body_too_large');
    assert.match(body.message, /1048576 bytes/);
    const after = await slack.dm(U1, DM, 'hello');
    assert.equal(after.status, 200, 'the server goes on serving');
  });
});
