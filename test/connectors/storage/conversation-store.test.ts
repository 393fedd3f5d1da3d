import assert from 'node:assert/strict';
import { ConversationConflictError, type ConversationState, createBot } from '../../../bot';
import { MAX_HISTORY, newConversation } from '../../../bot/conversation-state';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import { ChatDriver, steppingClock } from '../../bot/chat-driver';
import { onEachBackend } from './test-databases';

const who = { platform: 'test', userId: 'u1', displayName: null };
const at = new Date('2026-03-01T09:00:00Z');
const fresh = (key: string) => newConversation(key, who, 'en', at);

let knowledge: Knowledge;
before(() => {
  knowledge = createKnowledge();
});

onEachBackend('SqlConversationStore', (fx) => {
  it('saves version 1 first, then increments, and reads back what it saved', async () => {
    const store = fx.storage.conversations;
    assert.equal(await store.get('test:c1'), null);
    const saved = await store.save(fresh('test:c1'), 0);
    assert.equal(saved.version, 1);
    const again = await store.save({ ...saved, phase: 'guiding', words: ['0x80070002'] }, 1);
    assert.equal(again.version, 2);
    const read = await store.get('test:c1');
    assert.deepEqual(read, again);
  });

  it('detects a save made from a stale read (optimistic versioning)', async () => {
    const store = fx.storage.conversations;
    await store.save(fresh('test:c2'), 0);
    const first = (await store.get('test:c2')) as ConversationState;
    const second = (await store.get('test:c2')) as ConversationState;
    await store.save({ ...first, locale: 'ja' }, first.version);
    await assert.rejects(
      store.save({ ...second, locale: 'ru' }, second.version),
      (e: unknown) =>
        e instanceof ConversationConflictError &&
        e.code === 'winfix_bot_conversation_conflict' &&
        e.expectedVersion === 1 &&
        e.actualVersion === 2,
    );
    assert.equal((await store.get('test:c2'))?.locale, 'ja');
  });

  it('refuses to create a conversation twice', async () => {
    const store = fx.storage.conversations;
    await store.save(fresh('test:c3'), 0);
    await assert.rejects(store.save(fresh('test:c3'), 0), ConversationConflictError);
  });

  it('lets exactly one of many concurrent saves from one version win, across two store instances', async () => {
    const a = fx.storage.conversations;
    const b = (await fx.second()).conversations;
    const base = await a.save(fresh('test:race'), 0);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      (i % 2 ? a : b).save({ ...base, words: [`attempt ${i}`] }, base.version),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results)
      if (r.status === 'rejected') assert.ok(r.reason instanceof ConversationConflictError, String(r.reason));
    const stored = (await a.get('test:race')) as ConversationState;
    assert.equal(stored.version, 2);
    assert.deepEqual(stored.words, (won[0] as PromiseFulfilledResult<ConversationState>).value.words);
  });

  it('loses no turn when two bot processes answer the same conversation at once (double clicks, retries)', async () => {
    const bots = [fx.storage.conversations, (await fx.second()).conversations].map((store) =>
      createBot({ knowledge, store, clock: steppingClock(), conflictRetries: 30 }),
    );
    const turns = Array.from({ length: 10 }, (_, i) =>
      (bots[i % 2] as (typeof bots)[number]).handle({
        platform: 'test',
        conversationId: 'busy',
        user: { id: 'u1' },
        kind: 'text',
        text: `message ${i}`,
      }),
    );
    await Promise.all(turns);
    const state = (await fx.storage.conversations.get('test:busy')) as ConversationState;
    assert.equal(state.version, 10, 'every turn saved once');
    assert.deepEqual(
      [...state.words].sort(),
      Array.from({ length: 10 }, (_, i) => `message ${i}`).sort(),
      'every message is in the state',
    );
  });

  it('records the step outcomes and an audit entry of a closed case, once', async () => {
    const bot = createBot({
      knowledge,
      store: fx.storage.conversations,
      clock: steppingClock(),
      defaultLocale: 'en',
    });
    const chat = new ChatDriver(bot, 'solved', { id: 'u7', name: 'Aiko' });
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const first = chat.step().stepId;
    await chat.press("Didn't help");
    const second = chat.step().stepId;
    await chat.press('Fixed it');
    assert.equal(chat.one('summary').fixedBy.stepId, second);
    await chat.say('thanks');

    const outcomes = await fx.storage.outcomes.forConversation('test:solved');
    assert.deepEqual(
      outcomes.map((o) => [o.stepId, o.outcome, o.fixed, o.code, o.context, o.osFamily, o.caseResult]),
      [
        [first, 'didnt-help', false, '0x80070002', 'windows-update', 'windows-11', 'resolved'],
        [second, 'fixed', true, '0x80070002', 'windows-update', 'windows-11', 'resolved'],
      ],
    );
    const stats = await fx.storage.outcomes.stats({ code: '0x80070002', context: 'windows-update' });
    assert.deepEqual(
      stats.find((s) => s.stepId === second),
      { code: '0x80070002', context: 'windows-update', stepId: second, tried: 1, fixed: 1 },
    );
    const audit = await fx.storage.audit.list({ user: 'u7' });
    assert.deepEqual(
      audit.map((e) => [e.actor, e.action, e.subject, e.data.fixedBy]),
      [['test:u7', 'case.resolved', 'test:solved', second]],
    );
  });
  it('keeps only the latest cases in the state, yet records every case closed', async () => {
    const bot = createBot({
      knowledge,
      store: fx.storage.conversations,
      clock: steppingClock(),
      defaultLocale: 'en',
    });
    const chat = new ChatDriver(bot, 'long', { id: 'u8', name: 'Kenji' });
    const cases = MAX_HISTORY + 3;
    for (let i = 0; i < cases; i++) {
      await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
      await chat.press('Fixed it');
    }
    const state = await fx.storage.conversations.get('test:long');
    assert.equal(state?.history.length, MAX_HISTORY, 'the state carries the latest cases only');
    assert.equal(state?.casesClosed, cases);
    const audit = await fx.storage.audit.list({ user: 'u8', limit: 100 });
    assert.equal(audit.filter((e) => e.action === 'case.resolved').length, cases, 'every case recorded once');
  });

  it('counts cases of a state saved before the cap by its history', async () => {
    const store = fx.storage.conversations;
    const closed = (n: number): ConversationState['history'][number] => ({
      code: '0x80070002',
      result: 'abandoned',
      fixedBy: null,
      outcomes: [],
      at: new Date(at.getTime() + n * 60_000).toISOString(),
    });
    const { casesClosed: _none, ...older } = fresh('test:old');
    const v1 = await store.save({ ...older, history: [closed(1), closed(2)] }, 0);
    await store.save({ ...v1, history: [closed(1), closed(2), closed(3)], casesClosed: 3 }, 1);
    const audit = await fx.storage.audit.list({ user: 'u1', limit: 100 });
    assert.deepEqual(
      audit.filter((e) => e.action === 'case.abandoned').map((e) => e.at),
      [closed(1).at, closed(2).at, closed(3).at],
      'the two first cases at the first save, the third once at the second',
    );
  });
});
