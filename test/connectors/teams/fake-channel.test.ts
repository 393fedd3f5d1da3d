import assert from 'node:assert/strict';
import { checkAdaptiveCard } from '../../helpers/adaptive-card-check';
import { checkAgainstSpec } from '../../helpers/bot-framework-schema';
import { ADAPTIVE_CARD, FakeBotConnector } from '../../helpers/fake-bot-connector';

/** The checks the fake channel relies on must catch real mistakes, or the other tests prove nothing. */
describe('fake Bot Connector channel: its contract checks have teeth', () => {
  let channel: FakeBotConnector;

  before(async () => {
    channel = new FakeBotConnector();
    await channel.start();
  });

  after(() => channel.stop());

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${channel.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('checks activities against the spec’s Activity definition', () => {
    assert.deepEqual(
      checkAgainstSpec('Activity', { type: 'message', text: 'hi', conversation: { id: 'c' } }),
      [],
    );
    assert.deepEqual(
      checkAgainstSpec('Activity', { type: 'message', timestamp: null }),
      [],
      'x-nullable honoured',
    );
    const problems = checkAgainstSpec('Activity', {
      type: 'message',
      textFormat: 'html',
      attachments: {},
      timestamp: 'yesterday',
      from: { id: 7 },
    });
    assert.ok(problems.some((p) => /textFormat must be equal to one of the allowed values/.test(p)));
    assert.ok(problems.some((p) => /attachments must be array/.test(p)));
    assert.ok(problems.some((p) => /timestamp must match format "date-time"/.test(p)));
    assert.ok(problems.some((p) => /from\/id must be string/.test(p)));
  });

  it('checks Adaptive Cards with the real parser: unknown elements, bad values, unknown properties, version', () => {
    const problems = checkAdaptiveCard({
      type: 'AdaptiveCard',
      version: '1.6',
      body: [
        { type: 'Carousel', pages: [] },
        { type: 'CodeBlock', codeSnippet: 'sfc /scannow', language: 'Cobol' },
        { type: 'TextBlock', text: 'x', weight: 'Heavy' },
        { type: 'TextBlock', text: 'y', wrapp: true },
        { type: 'ActionSet', actions: [{ type: 'Action.Frobnicate', title: 'go' }] },
      ],
    });
    for (const expected of [
      /version is "1.6"/,
      /UnknownElementType/,
      /CodeBlock needs a fallback/,
      /"Cobol" is not a Teams CodeBlock language/,
      /InvalidPropertyValue.*weight/,
      /wrapp: unknown property/,
      /UnknownActionType/,
    ])
      assert.ok(
        problems.some((p) => expected.test(p)),
        `${expected}: ${problems.join(' | ')}`,
      );
  });

  it('refuses a bad activity with 400 and records the problem; 404 for an update of an unknown activity', async () => {
    const before = channel.problems.length;
    const bad = await post('/v3/conversations/a%3A1/activities', {
      type: 'message',
      conversation: { id: 'a:1' },
      attachments: [
        {
          contentType: ADAPTIVE_CARD,
          content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Nope' }] },
        },
      ],
    });
    assert.equal(bad.status, 400);
    assert.ok(channel.problems.length > before);
    channel.problems.length = before;

    const wrongConversation = await post('/v3/conversations/a%3A1/activities', {
      type: 'message',
      conversation: { id: 'b' },
    });
    assert.equal(wrongConversation.status, 400);
    channel.problems.length = before;

    const ok = await post('/v3/conversations/a%3A1/activities', {
      type: 'message',
      conversation: { id: 'a:1' },
    });
    assert.equal(ok.status, 201);
    const { id } = (await ok.json()) as { id: string };
    const update = await post(
      `/v3/conversations/a%3A1/activities/${id}`,
      { type: 'message', id, conversation: { id: 'a:1' } },
      'PUT',
    );
    assert.equal(update.status, 200);
    const missing = await post(
      '/v3/conversations/a%3A1/activities/nope',
      { type: 'message', id: 'nope', conversation: { id: 'a:1' } },
      'PUT',
    );
    assert.equal(missing.status, 404);
    assert.deepEqual(channel.problems.slice(before), []);
  });

  it('answers 403 with Teams’ error body when told to', async () => {
    channel.failure = { status: 403 };
    const r = await post('/v3/conversations/a%3A1/activities', {
      type: 'message',
      conversation: { id: 'a:1' },
    });
    channel.failure = null;
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), {
      error: { code: 'BotNotInConversationRoster', message: 'the fake channel answers 403' },
    });
  });
});
