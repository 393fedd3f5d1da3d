/**
 * The order of a Teams turn's calls: a card update goes out alongside the next card, the replies do not wait
 * for the conversation reference, yet the request is answered only after both; a failed card update only
 * warns in a turn, and is reported after the rest when sent proactively.
 */
import assert from 'node:assert/strict';
import { InMemoryReferenceStore } from '../../../bot';
import { PLATFORM } from '../../../connectors/teams';
import { cardKey } from '../../../connectors/teams/teams-connector';
import { cardOf, cardText } from '../../helpers/teams-user';
import { CODE_MESSAGE, closeAfterEach, text, update } from './delivery-fixtures';
import { type Harness, startHarness } from './harness';

/** Reads a card's activity id only once `gate` resolves. */
class GatedReferences extends InMemoryReferenceStore {
  gate: (() => Promise<void>) | null = null;
  /** Holds saveReference the same way. */
  saveGate: (() => Promise<void>) | null = null;

  override async getCardMessage(platform: string, cardId: string): Promise<string | null> {
    await this.gate?.();
    return super.getCardMessage(platform, cardId);
  }

  override async saveReference(platform: string, conversationId: string, reference: unknown): Promise<void> {
    await this.saveGate?.();
    return super.saveReference(platform, conversationId, reference);
  }
}

describe('Teams connector: calls to the channel per turn', () => {
  let h: Harness;
  closeAfterEach(() => h);

  it('sends the card update alongside the next card, and still answers the request only after it', async () => {
    const references = new GatedReferences();
    h = await startHarness({ references });
    const user = h.user('a:1delivery-concurrent', { legacyClient: true });
    await user.say(CODE_MESSAGE);
    const step = user.findButton("Didn't help");
    assert.ok(step);
    const before = h.channel.calls.length;
    let postFirst: boolean | null = null;
    // The update's first await (reading the card's activity id) waits until the new card was posted;
    // if the update went first, this would only give up after the deadline.
    references.gate = () =>
      h.channel
        .waitFor(() => h.channel.calls.slice(before).some((c) => c.kind !== 'update'), 3000)
        .then(
          () => {
            postFirst = true;
          },
          () => {
            postFirst = false;
          },
        );
    await user.press("Didn't help");
    assert.equal(postFirst, true, 'the next card went out without waiting for the update');
    assert.equal(h.channel.updatesOf(step.activityId).length, 1, 'the update was done before the answer');
  });

  it('sends the replies while the conversation reference is being stored, and answers once it is stored', async () => {
    const references = new GatedReferences();
    h = await startHarness({ references });
    const user = h.user('a:1delivery-reference');
    let repliedFirst: boolean | null = null;
    references.saveGate = () =>
      h.channel
        .waitFor(() => user.sent().length > 0, 3000)
        .then(
          () => {
            repliedFirst = true;
          },
          () => {
            repliedFirst = false;
          },
        );
    const r = await user.say(CODE_MESSAGE);
    assert.equal(r.status, 200);
    assert.equal(repliedFirst, true, 'the replies did not wait for the reference');
    assert.ok(await references.getReference(PLATFORM, 'a:1delivery-reference'), 'stored before the answer');
  });

  it('in a turn, a failed card update only warns; the next card still goes out', async () => {
    h = await startHarness();
    const user = h.user('a:1delivery-lost-card', { legacyClient: true });
    await user.say(CODE_MESSAGE);
    const step = user.findButton("Didn't help");
    assert.ok(step);
    const cardId = (step.data as { cardId: string }).cardId;
    await h.references.saveCardMessage(PLATFORM, cardKey('a:1delivery-lost-card', cardId), 'out-gone');
    const before = h.channel.calls.length;
    const r = await user.press("Didn't help");
    assert.equal(r.status, 200);
    const calls = h.channel.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => [c.kind, c.status]),
      calls.map((c) => [c.kind, c.kind === 'update' ? 404 : 201]),
    );
    assert.equal(calls.length, 2);
    assert.ok(h.log.of('warn').some((line) => line.includes(`card ${cardId} not updated`)));
    assert.match(cardText(cardOf(user.sent().at(-1)?.activity)), /^Step 2 of/);
  });

  it('proactively (strict), a failed card update is reported once the rest was delivered', async () => {
    h = await startHarness();
    const user = h.user('a:1delivery-strict');
    await user.say('hello');
    await h.references.saveCardMessage(PLATFORM, cardKey('a:1delivery-strict', 'old'), 'out-gone');
    const result = await h.service.connector.sendProactive('a:1delivery-strict', [
      update('u1', 'old'),
      text('p1', 'The job on your PC finished.'),
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.delivered, 1, 'the text was delivered, the update was not');
    assert.equal(user.sent().at(-1)?.activity.text, 'The job on your PC finished.');
    assert.ok(h.log.of('error').some((line) => /proactive message not delivered/.test(line)));
  });
});
