import assert from 'node:assert/strict';
import { ConversationQueue } from '../../../connectors/chat/conversation-queue';

describe('conversation queue', () => {
  it("submit resolves with the work's value, rejects with its error, one conversation in order", async () => {
    const queue = new ConversationQueue();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.submit('a', async () => {
      await gate;
      order.push('a1');
      return 1;
    });
    const failing = queue.submit('a', async () => {
      order.push('a2');
      throw new Error('core failed');
    });
    const third = queue.submit('a', async () => {
      order.push('a3');
      return 'three';
    });
    // Another conversation does not wait for the first.
    assert.equal(await queue.submit('b', async () => 'b'), 'b');
    assert.deepEqual(order, []);
    release();
    assert.equal(await first, 1);
    await assert.rejects(failing, /core failed/);
    assert.equal(await third, 'three');
    assert.deepEqual(order, ['a1', 'a2', 'a3']);
    // A work that resolves with undefined is a value, not "not run".
    assert.equal(await queue.submit('a', async () => undefined), undefined);
    await queue.idle();
  });
});
