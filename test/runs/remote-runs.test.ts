/**
 * Remote runs end to end below the chat connectors: the core, the coordinator, real storage
 * (PostgreSQL), the job poller and the Azure Automation executor against a fake ARM that checks every
 * request against job.json and counts creates. The connectors' own part (cards over HTTP) is tested in
 * test/connectors/*.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { healthOutput } from '../helpers/remote-fixtures';
import {
  AIKO,
  enrollAiko,
  KENJI,
  MALLORY,
  type Remote,
  requestDiagnostics,
  startRemote,
  YUKI,
} from './remote-harness';

const HEALTH_OUTPUT = healthOutput({ freeDiskGb: 3.5, clockSkewMinutes: 14, disabledServices: ['wuauserv'] });

describe('remote runs: request → approval → job → result (PostgreSQL, fake ARM)', () => {
  let knowledge: Knowledge;
  let r: Remote;

  before(() => {
    knowledge = createKnowledge();
  });
  beforeEach(async () => {
    r = await startRemote(knowledge);
    await enrollAiko(r.storage);
  });
  afterEach(async () => {
    await r.close();
    assert.deepEqual(r.fake.problems, [], 'every ARM request matched job.json');
  });

  const requestId = () => {
    const card = r.notifier.posted[0];
    assert.ok(card, 'an approval card was posted');
    return card.requestId;
  };
  const approveAction = () => r.notifier.posted[0]?.choices.find((c) => c.action.verb === 'approve')?.action;
  const jobOf = async (id: string) => {
    const job = await r.storage.jobs.forApproval(id);
    assert.ok(job, 'a job exists');
    return job;
  };

  it('posts the card with what would run where and why; approve → one job → result to both sides', async () => {
    await requestDiagnostics(r.chat);
    const card = r.notifier.posted[0];
    assert.equal(card?.status, 'pending');
    const facts = Object.fromEntries(card?.facts.map((f) => [f.label, f.value]) ?? []);
    assert.equal(facts['Requested by'], 'Aiko Tanaka');
    assert.equal(facts['PC (worker group)'], 'PC-0042 (hrw-pc-0042)');
    assert.equal(facts['Error code'], '0x8007045b');
    assert.equal(facts.Runbook, 'Get-UpdateHealth');
    assert.equal(facts.Parameters, 'none');
    assert.equal(facts.Restart, 'no');
    assert.equal(facts['Decide by'], '2026-03-02 09:30 UTC');
    assert.ok(card?.tried.some((t) => t.startsWith('Check the date, time and time zone')));
    assert.ok(card?.reasonInput, 'a reason field while pending');

    assert.match(await r.press(KENJI, approveAction()), /Approved\. The job starts on PC-0042/);
    const decided = r.notifier.card(requestId());
    assert.equal(decided?.status, 'approved');
    assert.equal(decided?.decision, 'Approved by Kenji Sato at 2026-03-02 09:00 UTC');
    assert.deepEqual(
      decided?.choices.map((c) => c.action.verb),
      ['stop-job'],
      'no approve/reject any more; stop while the job runs',
    );
    assert.match(r.notifier.userTexts().join('\n'), /Kenji Sato approved it/);

    const job = await jobOf(requestId());
    r.fake.script(job.id, { output: HEALTH_OUTPUT });
    for (let i = 0; i < 4; i++) await r.poll();
    assert.equal(r.fake.creates(job.id), 1);
    const created = r.fake.jobs.get(job.id);
    assert.deepEqual(
      [created?.runbook, created?.runOn, created?.parameters],
      ['Get-UpdateHealth', 'hrw-pc-0042', {}],
    );
    const done = await r.storage.jobs.get(job.id);
    assert.equal(done?.status, 'Completed');
    assert.ok(done?.terminal);
    assert.equal(done?.outputDigest?.length, 64);
    assert.deepEqual(
      (await r.storage.jobs.history(job.id)).map((h) => h.status),
      ['Queued', 'New', 'Activating', 'Running', 'Completed'],
    );
    // Technicians: the card shows the result, the full output follows it.
    assert.match(r.notifier.card(requestId())?.job ?? '', /^Job: Completed — ok/);
    assert.match(
      r.notifier.technicians[0]?.text ?? '',
      /Result of Get-UpdateHealth on PC-0042 \(Completed\):\n\{"runbook"/,
    );
    // The user: started, then findings and the changed plan, then the next step.
    const said = r.notifier.userTexts().join('\n');
    assert.match(said, /It is running on PC-0042 now/);
    assert.match(
      said,
      /Diagnostics found: free space on the system drive 3\.5 GB · clock off by 14 min · disabled services: wuauserv/,
    );
    assert.match(said, /Moved up: .* — A service Windows Update needs is set to Disabled/);
    const next = r.notifier.user.filter((m) => m.kind === 'step').at(-1);
    assert.equal(
      next?.kind === 'step' && next.stepId,
      'check-update-services',
      'the promoted step comes next',
    );
    // Every request, decision, status and output digest is in the audit log.
    const actions = (await r.storage.audit.list({ limit: 200 })).map((e) => e.action);
    for (const a of ['approval.requested', 'approval.approved', 'job.created', 'job.status', 'job.completed'])
      assert.ok(actions.includes(a), `${a} audited: ${actions}`);
  });

  it('reject with a reason: the card says who and why, the user hears it and gets the step back', async () => {
    await requestDiagnostics(r.chat);
    const reject = r.notifier.posted[0]?.choices.find((c) => c.action.verb === 'reject')?.action;
    assert.match(await r.press(YUKI, reject, { reason: 'I will call Aiko first' }), /Rejected/);
    assert.equal(
      r.notifier.card(requestId())?.decision,
      'Rejected by Yuki Mori at 2026-03-02 09:00 UTC (reason: I will call Aiko first)',
    );
    assert.match(
      r.notifier.userTexts().join('\n'),
      /Yuki Mori declined the remote run\. Reason: I will call Aiko first/,
    );
    assert.equal(await r.storage.jobs.forApproval(requestId()), null, 'no job');
    const step = r.notifier.user.find((m) => m.kind === 'step');
    assert.equal(step?.kind === 'step' && step.stepId, 'check-disk-space');
  });

  it('expiry: nobody decides in 30 minutes → the card says so, the user is told, a late approve is refused', async () => {
    await requestDiagnostics(r.chat);
    r.clock.advance(31 * 60_000);
    const round = await r.wiring.timers.runOnce();
    assert.equal(round.fired, 1);
    assert.equal(r.notifier.card(requestId())?.decision, 'Expired at 2026-03-02 09:31 UTC with no decision');
    assert.deepEqual(r.notifier.card(requestId())?.choices, []);
    assert.match(r.notifier.userTexts().join('\n'), /No technician decided in time/);
    assert.match(await r.press(KENJI, approveAction()), /already decided \(Expired/);
    assert.equal(await r.storage.jobs.forApproval(requestId()), null);
  });

  it('the requester cannot approve their own request, even when listed as a technician', async () => {
    await r.close();
    r = await startRemote(knowledge, {
      env: { WINFIX_TEAMS_TECHNICIANS: `${AIKO.directoryId},${KENJI.directoryId}` },
    });
    await enrollAiko(r.storage);
    await requestDiagnostics(r.chat);
    assert.match(await r.press(AIKO, approveAction()), /cannot decide your own request/);
    assert.equal((await r.storage.approvals.get(requestId()))?.status, 'pending');
    const refused = (await r.storage.audit.list({ limit: 50 })).filter(
      (e) => e.action === 'approval.refused',
    );
    assert.equal(refused[0]?.data.reason, 'requester');
  });

  it('a non-technician cannot approve; the attempt is audited', async () => {
    await requestDiagnostics(r.chat);
    assert.match(await r.press(MALLORY, approveAction()), /Only technicians/);
    assert.equal((await r.storage.approvals.get(requestId()))?.status, 'pending');
    const refused = (await r.storage.audit.list({ limit: 50 })).find((e) => e.action === 'approval.refused');
    assert.equal(refused?.actor, `teams:${MALLORY.id}`);
    assert.equal(refused?.data.reason, 'not-technician');
  });

  it('a forged payload (other runbook, other digest) is refused and audited; the stored request decides what runs', async () => {
    await requestDiagnostics(r.chat);
    const id = requestId();
    const genuine = approveAction() as { digest: string };
    const withRunbook = {
      verb: 'approve',
      request: id,
      digest: genuine.digest,
      runbook: 'Reset-UpdateComponents',
    };
    assert.match(await r.press(KENJI, withRunbook), /does not match the stored request/);
    assert.match(
      await r.press(KENJI, { verb: 'approve', request: id, digest: 'f'.repeat(64) }),
      /does not match/,
    );
    assert.equal((await r.storage.approvals.get(id))?.status, 'pending');
    const forged = (await r.storage.audit.list({ limit: 50 })).filter((e) => e.action === 'approval.forged');
    assert.equal(forged.length, 2);
    // The genuine card still works, and the job runs what was stored.
    await r.press(KENJI, approveAction());
    await r.poll();
    assert.equal(r.fake.jobs.get((await jobOf(id)).id)?.runbook, 'Get-UpdateHealth');
  });

  it('two technicians pressing Approve at once → one decision, one job, one create', async () => {
    await requestDiagnostics(r.chat);
    const [a, b] = await Promise.all([r.press(KENJI, approveAction()), r.press(YUKI, approveAction())]);
    assert.equal([a, b].filter((t) => /^Approved\./.test(t)).length, 1, `${a} | ${b}`);
    assert.equal([a, b].filter((t) => /already decided/.test(t)).length, 1, `${a} | ${b}`);
    // Two pollers (two bot processes) at once.
    const other = await startRemote(knowledge, { db: r.db, fake: r.fake, clock: r.clock });
    try {
      await Promise.all([r.wiring.poller.pollOnce(), other.wiring.poller.pollOnce()]);
    } finally {
      await other.close();
    }
    const job = await jobOf(requestId());
    assert.equal(r.fake.creates(job.id), 1);
    assert.equal([...r.fake.jobs.keys()].length, 1);
  });

  it('one open request per user and PC; a second step waits its turn', async () => {
    await requestDiagnostics(r.chat);
    const other = new (r.chat.constructor as typeof import('../bot/chat-driver').ChatDriver)(
      r.bot,
      'conv-aiko-2',
      AIKO,
      'teams',
    );
    await other.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(other.step().stepId, 'restart-and-retry');
    await other.press('Run it for me');
    await other.press('Yes, it may restart');
    assert.match(other.text(), /already a request waiting for approval on PC-0042/);
    assert.equal(r.notifier.posted.length, 1);
  });

  it('429 with Retry-After and 5xx from ARM are retried; the job is still created once', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    r.fake.inject('Job_Create', { kind: 'status', status: 429, retryAfter: '1' });
    r.fake.inject('Job_Create', { kind: 'status', status: 503 });
    await r.poll();
    r.fake.inject('Job_Get', { kind: 'status', status: 500 });
    for (let i = 0; i < 5; i++) await r.poll();
    const job = await jobOf(requestId());
    assert.equal(r.fake.creates(job.id), 1);
    assert.equal((await r.storage.jobs.get(job.id))?.status, 'Completed');
    const ops = r.fake.requests.map((q) => `${q.op} ${q.outcome}`);
    assert.ok(
      ops.includes('Job_Create 429') && ops.includes('Job_Create 503') && ops.includes('Job_Get 500'),
      ops.join(', '),
    );
  });

  for (const status of ['Failed', 'Suspended'] as const)
    it(`a job that ends ${status} is reported to both sides`, async () => {
      await requestDiagnostics(r.chat);
      await r.press(KENJI, approveAction());
      const job = await jobOf(requestId());
      r.fake.script(job.id, {
        statuses: ['New', 'Running', status],
        exception: 'The worker hrw-pc-0042 went offline',
        output: 'Starting\n',
      });
      for (let i = 0; i < 4; i++) await r.poll();
      assert.equal((await r.storage.jobs.get(job.id))?.status, status);
      assert.match(
        r.notifier.card(requestId())?.job ?? '',
        new RegExp(`^Job: ${status} — The worker hrw-pc-0042 went offline$`),
        'the card says why',
      );
      assert.match(
        r.notifier.technicians[0]?.text ?? '',
        new RegExp(
          `\\(${status}\\):\\nAzure Automation says: The worker hrw-pc-0042 went offline\\nStarting`,
        ),
      );
      const told = r.notifier.userTexts().join('\n');
      assert.match(
        told,
        new RegExp(
          `The diagnostics did not complete on PC-0042 \\(${status}\\): The worker hrw-pc-0042 went offline`,
        ),
      );
      assert.doesNotMatch(told, /The fix/, 'a diagnostics run is not called a fix');
    });

  it('a bot process killed while its create was in flight: the next process reads the job back, one create', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    const job = await jobOf(requestId());
    r.fake.inject('Job_Create', { kind: 'hang-after-apply' });
    const dying = r.wiring.poller.pollOnce().catch(() => 0);
    while (r.fake.creates(job.id) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The process dies here: its database connections go, its lease is left to run out.
    await r.storage.close();
    r.clock.advance(5 * 60_000);
    const next = await startRemote(knowledge, { db: r.db, fake: r.fake, clock: r.clock });
    try {
      for (let i = 0; i < 4; i++) await next.poll();
      assert.equal(r.fake.creates(job.id), 1, 'exactly one job was created');
      assert.equal((await next.storage.jobs.get(job.id))?.status, 'Completed');
      assert.match(next.notifier.card(requestId())?.job ?? '', /^Job: Completed/);
    } finally {
      await next.close();
      await dying;
    }
  });

  it('a job that disappears (deleted, or a dry-run job after a restart) is reported failed, not polled for ever', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    const job = await jobOf(requestId());
    await r.poll();
    assert.equal(r.fake.creates(job.id), 1);
    r.fake.jobs.delete(job.id);
    for (let i = 0; i < 3; i++) await r.poll();
    assert.equal((await r.storage.jobs.get(job.id))?.status, 'Failed');
    assert.equal(r.fake.creates(job.id), 1, 'never created again');
    assert.match(
      r.notifier.userTexts().join('\n'),
      /did not complete on PC-0042 \(Failed\): the job no longer exists/,
    );
  });

  it('a technician stops a running job', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    const job = await jobOf(requestId());
    r.fake.script(job.id, { statuses: ['New', 'Running', 'Running', 'Running'] });
    await r.poll();
    await r.poll();
    assert.match(await r.press(YUKI, { verb: 'stop-job', request: requestId() }), /stop the job/);
    assert.ok(r.fake.requests.some((q) => q.op === 'Job_Stop'));
    assert.ok((await r.storage.audit.list({ limit: 50 })).some((e) => e.action === 'job.stop-requested'));
  });
  it('a slow card redraw never leaves an older job state on the card', async () => {
    await requestDiagnostics(r.chat);
    // The first redraw (the "approved, job queued" one) hangs in the channel until released.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const update = r.notifier.updateApproval.bind(r.notifier);
    let calls = 0;
    r.notifier.updateApproval = async (platform, card) => {
      calls += 1;
      if (calls === 1) await held;
      await update(platform, card);
    };
    const pressed = r.press(KENJI, approveAction());
    const until = async (ready: () => Promise<boolean> | boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!(await ready())) {
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => calls === 1, 'the first redraw');
    const job = await jobOf(requestId());
    r.fake.script(job.id, { statuses: ['Running', 'Completed'], output: HEALTH_OUTPUT });
    // The poller moves the job on while that redraw is still on its way.
    const polled = (async () => {
      for (let i = 0; i < 4; i++) await r.poll();
    })();
    await until(
      async () => (await r.storage.jobs.forApproval(requestId()))?.status !== 'Queued',
      'the poller to record a newer job state',
    );
    release();
    await Promise.all([pressed, polled]);

    const rank = (c: { job: string | null }) =>
      ['Queued', 'Running', 'Completed'].findIndex((s) => c.job?.includes(s) ?? false);
    const ranks = r.notifier.updated.map(rank);
    assert.ok(ranks.length >= 2, `several redraws (${ranks.length})`);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      `redraws in order: ${r.notifier.updated.map((c) => c.job).join(' → ')}`,
    );
    assert.match(r.notifier.card(requestId())?.job ?? '', /Completed/);
    assert.deepEqual(r.notifier.card(requestId())?.choices, [], 'nothing left to press');
  });
});
