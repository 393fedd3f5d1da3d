import assert from 'node:assert/strict';
import { LIMITS, renderMessage, withLead } from '../../../connectors/slack/block-kit';
import { ResponseUrlPolicy, responseUrlFailure } from '../../../connectors/slack/response-urls';

describe('Slack: response_url policy and answers', () => {
  const production = new ResponseUrlPolicy('https://slack.com/api/');
  const local = new ResponseUrlPolicy('http://127.0.0.1:4100/api/');

  it('allows Slack’s own response URLs only', () => {
    assert.equal(production.check('https://hooks.slack.com/actions/T0001/123/abc').ok, true);
    for (const url of [
      'http://hooks.slack.com/actions/T0001/123/abc',
      'https://hooks.slack.com:8443/actions/T0001/123/abc',
      'https://user:pw@hooks.slack.com/actions/T0001/123/abc',
      'https://hooks.slack.com/services/T0001/B1/xyz',
      'https://hooks.slack.com.evil.example/actions/T0001/123/abc',
      'https://evil.example/actions/T0001/123/abc',
      'https://169.254.169.254/actions/x',
      'http://127.0.0.1:4100/actions/T0001/1/abc',
      'file:///etc/passwd',
      'not a url',
    ])
      assert.equal(production.check(url).ok, false, url);
  });

  it('allows loopback only at a loopback SLACK_API_URL’s own origin (a local fake Slack)', () => {
    assert.equal(local.check('http://127.0.0.1:4100/actions/T0001/1/abc').ok, true);
    assert.equal(local.check('https://hooks.slack.com/actions/T0001/1/abc').ok, true);
    assert.equal(local.check('http://127.0.0.1:4101/actions/T0001/1/abc').ok, false, 'another port');
    assert.equal(local.check('http://localhost:4100/actions/T0001/1/abc').ok, false, 'another origin');
    assert.equal(local.check('http://127.0.0.1:4100/api/chat.postMessage').ok, false, 'not under /actions/');
  });

  it('reads Slack’s answer: ok as text or JSON; an error status or ok:false is a failure', () => {
    assert.equal(responseUrlFailure(200, 'ok'), null);
    assert.equal(responseUrlFailure(200, '{"ok":true}'), null);
    assert.equal(responseUrlFailure(404, 'expired_url'), 'HTTP 404: expired_url');
    assert.equal(responseUrlFailure(200, '{"ok":false,"error":"used_url"}'), 'HTTP 200: used_url');
    assert.equal(responseUrlFailure(500, ''), 'HTTP 500');
    assert.equal(responseUrlFailure(400, 'x'.repeat(500))?.length, 'HTTP 400: '.length + 100);
  });

  it('draws the record and the lead on top of a card, keeping its buttons within 50 blocks', () => {
    const question = renderMessage({
      kind: 'question',
      id: 'm2',
      topic: 'os',
      text: 'Which Windows version is this PC running?',
      hint: null,
      choices: [{ label: 'Windows 11', action: { verb: 'handoff' }, style: 'default' }],
    });
    assert.ok(question);
    const drawn = withLead(question, "Restart the PC — didn't help", ['Noted <b>.']);
    assert.deepEqual(
      drawn.blocks.slice(0, 2).map((b) => b.type),
      ['context', 'section'],
    );
    assert.match(JSON.stringify(drawn.blocks[0]), /:leftwards_arrow_with_hook: Restart the PC — didn't help/);
    assert.match(JSON.stringify(drawn.blocks[1]), /Noted &lt;b&gt;\./);
    assert.equal(drawn.blocks.at(-1)?.type, 'actions');
    assert.equal(
      drawn.content?.length,
      drawn.blocks.length - 1,
      'the content keeps the lead, not the buttons',
    );
    assert.match(drawn.text, /^Restart the PC — didn't help\nNoted <b>\.\nWhich Windows version/);

    const many = withLead(
      question,
      'r',
      Array.from({ length: 80 }, (_, i) => `text ${i}`),
    );
    assert.equal(many.blocks.length, LIMITS.blocksPerMessage);
    assert.equal(many.blocks.at(-1)?.type, 'actions', 'the buttons always fit');
  });
});
