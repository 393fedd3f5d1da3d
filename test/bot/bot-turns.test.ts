import assert from 'node:assert/strict';
import {
  BotInputError,
  ConversationBusyError,
  ConversationConflictError,
  type ConversationState,
  type ConversationStore,
  createBot,
  type IncomingMessage,
  InMemoryConversationStore,
} from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { Planner } from '../../rules/planner/planner';
import { createUnderstander } from '../../rules/understand';
import { is, kbOf, rule, step } from '../helpers/kb-fixture';
import { ChatDriver, steppingClock } from './chat-driver';

const text = (t: string, conversationId = 'c1'): IncomingMessage => ({
  platform: 'test',
  conversationId,
  user: { id: 'u1' },
  kind: 'text',
  text: t,
});

/** A store where another writer saves between this turn's read and its save, `times` times. */
class RacingStore implements ConversationStore {
  readonly inner = new InMemoryConversationStore();
  saves = 0;
  constructor(public times: number) {}
  get(key: string) {
    return this.inner.get(key);
  }
  async save(state: ConversationState, expectedVersion: number) {
    this.saves += 1;
    if (this.times > 0) {
      this.times -= 1;
      const rival = await this.inner.get(state.key);
      if (rival) await this.inner.save({ ...rival, words: [...rival.words, 'rival'] }, rival.version);
    }
    return this.inner.save(state, expectedVersion);
  }
}

describe('bot turns', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  it('re-runs a turn when the conversation changed under it (optimistic versioning)', async () => {
    const store = new RacingStore(0);
    const bot = createBot({ knowledge, store, clock: steppingClock() });
    await bot.handle(text('hello'));
    store.times = 1;
    store.saves = 0;
    const replies = await bot.handle(text('0x80070002 in Windows Update'));
    assert.equal(store.saves, 2, 'one conflict, one retry');
    assert.ok(replies.some((m) => m.kind === 'code'));
    const saved = await store.inner.get('test:c1');
    assert.equal(saved?.version, 3, 'hello, the rival, the retried turn');
    assert.deepEqual(
      saved?.words,
      ['hello', 'rival', '0x80070002 in Windows Update'],
      'the rival write is kept',
    );
  });

  it('gives up with winfix_bot_conversation_busy when the conflicts do not stop', async () => {
    const store = new RacingStore(0);
    const bot = createBot({ knowledge, store, conflictRetries: 2 });
    await bot.handle(text('hello'));
    store.times = 100;
    store.saves = 0;
    await assert.rejects(
      bot.handle(text('0x80070002')),
      (error: unknown) =>
        error instanceof ConversationBusyError &&
        error.code === 'winfix_bot_conversation_busy' &&
        error.cause instanceof ConversationConflictError,
    );
    assert.equal(store.saves, 3);
  });

  it('keeps both of two messages that arrive at once', async () => {
    const store = new InMemoryConversationStore();
    const bot = createBot({ knowledge, store });
    await Promise.all([bot.handle(text('hello')), bot.handle(text('hi there'))]);
    const saved = await store.get('test:c1');
    assert.equal(saved?.version, 2);
    assert.deepEqual([...(saved?.words ?? [])].sort(), ['hello', 'hi there']);
  });

  it('refuses an input without a conversation', async () => {
    const bot = createBot({ knowledge });
    await assert.rejects(bot.handle({ ...text('hi'), conversationId: '' }), BotInputError);
  });

  it('gives every message a unique id and points card updates at earlier cards', async () => {
    const chat = new ChatDriver(createBot({ knowledge }));
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await chat.press("Didn't help");
    await chat.press('Skip');
    await chat.say('english');
    const ids = chat.transcript.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const update of chat.transcript.filter((m) => m.kind === 'card-update'))
      assert.ok(ids.indexOf(update.cardId) < ids.indexOf(update.id));
  });

  it('keeps conversations apart', async () => {
    const bot = createBot({ knowledge });
    const a = new ChatDriver(bot, 'a');
    const b = new ChatDriver(bot, 'b');
    await a.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await b.say('hello');
    assert.equal(b.of('step').length, 0);
    await a.press("Didn't help");
    assert.equal(a.step().position, 2);
  });

  it('goes to the verification step a fix leads to before calling it resolved', async () => {
    const kb = kbOf(
      [
        step('restart-pc', 0, { failure: 'reset-cache' }, { reveals: [] }),
        step('reset-cache', 3, { success: 'check-update' }),
        step('check-update', 1),
      ],
      [rule('entry', [is('code', '0x80070002')], 'entry', 'restart-pc')],
    );
    kb.releases = knowledge.kb.releases;
    const small: Knowledge = {
      kb,
      planner: new Planner(kb),
      understand: createUnderstander({ aliases: {}, releases: kb.releases }),
    };
    const chat = new ChatDriver(createBot({ knowledge: small }));
    await chat.say('Windows Update fails with 0x80070002 on Windows 10');
    assert.equal(chat.step().stepId, 'restart-pc');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'reset-cache');
    await chat.press('Fixed it');
    assert.equal(chat.step().stepId, 'check-update');
    assert.equal(chat.step().total, 3);
    await chat.press('Fixed it');
    const summary = chat.one('summary');
    assert.equal(summary.fixedBy.stepId, 'reset-cache', 'the verification confirms; the reset fixed it');
  });

  it('plans without a code when the user has none', async () => {
    const chat = new ChatDriver(createBot({ knowledge }));
    await chat.say('Microsoft Store will not install apps');
    assert.equal(chat.one('question').topic, 'code');
    await chat.press('I have no error code');
    assert.equal(chat.one('question').topic, 'os');
    await chat.press('Windows 11 24H2');
    const outcome = chat.of('step')[0] ?? chat.one('handoff');
    assert.ok(outcome, 'a step, or a hand-off when the KB has nothing for the context alone');
  });
});
