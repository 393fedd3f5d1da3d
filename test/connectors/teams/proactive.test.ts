import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../../bot';
import {
  PLATFORM,
  TeamsConversationGoneError,
  TeamsDeliveryError,
  TeamsNoReferenceError,
} from '../../../connectors/teams';
import { cardOf, cardText } from '../../helpers/teams-user';
import { type Harness, startHarness } from './harness';

const note = (text: string, id = 'p1'): OutgoingMessage => ({ kind: 'text', id, text });

describe('Teams connector: proactive messages', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
    assert.deepEqual(h.channel.problems, []);
  });

  it('stores a conversation reference for every incoming activity, without the last activity id', async () => {
    const user = h.user('a:1ref');
    await user.post(user.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:winfix-bot' }] }));
    const reference = (await h.references.getReference(PLATFORM, 'a:1ref')) as Record<string, unknown>;
    assert.equal((reference.conversation as { id: string }).id, 'a:1ref');
    assert.equal(reference.serviceUrl, h.channel.serviceUrl);
    assert.equal(reference.channelId, 'msteams');
    assert.equal(reference.activityId, undefined);
  });

  it('sends through the stored reference with continueConversation (a new message, not a reply)', async () => {
    const user = h.user('a:1proactive');
    await user.say('hello');
    const before = h.channel.calls.length;
    const result = await h.service.connector.sendProactive('a:1proactive', [
      note('The job on your PC finished.'),
      {
        kind: 'summary',
        id: 'p2',
        code: '0x80070002',
        fixedBy: { stepId: 'x', title: 'Reset Windows Update components' },
        tried: [],
        text: 'It is fixed.',
      },
    ]);
    assert.deepEqual(result, { ok: true, delivered: 2 });
    const calls = h.channel.calls.slice(before);
    // The text said just before the card is drawn on top of it: one new message, not a reply.
    assert.deepEqual(
      calls.map((c) => [c.kind, c.activityId, c.status]),
      [['send', null, 201]],
    );
    assert.deepEqual((calls[0]?.activity.recipient as { id: string } | undefined)?.id, '29:user-1');
    assert.match(cardText(cardOf(calls[0]?.activity)), /^The job on your PC finished\.\n✔ It is fixed\./);
  });

  it('reports a 403 from the channel (bot removed from the conversation) instead of swallowing it', async () => {
    const user = h.user('a:1removed');
    await user.say('hello');
    h.channel.failure = { status: 403, conversationId: 'a:1removed' };
    const result = await h.service.connector.sendProactive('a:1removed', [note('Are you there?')]);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error instanceof TeamsConversationGoneError);
    assert.equal(!result.ok && result.error.code, 'winfix_teams_conversation_gone');
    assert.equal(!result.ok && (result.error as TeamsConversationGoneError).status, 403);
    assert.equal(result.delivered, 0);
    assert.ok(h.log.of('error').some((line) => /winfix_teams_conversation_gone.*a:1removed/.test(line)));
  });

  it('reports a 404 the same way, and other failures as delivery errors', async () => {
    const user = h.user('a:1gone');
    await user.say('hello');
    h.channel.failure = { status: 404 };
    let result = await h.service.connector.sendProactive('a:1gone', [note('x')]);
    assert.ok(!result.ok && result.error instanceof TeamsConversationGoneError);
    h.channel.failure = { status: 502 };
    result = await h.service.connector.sendProactive('a:1gone', [note('x')]);
    assert.ok(!result.ok && result.error instanceof TeamsDeliveryError);
    assert.equal(!result.ok && (result.error as TeamsDeliveryError).status, 502);
  });

  it('reports a conversation it has no reference for', async () => {
    const result = await h.service.connector.sendProactive('a:1never', [note('x')]);
    assert.ok(!result.ok && result.error instanceof TeamsNoReferenceError);
    assert.ok(h.log.of('error').some((line) => /winfix_teams_no_reference/.test(line)));
  });

  it('updates an open card in place proactively (card-update through the reference)', async () => {
    const user = h.user('a:1proactive-card');
    await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const step = user.findButton('Fixed it');
    assert.ok(step);
    const cardId = (step.data as { cardId: string }).cardId;
    const result = await h.service.connector.sendProactive('a:1proactive-card', [
      { kind: 'card-update', id: 'u1', cardId, answer: 'Closed by the technician' },
    ]);
    assert.deepEqual(result, { ok: true, delivered: 1 });
    const updated = h.channel.updatesOf(step.activityId);
    assert.equal(updated.length, 1);
    assert.match(cardText(cardOf(updated[0]?.activity)), /Closed by the technician$/);
  });
});
