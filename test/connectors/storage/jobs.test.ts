import assert from 'node:assert/strict';
import { StorageStateError, TERMINAL_STATUSES } from '../../../connectors/storage';
import { request } from './approval-request';
import { onEachBackend } from './test-databases';

onEachBackend('jobs', (fx) => {
  const approved = async () => {
    const { approval } = await fx.storage.approvals.request(request());
    const decided = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.ok(decided.ok);
    return approval.id;
  };

  it('approving writes the job (its intent, with its GUID name) in the same transaction as the decision', async () => {
    const { approval } = await fx.storage.approvals.request(request());
    const decided = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.ok(decided.ok);
    assert.ok(decided.job, 'the decision comes with its job');
    assert.match(decided.job.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(decided.job.status, 'Queued');
    assert.equal(decided.job.startedAt, null, 'nothing sent yet');
    assert.equal((await fx.storage.jobs.forApproval(approval.id))?.id, decided.job.id);
    const entries = (await fx.storage.audit.list({ limit: 1000 })).filter((e) =>
      [approval.id, decided.job?.id].includes(e.subject ?? ''),
    );
    const at = Object.fromEntries(entries.map((e) => [e.action, e.at]));
    assert.equal(at['approval.approved'], at['job.created'], 'one transaction, one time');
    // A rejection has no job.
    const other = await fx.storage.approvals.request(request());
    const rejected = await fx.storage.approvals.decide(other.approval.id, {
      approve: false,
      by: 'teams:29:tech-a',
    });
    assert.ok(rejected.ok);
    assert.equal(rejected.job, null);
    assert.equal(await fx.storage.jobs.forApproval(other.approval.id), null);
  });

  it('creates one job per approved request, and none for a request not approved', async () => {
    const id = await approved();
    const [a, b] = await Promise.all([
      fx.storage.jobs.createForApproval(id),
      (await fx.second()).jobs.createForApproval(id),
    ]);
    assert.equal([a, b].filter((r) => r.created).length, 0, 'the decision already wrote it');
    assert.equal(a.job.id, b.job.id);
    assert.equal(a.job.status, 'Queued');
    assert.equal(a.job.workerGroup, 'hrw-pc-0042');
    const { approval } = await fx.storage.approvals.request(request());
    await assert.rejects(
      fx.storage.jobs.createForApproval(approval.id),
      (e: unknown) => e instanceof StorageStateError && e.code === 'winfix_storage_state',
    );
  });

  it('hands each due job to one poller at a time (SKIP LOCKED with a lease), fenced by the lease', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 6; i++) ids.add((await fx.storage.jobs.createForApproval(await approved())).job.id);
    const other = await fx.second();
    const [mine, theirs] = await Promise.all([
      fx.storage.jobs.claimForPoll('poller-a', 4, 30_000),
      other.jobs.claimForPoll('poller-b', 4, 30_000),
    ]);
    const claimed = [...mine, ...theirs].map((j) => j.id).filter((id) => ids.has(id));
    assert.equal(new Set(claimed).size, claimed.length, 'no job claimed twice');
    assert.equal(claimed.length, 6, 'all claimed between them');
    assert.deepEqual(await fx.storage.jobs.claimForPoll('poller-c', 10, 30_000), [], 'leases hold');

    const job = mine[0] ?? theirs[0];
    assert.ok(job);
    const holder = mine[0] ? 'poller-a' : 'poller-b';
    assert.equal(
      await fx.storage.jobs.recordPoll(job.id, 'poller-c', { status: 'Running', nextPollAt: fx.clock.now() }),
      false,
    );
    const next = new Date(fx.clock.now().getTime() + 15_000);
    assert.equal(
      await fx.storage.jobs.recordPoll(job.id, holder, {
        status: 'Running',
        externalId: 'azure-job-1',
        nextPollAt: next,
      }),
      true,
    );
    const running = await fx.storage.jobs.get(job.id);
    assert.deepEqual(
      [running?.status, running?.externalId, running?.leaseOwner, running?.nextPollAt, running?.polls],
      ['Running', 'azure-job-1', null, next.toISOString(), 1],
    );

    fx.clock.advance(30_000); // every lease ran out, the job's next poll is due
    const again = await fx.storage.jobs.claimForPoll('poller-c', 10, 30_000);
    assert.ok(again.some((j) => j.id === job.id));
    assert.equal(
      await fx.storage.jobs.recordPoll(job.id, holder, { status: 'Failed', nextPollAt: next }),
      false,
      'old holder fenced out',
    );
    assert.equal(
      await fx.storage.jobs.recordPoll(job.id, 'poller-c', {
        status: 'Completed',
        summary: 'Components reset',
        nextPollAt: next,
      }),
      true,
    );
    const done = await fx.storage.jobs.get(job.id);
    assert.deepEqual([done?.terminal, done?.nextPollAt, done?.summary], [true, null, 'Components reset']);
    assert.deepEqual(
      (await fx.storage.jobs.history(job.id)).map((h) => h.status),
      ['Queued', 'Running', 'Completed'],
    );
    fx.clock.advance(60_000);
    const later = await fx.storage.jobs.claimForPoll('poller-d', 10, 30_000);
    assert.ok(!later.some((j) => j.id === job.id), 'a finished job is not polled');
    assert.ok(
      (await fx.storage.audit.list()).some((e) => e.action === 'job.completed' && e.subject === job.id),
    );
  });

  /** A job claimed by `owner`, after the clock moved past every earlier lease. */
  const claimed = async (owner: string) => {
    const { job } = await fx.storage.jobs.createForApproval(await approved());
    fx.clock.advance(10 * 60_000);
    const mine = await fx.storage.jobs.claimForPoll(owner, 100, 30_000);
    assert.ok(mine.some((j) => j.id === job.id));
    for (const other of mine)
      if (other.id !== job.id)
        await fx.storage.jobs.recordPoll(other.id, owner, {
          status: 'Stopped',
          nextPollAt: fx.clock.now(),
        });
    return job;
  };

  it('audits every status change, and a finished job with its summary and output digest', async () => {
    const job = await claimed('poller-a');
    const next = () => new Date(fx.clock.now().getTime() + 1000);
    assert.ok(
      await fx.storage.jobs.recordPoll(job.id, 'poller-a', { status: 'Running', nextPollAt: next() }),
    );
    fx.clock.advance(1000);
    await fx.storage.jobs.claimForPoll('poller-a', 100, 30_000);
    assert.ok(
      await fx.storage.jobs.recordPoll(job.id, 'poller-a', { status: 'Running', nextPollAt: next() }),
    );
    fx.clock.advance(1000);
    await fx.storage.jobs.claimForPoll('poller-a', 100, 30_000);
    const outputDigest = 'ab'.repeat(32);
    assert.ok(
      await fx.storage.jobs.recordPoll(job.id, 'poller-a', {
        status: 'Failed',
        detail: 'exit code 1',
        summary: 'not ok: access denied',
        outputDigest,
        nextPollAt: next(),
      }),
    );
    const done = await fx.storage.jobs.get(job.id);
    assert.deepEqual(
      [done?.terminal, done?.outputDigest, done?.summary],
      [true, outputDigest, 'not ok: access denied'],
    );
    const audit = (await fx.storage.audit.list()).filter((e) => e.subject === job.id);
    assert.deepEqual(
      audit.filter((e) => e.action !== 'job.created').map((e) => [e.action, e.data]),
      [
        ['job.status', { from: 'Queued', to: 'Running', detail: null }],
        ['job.status', { from: 'Running', to: 'Failed', detail: 'exit code 1' }],
        [
          'job.failed',
          {
            detail: 'exit code 1',
            summary: 'not ok: access denied',
            outputDigest,
            approvalId: job.approvalId,
          },
        ],
      ],
      'no entry for a poll that changed nothing',
    );
  });

  it('treats Suspended as finished: it waits for a person, so polling stops', async () => {
    assert.ok((TERMINAL_STATUSES as readonly string[]).includes('Suspended'));
    const job = await claimed('poller-s');
    assert.ok(
      await fx.storage.jobs.recordPoll(job.id, 'poller-s', {
        status: 'Suspended',
        nextPollAt: fx.clock.now(),
      }),
    );
    const stored = await fx.storage.jobs.get(job.id);
    assert.deepEqual([stored?.terminal, stored?.nextPollAt], [true, null]);
    fx.clock.advance(60_000);
    assert.ok(!(await fx.storage.jobs.claimForPoll('poller-t', 100, 30_000)).some((j) => j.id === job.id));
    assert.ok(!(await fx.storage.jobs.open()).some((j) => j.id === job.id));
    assert.ok(
      (await fx.storage.audit.list()).some((e) => e.action === 'job.suspended' && e.subject === job.id),
    );
  });

  it('marks the first create attempt once, for the lease holder only, so a retry reads the job back first', async () => {
    const job = await claimed('poller-a');
    assert.equal(job.startedAt, null);
    assert.deepEqual(
      (await fx.storage.jobs.open()).find((j) => j.id === job.id)?.id,
      job.id,
      'an unfinished job is open',
    );
    assert.equal((await fx.storage.jobs.forApproval(job.approvalId))?.id, job.id);
    assert.equal(await fx.storage.jobs.forApproval('no-such-approval'), null);
    const first = fx.clock.now().toISOString();
    assert.equal(await fx.storage.jobs.markStarting(job.id, 'poller-a'), false, 'never sent before');
    assert.equal((await fx.storage.jobs.get(job.id))?.startedAt, first);
    await assert.rejects(fx.storage.jobs.markStarting(job.id, 'poller-b'), StorageStateError);

    // The holder dies before it records anything; its lease runs out and another process takes over.
    fx.clock.advance(30_000);
    const other = await fx.second();
    assert.ok((await other.jobs.claimForPoll('poller-b', 100, 30_000)).some((j) => j.id === job.id));
    await assert.rejects(fx.storage.jobs.markStarting(job.id, 'poller-a'), StorageStateError, 'fenced out');
    assert.equal(await other.jobs.markStarting(job.id, 'poller-b'), true, 'it may have been sent');
    const stored = await other.jobs.get(job.id);
    assert.deepEqual(
      [stored?.startedAt, stored?.leaseOwner],
      [first, 'poller-b'],
      'the first attempt is kept',
    );
    const starts = (await fx.storage.audit.list()).filter(
      (e) => e.action === 'job.starting' && e.subject === job.id,
    );
    assert.deepEqual(
      starts.map((e) => e.data.attemptedBefore),
      [false, true],
    );
  });
});
