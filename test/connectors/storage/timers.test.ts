import assert from 'node:assert/strict';
import {
  APPROVAL_EXPIRY,
  openStorage,
  type Storage,
  type Timer,
  TimerRunner,
  type TimerRunnerOptions,
} from '../../../connectors/storage';
import { onEachBackend } from './test-databases';

const runner = (
  storage: Storage,
  handlers: TimerRunnerOptions['handlers'],
  owner: string,
  leaseMs = 60_000,
) =>
  new TimerRunner({
    timers: storage.timers,
    handlers,
    owner,
    clock: storage.clock,
    log: storage.log,
    badRows: storage.badRows,
    leaseMs,
    batch: 5,
  });

onEachBackend('durable timers', (fx) => {
  it('fire exactly once between two bot processes', async () => {
    const fired: string[] = [];
    const handler = async (timer: Timer) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      fired.push(timer.id);
    };
    const other = await fx.second();
    const due = fx.clock.now();
    for (let i = 0; i < 40; i++)
      await fx.storage.timers.schedule({ id: `once-${i}`, kind: 'once', dueAt: due });
    const a = runner(fx.storage, { once: handler }, 'process-a');
    const b = runner(other, { once: handler }, 'process-b');
    for (let round = 0; round < 20 && fired.length < 40; round++)
      await Promise.all([a.runOnce(), b.runOnce()]);
    assert.equal(fired.length, 40);
    assert.equal(new Set(fired).size, 40, 'no timer fired twice');
    const { rows } = await fx.storage.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timers WHERE kind = 'once' AND fired_at IS NOT NULL`,
    );
    assert.equal(rows[0]?.n, 40);
  });

  it('run in the background once started, until stopped', async () => {
    await fx.storage.timers.schedule({ id: 'background', kind: 'background', dueAt: fx.clock.now() });
    let resolveFired: (id: string) => void = () => {};
    const fired = new Promise<string>((resolve) => {
      resolveFired = resolve;
    });
    const r = new TimerRunner({
      ...runnerOptions(fx.storage, { background: async (t) => resolveFired(t.id) }),
      intervalMs: 10,
    });
    r.start();
    assert.equal(await fired, 'background');
    await r.stop();
    assert.ok((await fx.storage.timers.get('background'))?.firedAt);
  });

  it('wait until due, and only the kinds a runner handles are claimed', async () => {
    fx.clock.advance(1000);
    await fx.storage.timers.schedule({
      id: 'later',
      kind: 'later',
      dueAt: new Date(fx.clock.now().getTime() + 5000),
    });
    await fx.storage.timers.schedule({ id: 'other-kind', kind: 'not-mine', dueAt: fx.clock.now() });
    const fired: string[] = [];
    const r = runner(fx.storage, { later: async (t) => void fired.push(t.id) }, 'process-a');
    assert.equal((await r.runOnce()).fired, 0);
    fx.clock.advance(5000);
    assert.equal((await r.runOnce()).fired, 1);
    assert.deepEqual(fired, ['later']);
    assert.equal((await fx.storage.timers.get('other-kind'))?.firedAt, null);
  });

  it("survive a restart, and a crashed claimer's timer fires after its lease runs out", async () => {
    const due = fx.clock.now();
    await fx.storage.timers.schedule({ id: 'restart-1', kind: 'restart', dueAt: due });
    await fx.storage.timers.schedule({ id: 'crash-1', kind: 'crash', dueAt: due });
    // A process claims crash-1 and dies before finishing.
    const crashed = await fx.storage.timers.claimDue('dead-process', ['crash'], 10, 30_000);
    assert.deepEqual(
      crashed.map((t) => t.id),
      ['crash-1'],
    );

    // Restart: close everything, open the same database again.
    const options = fx.database.options;
    await fx.storage.close();
    fx.storage = await openStorage({ ...options, clock: fx.clock, log: fx.log });
    const fired: string[] = [];
    const handlers = {
      restart: async (t: Timer) => void fired.push(t.id),
      crash: async (t: Timer) => void fired.push(t.id),
    };
    const r = runner(fx.storage, handlers, 'new-process');
    await r.runOnce();
    assert.deepEqual(fired, ['restart-1'], 'the lease still holds crash-1');
    fx.clock.advance(30_000);
    await r.runOnce();
    assert.deepEqual(fired, ['restart-1', 'crash-1']);
    assert.equal(
      await fx.storage.timers.complete('crash-1', 'dead-process'),
      false,
      'the dead claimer cannot mark it',
    );
  });

  it('expire an approval through its timer', async () => {
    const { approval } = await fx.storage.approvals.request({
      conversationKey: 'teams:t-exp',
      requester: 'teams:29:aiko',
      stepId: 'sfc-scan',
      runbook: 'Invoke-SystemFileCheck',
      parameters: {},
      computerName: 'PC-7',
      workerGroup: 'hrw-pc-7',
      ttlMs: 60_000,
    });
    const expired: string[] = [];
    const handlers = {
      [APPROVAL_EXPIRY]: async (t: Timer) => {
        const result = await fx.storage.approvals.expire((t.payload as { approvalId: string }).approvalId);
        if (result) expired.push(result.id);
      },
    };
    const r = runner(fx.storage, handlers, 'process-a');
    await r.runOnce();
    assert.deepEqual(expired, []);
    fx.clock.advance(60_000);
    await r.runOnce();
    assert.deepEqual(expired, [approval.id]);
    assert.equal((await fx.storage.approvals.get(approval.id))?.status, 'expired');
  });

  it('retry a failing handler with backoff, then give up on it and report it, while others fire', async () => {
    const due = fx.clock.now();
    await fx.storage.timers.schedule({
      id: 'bad-payload',
      kind: 'parse',
      payload: 'not an object',
      dueAt: due,
    });
    await fx.storage.timers.schedule({ id: 'good-payload', kind: 'parse', payload: { n: 1 }, dueAt: due });
    const seen: string[] = [];
    const handlers = {
      parse: async (t: Timer) => {
        if (typeof t.payload !== 'object') throw new Error('payload is not an object');
        seen.push(t.id);
      },
    };
    const r = new TimerRunner({ ...runnerOptions(fx.storage, handlers), maxAttempts: 3 });
    const rounds = [];
    for (let i = 0; i < 5; i++) {
      rounds.push(await r.runOnce());
      fx.clock.advance(10_000);
    }
    assert.deepEqual(seen, ['good-payload']);
    assert.deepEqual(
      rounds.map((x) => [x.fired, x.retried, x.failed]),
      [
        [1, 1, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    );
    const bad = await fx.storage.timers.get('bad-payload');
    assert.ok(bad?.failedAt);
    assert.match(bad?.lastError ?? '', /not an object/);
    assert.equal(fx.storage.badRows.count('timers'), 1);
    assert.ok(
      fx.log.of('warn').some((m) => /winfix_storage_bad_row.*bad-payload.*gave up after 3 attempts/.test(m)),
    );
  });
});

function runnerOptions(storage: Storage, handlers: TimerRunnerOptions['handlers']): TimerRunnerOptions {
  return {
    timers: storage.timers,
    handlers,
    owner: 'p',
    clock: storage.clock,
    log: storage.log,
    badRows: storage.badRows,
  };
}
