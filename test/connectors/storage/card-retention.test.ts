import assert from 'node:assert/strict';
import { readConfig } from '../../../cli/config';
import { effectiveConfig } from '../../../cli/config-command';
import type { SqlExecutor } from '../../../connectors/storage/sql';
import { SqlReferenceStore } from '../../../connectors/storage/sql-reference-store';
import { onEachBackend } from './test-databases';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

describe('card messages are not kept forever', function () {
  this.timeout(60_000);
  onEachBackend('card retention (card_messages)', (fixture) => {
    const store = (options: { pruneLimit?: number; db?: SqlExecutor } = {}) =>
      new SqlReferenceStore(options.db ?? fixture.storage.db, fixture.clock, {
        cardRetentionDays: 30,
        pruneEveryMs: HOUR,
        pruneLimit: options.pruneLimit,
        log: fixture.log,
      });
    // One database for the block: each test starts with no cards (a pruning reaches every old one).
    beforeEach(() => fixture.storage.db.query('DELETE FROM card_messages'));

    const cardIds = async (prefix: string) =>
      (
        await fixture.storage.db.query<{ card_id: string }>(
          'SELECT card_id FROM card_messages WHERE card_id LIKE $1 ORDER BY card_id',
          [`${prefix}%`],
        )
      ).rows.map((r) => r.card_id);

    it('forgets a card not shown for the retention period; a card shown again since is kept', async () => {
      const cards = store();
      await cards.saveCardMessage('teams', 'a:old', 'm1', { kind: 'step' });
      await cards.saveCardMessage('teams', 'a:redrawn', 'm2', { kind: 'approval' });
      fixture.clock.advance(20 * DAY);
      await cards.saveCardMessage('teams', 'a:redrawn', 'm2', { kind: 'approval', status: 'running' });
      fixture.clock.advance(11 * DAY);
      await cards.saveCardMessage('slack', 'a:new', 'm3', { kind: 'step' });
      assert.deepEqual(await cardIds('a:'), ['a:new', 'a:redrawn']);
      assert.equal(await cards.getCardMessage('teams', 'a:old'), null);
      assert.deepEqual(await cards.getCardContent('teams', 'a:redrawn'), {
        kind: 'approval',
        status: 'running',
      });
    });

    it('prunes at most once an hour per instance, and at most the limit, oldest first', async () => {
      const cards = store({ pruneLimit: 2 });
      for (const id of ['b:1', 'b:2', 'b:3']) {
        await cards.saveCardMessage('teams', id, `m-${id}`);
        fixture.clock.advance(1000);
      }
      fixture.clock.advance(31 * DAY);
      await cards.saveCardMessage('teams', 'b:4', 'm4');
      assert.deepEqual(await cardIds('b:'), ['b:3', 'b:4'], 'the two oldest went');
      fixture.clock.advance(HOUR - 1);
      await cards.saveCardMessage('teams', 'b:5', 'm5');
      assert.deepEqual(await cardIds('b:'), ['b:3', 'b:4', 'b:5'], 'not again within the hour');
      fixture.clock.advance(2);
      await cards.saveCardMessage('teams', 'b:6', 'm6');
      assert.deepEqual(await cardIds('b:'), ['b:4', 'b:5', 'b:6']);
    });

    it('two instances pruning at once delete each card once', async () => {
      const other = await fixture.second();
      for (let i = 0; i < 40; i++)
        await store().saveCardMessage('teams', `c:${String(i).padStart(2, '0')}`, `m${i}`);
      fixture.clock.advance(31 * DAY);
      const before = new Date(fixture.clock.now().getTime() - 30 * DAY);
      const here = store({ pruneLimit: 25 });
      const there = new SqlReferenceStore(other.db, fixture.clock, { cardRetentionDays: 30, pruneLimit: 25 });
      const [a, b] = await Promise.all([here.pruneCards(before), there.pruneCards(before)]);
      const [c, d] = await Promise.all([here.pruneCards(before), there.pruneCards(before)]);
      assert.equal(a + b + c + d, 40);
      assert.deepEqual(await cardIds('c:'), []);
    });

    it('a pruning that fails is logged and the card is saved anyway', async () => {
      const db = fixture.storage.db;
      const failing = new Proxy(db, {
        get(target, name, receiver) {
          if (name === 'query')
            return (text: string, values?: unknown[]) =>
              /DELETE FROM card_messages/.test(text)
                ? Promise.reject(new Error('canceling statement due to lock timeout'))
                : target.query(text, values);
          return Reflect.get(target, name, receiver);
        },
      });
      fixture.clock.advance(DAY);
      await store({ db: failing }).saveCardMessage('teams', 'd:1', 'm1', { kind: 'step' });
      assert.equal(await store().getCardMessage('teams', 'd:1'), 'm1');
      assert.ok(
        fixture.log
          .of('warn')
          .some((m) => /old card messages could not be pruned: canceling statement/.test(m)),
        fixture.log.of('warn').join('\n'),
      );
    });
  });
});

describe('WINFIX_CARD_RETENTION_DAYS', () => {
  it('is 90 days unless set, and is listed by config check', () => {
    assert.equal(readConfig({}).storage.cardRetentionDays, 90);
    assert.equal(readConfig({ WINFIX_CARD_RETENTION_DAYS: ' 14 ' }).storage.cardRetentionDays, 14);
    assert.equal(
      effectiveConfig(readConfig({ WINFIX_CARD_RETENTION_DAYS: '14' })).WINFIX_CARD_RETENTION_DAYS,
      '14 days',
    );
    assert.equal(
      effectiveConfig(readConfig({ WINFIX_STORAGE: 'memory' })).WINFIX_CARD_RETENTION_DAYS,
      '(not used)',
    );
  });

  for (const bad of ['0', '-3', '1.5', '3651', 'forever', '9999999'])
    it(`refuses ${JSON.stringify(bad)} with a sentence naming the variable`, () =>
      assert.throws(
        () => readConfig({ WINFIX_CARD_RETENTION_DAYS: bad }),
        new RegExp(
          `^Error: WINFIX_CARD_RETENTION_DAYS must be a whole number of days, 1–3650 \\(got "${bad.replace('.', '\\.')}"\\)$`,
        ),
      ));
});
