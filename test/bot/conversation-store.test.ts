import assert from 'node:assert/strict';
import { newConversation } from '../../bot/conversation-state';
import { InMemoryConversationStore } from '../../bot/conversation-store';
import { BOT_ERROR_CLASSES, ConversationConflictError } from '../../bot/errors';

const who = { platform: 'test', userId: 'u1', displayName: null };
const at = new Date('2026-03-01T09:00:00Z');

describe('InMemoryConversationStore', () => {
  it('saves version 1 first, then increments', async () => {
    const store = new InMemoryConversationStore();
    assert.equal(await store.get('test:c1'), null);
    const saved = await store.save(newConversation('test:c1', who, 'en', at), 0);
    assert.equal(saved.version, 1);
    const again = await store.save({ ...saved, phase: 'guiding' }, 1);
    assert.equal(again.version, 2);
    assert.equal((await store.get('test:c1'))?.phase, 'guiding');
  });

  it('detects a save made from a stale read (optimistic versioning)', async () => {
    const store = new InMemoryConversationStore();
    await store.save(newConversation('test:c1', who, 'en', at), 0);
    const first = await store.get('test:c1');
    const second = await store.get('test:c1');
    assert.ok(first && second);
    await store.save({ ...first, locale: 'ja' }, first.version);
    await assert.rejects(
      store.save({ ...second, locale: 'ru' }, second.version),
      (error: unknown) =>
        error instanceof ConversationConflictError &&
        error.code === 'winfix_bot_conversation_conflict' &&
        error.expectedVersion === 1 &&
        error.actualVersion === 2,
    );
    assert.equal((await store.get('test:c1'))?.locale, 'ja');
  });

  it('refuses to create a conversation twice', async () => {
    const store = new InMemoryConversationStore();
    await store.save(newConversation('test:c1', who, 'en', at), 0);
    await assert.rejects(store.save(newConversation('test:c1', who, 'en', at), 0), ConversationConflictError);
  });

  it('hands out copies, never its own objects', async () => {
    const store = new InMemoryConversationStore();
    const state = newConversation('test:c1', who, 'en', at);
    const saved = await store.save(state, 0);
    state.words.push('changed after save');
    saved.facts.queue.push('0x80070005');
    const read = await store.get('test:c1');
    assert.equal(read?.words.length, 0);
    assert.deepEqual(read?.facts.queue, []);
    read?.words.push('changed after get');
    assert.deepEqual((await store.get('test:c1'))?.words, []);
    assert.equal(store.size, 1);
  });
});

describe('bot errors', () => {
  it('have unique winfix_ codes', () => {
    const codes = BOT_ERROR_CLASSES.map((C) => new C('k' as never, 0 as never, 0 as never).code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_bot_[a-z_]+$/);
  });
});
