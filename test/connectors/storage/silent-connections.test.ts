/**
 * PostgreSQL's host dies under the pool's open connections (a failover: the connections stay open and
 * carry nothing, no reset ever comes; new connections reach the new server), played by a TCP proxy on
 * loopback in front of the real server. Each query on a dead connection fails after the query timeout
 * instead of waiting until TCP gives up a quarter of an hour later, and the pool drops those
 * connections: the next queries, and the conversation's next turn, run on new ones.
 */
import assert from 'node:assert/strict';
import { createBot } from '../../../bot';
import { openStorage, type Storage } from '../../../connectors/storage';
import { createKnowledge } from '../../../rules/knowledge';
import { ChatDriver, steppingClock } from '../../bot/chat-driver';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { createTestDatabase, MemoryStorageLog, type TestDatabase } from './test-databases';

const POOL = 3;

describe('PostgreSQL whose host dies under open connections (through a TCP proxy)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let proxy: TcpProxy;
  let storage: Storage;

  beforeEach(async () => {
    db = await createTestDatabase('postgres');
    proxy = await TcpProxy.start('127.0.0.1', 5432);
    storage = await openStorage({
      databaseUrl: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      schema: db.options.schema,
      log: new MemoryStorageLog(),
      poolSize: POOL,
      // Far above what a query needs on loopback, far below TCP's quarter of an hour.
      queryTimeoutMs: 2000,
    });
  });
  afterEach(async () => {
    await storage?.close();
    await proxy?.stop();
    await db?.drop();
  });

  /** Every connection of the pool opened and idle. */
  const fillPool = () =>
    Promise.all(Array.from({ length: POOL }, () => storage.db.query('SELECT pg_sleep(0.05)')));

  it('queries on the dead connections fail instead of hanging; the pool then works on new connections', async () => {
    await fillPool();
    const accepted = proxy.accepted;
    proxy.silence();
    const outcomes = await Promise.all(
      Array.from({ length: POOL }, () =>
        storage.db.query('SELECT 1').then(
          () => 'answered',
          (error: Error) => error.message,
        ),
      ),
    );
    for (const outcome of outcomes) assert.match(outcome, /timeout/i);
    const { rows } = await storage.db.query<{ n: number }>('SELECT 2 AS n');
    assert.deepEqual(rows, [{ n: 2 }]);
    await storage.db.transaction((tx) => tx.query('SELECT 3'));
    assert.ok(proxy.accepted > accepted, 'on new connections');
  });

  it("a turn on a dead connection fails (the connector apologises); the conversation's next turn goes on from the stored step", async () => {
    const bot = createBot({
      knowledge: createKnowledge(),
      store: storage.conversations,
      clock: steppingClock(),
      defaultLocale: 'en',
    });
    const chat = new ChatDriver(bot, 'silent-host');
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(chat.step().position, 1);
    await fillPool();
    proxy.silence();
    // Each turn fails at its first query while dead connections are left in the pool (one each).
    const failures: string[] = [];
    for (let attempt = 0; attempt <= POOL; attempt++) {
      const outcome = await chat.press("Didn't help").then(
        () => null,
        (error: Error) => error.message,
      );
      if (outcome === null) break;
      failures.push(outcome);
    }
    assert.ok(failures.length >= 1 && failures.length <= POOL, `turns failed: ${failures.join('; ')}`);
    for (const failure of failures) assert.match(failure, /timeout/i);
    assert.equal(chat.step().position, 2, 'the conversation went on from the stored step, once');
    assert.equal((await storage.conversations.get('test:silent-host'))?.version, 2);
  });
});
