import assert from 'node:assert/strict';
import { type ApprovalInput, StorageStateError } from '../../../connectors/storage';
import { onEachBackend } from './test-databases';

const HOUR = 60 * 60 * 1000;
let n = 0;
const request = (extra: Partial<ApprovalInput> = {}): ApprovalInput => ({
  conversationKey: `teams:conv-${++n}`,
  requester: 'teams:29:aiko',
  stepId: 'wu-reset-components',
  runbook: 'Reset-WindowsUpdateComponents',
  parameters: { Confirm: true },
  computerName: 'PC-0042',
  workerGroup: 'hrw-pc-0042',
  ttlMs: HOUR,
  ...extra,
});

onEachBackend('approvals', (fx) => {
  it('creates a pending request with its expiry timer, once per step while pending', async () => {
    const input = request();
    const first = await fx.storage.approvals.request(input);
    assert.equal(first.created, true);
    assert.equal(first.approval.status, 'pending');
    assert.equal(first.approval.expiresAt, new Date(fx.clock.now().getTime() + HOUR).toISOString());
    const timer = await fx.storage.timers.get(`approval-expiry:${first.approval.id}`);
    assert.equal(timer?.dueAt, first.approval.expiresAt);
    const again = await (await fx.second()).approvals.request(input);
    assert.deepEqual(again, { created: false, approval: first.approval }, 'a double click asks once');
    const audit = await fx.storage.audit.list({ user: '29:aiko' });
    assert.equal(audit.filter((e) => e.subject === first.approval.id).length, 1);
  });

  it('lets exactly one of two technicians deciding at once win', async () => {
    const other = await fx.second();
    for (let round = 0; round < 5; round++) {
      const { approval } = await fx.storage.approvals.request(request());
      const [a, b] = await Promise.all([
        fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' }),
        other.approvals.decide(approval.id, { approve: false, by: 'teams:29:tech-b', note: 'not now' }),
      ]);
      const winners = [a, b].filter((r) => r.ok);
      assert.equal(winners.length, 1, `round ${round}`);
      const loser = a.ok ? b : a;
      assert.equal(!loser.ok && loser.reason, 'already-decided');
      const stored = await fx.storage.approvals.get(approval.id);
      assert.equal(stored?.decidedBy, a.ok ? 'teams:29:tech-a' : 'teams:29:tech-b');
      assert.equal(await fx.storage.timers.get(`approval-expiry:${approval.id}`), null, 'expiry cancelled');
      const decisions = (await fx.storage.audit.list()).filter(
        (e) => e.subject === approval.id && /approval\.(approved|rejected)/.test(e.action),
      );
      assert.equal(decisions.length, 1, 'one decision audited');
    }
  });

  it('never lets the requester decide, nor anyone after expiry', async () => {
    const { approval } = await fx.storage.approvals.request(request());
    const own = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:aiko' });
    assert.equal(!own.ok && own.reason, 'requester');
    fx.clock.advance(HOUR);
    const late = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.equal(!late.ok && late.reason, 'expired');
    const missing = await fx.storage.approvals.decide('no-such-id', { approve: true, by: 'teams:29:tech-a' });
    assert.equal(!missing.ok && missing.reason, 'not-found');
    assert.equal((await fx.storage.approvals.expire(approval.id))?.status, 'expired');
    assert.equal(await fx.storage.approvals.expire(approval.id), null, 'expires once');
  });
});

onEachBackend('jobs', (fx) => {
  const approved = async () => {
    const { approval } = await fx.storage.approvals.request(request());
    const decided = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.ok(decided.ok);
    return approval.id;
  };

  it('creates one job per approved request, and none for a request not approved', async () => {
    const id = await approved();
    const [a, b] = await Promise.all([
      fx.storage.jobs.createForApproval(id),
      (await fx.second()).jobs.createForApproval(id),
    ]);
    assert.equal([a, b].filter((r) => r.created).length, 1);
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
});
