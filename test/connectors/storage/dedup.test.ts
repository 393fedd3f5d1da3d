import assert from 'node:assert/strict';
import { openExecutor } from '../../../connectors/storage';
import { MemorySeenDeliveries, SqlSeenDeliveries } from '../../../connectors/storage/dedup';
import { createTestDatabase, MemoryStorageLog, onEachBackend, TestClock } from './test-databases';

const TTL = 60_000;

describe('shared duplicate detection', function () {
  // Opening a database (a PGlite initdb, a PostgreSQL schema) can take a while on a busy machine.
  this.timeout(60_000);
  onEachBackend('shared duplicate detection (delivery_keys)', (fixture) => {
    const seen = (options: { purgeEveryMs?: number } = {}) =>
      new SqlSeenDeliveries(fixture.storage.db, { clock: fixture.clock, ttlMs: TTL, ...options });

    const rows = async () =>
      (
        await fixture.storage.db.query<{ key: string; expires_at: Date }>(
          'SELECT key, expires_at FROM delivery_keys ORDER BY key',
        )
      ).rows;

    it('takes a delivery once: the same event, or the same message under another event, is a duplicate', async () => {
      const dedup = seen();
      assert.equal(await dedup.firstTime('t1:event:Ev1', 't1:message:D1:1.1'), true);
      assert.equal(await dedup.firstTime('t1:event:Ev1'), false, 'the retried event');
      assert.equal(await dedup.firstTime('t1:event:Ev2', 't1:message:D1:1.1'), false, 'the same message');
      assert.equal(await dedup.firstTime('t1:event:Ev3', 't1:message:D1:1.2'), true);
      assert.equal(await dedup.firstTime(null, undefined, ''), true, 'no key: nothing to compare with');
    });

    it('answers one of two instances on the same database, even when they ask at the same moment', async () => {
      const other = await fixture.second();
      const here = seen();
      const there = new SqlSeenDeliveries(other.db, { clock: fixture.clock, ttlMs: TTL });
      const winners: number[] = [];
      for (let i = 0; i < 25; i++) {
        const keys = [`t2:event:Ev${i}`, `t2:message:C1:${i}.0`];
        // The second instance names the keys in the other order: no deadlock, still one winner.
        const answers = await Promise.all([here.firstTime(...keys), there.firstTime(...[...keys].reverse())]);
        winners.push(answers.filter(Boolean).length);
      }
      assert.deepEqual(winners, Array(25).fill(1));
    });

    it('forgets a key after its TTL (taking over the expired row) and purges expired rows', async () => {
      const dedup = seen({ purgeEveryMs: 10 * TTL });
      assert.equal(await dedup.firstTime('t3:event:old'), true);
      fixture.clock.advance(TTL - 1);
      assert.equal(await dedup.firstTime('t3:event:old'), false, 'still within the TTL');
      fixture.clock.advance(2);
      assert.equal(await dedup.firstTime('t3:event:old'), true, 'expired, not purged yet: new again');
      assert.equal(await dedup.firstTime('t3:event:old'), false, 'and taken again');
      const taken = (await rows()).find((r) => r.key === 't3:event:old');
      assert.equal(taken?.expires_at.getTime(), fixture.clock.now().getTime() + TTL);

      fixture.clock.advance(TTL + 1);
      const before = (await rows()).length;
      assert.ok(before > 0);
      assert.equal(await dedup.purgeExpired(), before, 'everything so far has expired');
      assert.deepEqual(await rows(), []);

      // Purged on a delivery too, at most once per purgeEveryMs.
      const purging = seen({ purgeEveryMs: TTL });
      assert.equal(await purging.firstTime('t3:a'), true);
      fixture.clock.advance(TTL + 1);
      assert.equal(await purging.firstTime('t3:b'), true);
      assert.deepEqual(
        (await rows()).map((r) => r.key),
        ['t3:b'],
        't3:a was purged by the delivery of t3:b',
      );
    });

    it('keeps platforms apart by namespace', async () => {
      const slack = new SqlSeenDeliveries(fixture.storage.db, { clock: fixture.clock, namespace: 'slack' });
      const teams = new SqlSeenDeliveries(fixture.storage.db, { clock: fixture.clock, namespace: 'teams' });
      assert.equal(await slack.firstTime('t6:event:1'), true);
      assert.equal(await teams.firstTime('t6:event:1'), true, 'another platform, another key');
      assert.equal(await slack.firstTime('t6:event:1'), false);
      assert.ok((await rows()).some((r) => r.key === 'slack:t6:event:1'));
    });

    it('stores a very long key as its digest, still recognised', async () => {
      const dedup = seen();
      const long = `t4:event:${'x'.repeat(5000)}`;
      assert.equal(await dedup.firstTime(long), true);
      assert.equal(await dedup.firstTime(long), false);
      assert.equal(await dedup.firstTime(`${long}y`), true);
      assert.ok((await rows()).every((r) => r.key.length <= 200));
    });
  });
});

describe('shared duplicate detection when the database cannot answer', () => {
  it('handles the delivery and says why (a duplicate answer beats none)', async () => {
    // A database without the schema: every query fails, as a real one would.
    const database = await createTestDatabase('postgres');
    const db = await openExecutor(database.options);
    try {
      const log = new MemoryStorageLog();
      const dedup = new SqlSeenDeliveries(db, { clock: new TestClock(), log });
      assert.equal(await dedup.firstTime('t5:event:Ev1'), true);
      assert.equal(await dedup.firstTime('t5:event:Ev1'), true);
      assert.match(
        log.of('warn')[0] ?? '',
        /duplicate check failed, handling the delivery anyway .*delivery_keys/,
      );
    } finally {
      await db.close();
      await database.drop();
    }
  });
});

describe('in-memory duplicate detection (no database)', () => {
  it('has the same answers in one process, bounded', () => {
    const clock = new TestClock();
    const dedup = new MemorySeenDeliveries({ clock, ttlMs: TTL, maxEntries: 3 });
    assert.equal(dedup.firstTime('event:1', 'message:D1:1.1'), true);
    assert.equal(dedup.firstTime('event:2', 'message:D1:1.1'), false);
    clock.advance(TTL + 1);
    assert.equal(dedup.firstTime('event:1'), true);
    for (const k of ['a', 'b', 'c', 'd']) dedup.firstTime(k);
    assert.equal(dedup.size, 3);
  });
});
