import assert from 'node:assert/strict';
import { createBot, InMemoryConversationStore } from '../../bot';
import { createKnowledge } from '../../rules/knowledge';
import { ChatDriver, steppingClock } from './chat-driver';

describe('resuming a conversation (a client back after a restart)', () => {
  const knowledge = createKnowledge();

  it('shows nothing for a conversation that never started, and the first message still greets', async () => {
    const store = new InMemoryConversationStore();
    const chat = new ChatDriver(createBot({ knowledge, store, clock: steppingClock() }));
    assert.deepEqual(await chat.act({ verb: 'resume' }, null), []);
    assert.equal(store.size, 0);
    const first = await chat.say('hello');
    assert.ok(
      first.some((m) => m.kind === 'text' && /winfix/.test(m.text)),
      JSON.stringify(first),
    );
  });

  it('shows the open step again, and its buttons work', async () => {
    const store = new InMemoryConversationStore();
    const chat = new ChatDriver(createBot({ knowledge, store, clock: steppingClock() }));
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const before = chat.card;
    assert.equal(before?.kind, 'step');
    // A new process: a new bot over the same store, and a driver that has seen nothing yet.
    const again = new ChatDriver(
      createBot({ knowledge, store, clock: steppingClock('2026-03-02T10:00:00Z') }),
    );
    const shown = await again.act({ verb: 'resume' }, null);
    const step = shown.find((m) => m.kind === 'step');
    assert.ok(step && before && step.kind === 'step' && before.kind === 'step');
    assert.equal(step.stepId, before.stepId);
    const next = await again.press(/Didn't help/);
    assert.ok(next.some((m) => m.kind === 'step' && m.stepId !== step.stepId));
  });
});
