import assert from 'node:assert/strict';
import { createBot } from '../../../bot';
import { createKnowledge } from '../../../rules/knowledge';
import { ChatDriver, steppingClock } from '../../bot/chat-driver';
import { onEachBackend } from './test-databases';

const BAD_STATES: [string, string][] = [
  ['wrong-shape', JSON.stringify({ key: 'test:wrong-shape', version: 3, phase: 42 })],
  ['not-an-object', JSON.stringify('just a string')],
  ['other-key', JSON.stringify({ key: 'test:somebody-else' })],
];

onEachBackend('bad rows', (fx) => {
  before(async () => {
    for (const [id, state] of BAD_STATES)
      await fx.storage.db.query(
        `INSERT INTO conversations (key, version, state, updated_at) VALUES ($1, 3, $2::jsonb, now())`,
        [`test:${id}`, state],
      );
  });

  it('a conversation whose stored state fails validation is reported, kept aside, and starts afresh', async () => {
    const knowledge = createKnowledge();
    const bot = createBot({
      knowledge,
      store: fx.storage.conversations,
      clock: steppingClock(),
      defaultLocale: 'en',
    });
    const chat = new ChatDriver(bot, 'wrong-shape');
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(chat.step().position, 1, 'the conversation works');
    await chat.press("Didn't help");
    assert.equal(chat.step().position, 2);
    assert.equal((await fx.storage.conversations.get('test:wrong-shape'))?.version, 2);
    assert.equal(fx.storage.badRows.count('conversations'), 1);
    assert.ok(
      fx.log
        .of('warn')
        .some((m) =>
          /^\[winfix_storage_bad_row\] .*conversations \(test:wrong-shape\): state fails validation at who/.test(
            m,
          ),
        ),
      fx.log.of('warn').join('\n'),
    );
    const { rows } = await fx.storage.db.query<{ key: string; data: string; error: string }>(
      `SELECT key, data, error FROM quarantine WHERE key = 'test:wrong-shape'`,
    );
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.data ?? '', /"phase":\s*42/, 'the bad data is kept for a person to look at');
  });

  it('each bad row is kept aside and reported once, even when two processes read it at once', async () => {
    const other = await fx.second();
    const reads = await Promise.all([
      fx.storage.conversations.get('test:not-an-object'),
      other.conversations.get('test:not-an-object'),
      fx.storage.conversations.get('test:other-key'),
    ]);
    assert.deepEqual(reads, [null, null, null]);
    const { rows } = await fx.storage.db.query<{ key: string; n: number }>(
      `SELECT key, count(*)::int AS n FROM quarantine GROUP BY key ORDER BY key`,
    );
    assert.deepEqual(
      rows.map((r) => [r.key, r.n]),
      [
        ['test:not-an-object', 1],
        ['test:other-key', 1],
        ['test:wrong-shape', 1],
      ],
    );
    assert.equal(
      await fx.storage.conversations.get('test:not-an-object'),
      null,
      'and nothing is left to trip on',
    );
  });
});
