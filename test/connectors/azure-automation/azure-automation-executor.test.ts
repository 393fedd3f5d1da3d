import assert from 'node:assert/strict';
import {
  AutomationInvalidRequestError,
  AutomationJobConflictError,
  AutomationJobNotFoundError,
  AutomationRequestError,
  AutomationThrottledError,
  AutomationUnavailableError,
  isFinished,
  type JobSnapshot,
} from '../../../connectors/azure-automation';
import { FakeArm } from '../../helpers/fake-arm';
import { harness, JOB_NAME, request } from './harness';

const FAILED_OUTPUT =
  '{"runbook":"Reset-UpdateCache","computer":"PC-0042","ok":false,"changed":false,"rebootRequired":false,' +
  '"actions":[],"errors":["usosvc did not stop within 60 s"]}';

describe('AzureAutomationExecutor against a fake ARM', () => {
  let fake: FakeArm;

  beforeEach(async () => {
    fake = await FakeArm.start();
  });
  afterEach(async () => {
    await fake.close();
    assert.deepEqual(fake.problems, [], 'every request matched job.json');
  });

  const ops = () => fake.requests.map((r) => `${r.op} ${r.outcome}`);

  it('starts a job on the PC’s worker group, follows it to Completed and reads the runbook’s result', async () => {
    const { executor, sleeps, credential } = harness(fake);
    const started = await executor.start({ ...request(), parameters: { Scope: 'Update' } });
    assert.deepEqual([started.status, started.confirmedBy, started.dryRun], ['New', 'create', false]);
    const job = fake.jobs.get(JOB_NAME);
    assert.deepEqual(
      [job?.runbook, job?.runOn, job?.parameters],
      ['Sync-SystemClock', 'hrw-pc-0042', { Scope: 'Update' }],
    );

    const seen: JobSnapshot[] = [];
    const result = await executor.follow(JOB_NAME, { onStatus: (s) => void seen.push(s) });
    assert.deepEqual(
      seen.map((s) => s.status),
      ['Activating', 'Running', 'Completed'],
    );
    assert.ok(seen.every((s) => s.dryRun === false && s.jobId));
    assert.deepEqual(sleeps, [15_000, 15_000], 'polls at the configured interval');
    assert.equal(result.status, 'Completed');
    assert.ok(result.succeeded);
    assert.equal(result.snapshot.endTime !== null, true);
    assert.deepEqual(
      result.summary && [result.summary.ok, result.summary.changed, result.summary.rebootRequired],
      [true, true, false],
    );
    assert.deepEqual(result.summary?.actions, ['w32tm /resync: the clock was resynchronised']);
    assert.deepEqual((credential as unknown as { scopes: string[] }).scopes[0], `${fake.url}/.default`);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  it('reports a Completed job whose runbook says ok: false as not succeeded, with its errors', async () => {
    fake.script(JOB_NAME, { statuses: ['New', 'Completed'], output: `Working\n${FAILED_OUTPUT}\n` });
    const { executor } = harness(fake);
    await executor.start(request());
    const result = await executor.follow(JOB_NAME);
    assert.equal(result.status, 'Completed');
    assert.equal(result.succeeded, false);
    assert.deepEqual(result.summary?.errors, ['usosvc did not stop within 60 s']);
  });

  it('reports Failed (with the exception) and Suspended as finished', async () => {
    fake.script(JOB_NAME, {
      statuses: ['New', 'Running', 'Failed'],
      output: '',
      exception: "Cannot validate argument on parameter 'Scope'.",
    });
    const { executor } = harness(fake);
    await executor.start(request());
    const failed = await executor.follow(JOB_NAME);
    assert.deepEqual([failed.status, failed.succeeded, failed.summary], ['Failed', false, null]);
    assert.match(failed.snapshot.exception ?? '', /Cannot validate argument/);

    const other = '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f';
    fake.script(other, {
      statuses: ['New', 'Suspending', 'Suspended'],
      exception: 'The worker lost connection.',
    });
    await executor.start(request(other));
    const suspended = await executor.follow(other);
    assert.deepEqual([suspended.status, suspended.snapshot.finished], ['Suspended', true]);
  });

  it('treats a status value it does not know as not finished', async () => {
    fake.script(JOB_NAME, { statuses: ['New', 'Provisioning', 'Blocked', 'Disconnected', 'Completed'] });
    const { executor } = harness(fake);
    await executor.start(request());
    const seen: string[] = [];
    const result = await executor.follow(JOB_NAME, { onStatus: (s) => void seen.push(s.status) });
    assert.deepEqual(seen, ['Provisioning', 'Blocked', 'Disconnected', 'Completed']);
    assert.equal(result.status, 'Completed');
    for (const status of ['Provisioning', 'Blocked', 'Disconnected', 'Resuming', '', 'completed'])
      assert.equal(isFinished(status), false, status);
  });

  it('honours 429 Retry-After in seconds and as an HTTP date, on create and on get', async () => {
    const { executor, sleeps, clock } = harness(fake);
    fake.inject('Job_Create', { kind: 'status', status: 429, retryAfter: '7' });
    const started = await executor.start(request());
    assert.deepEqual(sleeps, [7000], 'waited exactly Retry-After');
    assert.deepEqual(
      ops(),
      ['Job_Create 429', 'Job_Get 404', 'Job_Create 201'],
      'looked before creating again',
    );
    assert.equal(started.confirmedBy, 'create');

    const date = new Date(clock.now().getTime() + 12_000).toUTCString();
    fake.inject('Job_Get', { kind: 'status', status: 429, retryAfter: date });
    assert.equal((await executor.get(JOB_NAME))?.status, 'Activating');
    assert.deepEqual(sleeps, [7000, 12_000]);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  it('gives up at once when Retry-After is longer than it waits inside a call, saying how long', async () => {
    const { executor, sleeps } = harness(fake);
    fake.inject('Job_Get', { kind: 'status', status: 429, retryAfter: '3600' });
    await assert.rejects(executor.get(JOB_NAME), (e: unknown) => {
      assert.ok(e instanceof AutomationThrottledError);
      assert.equal(e.retryAfterMs, 3_600_000);
      return true;
    });
    assert.deepEqual(sleeps, []);
  });

  it('retries 5xx with exponential backoff and jitter, then succeeds; bounded attempts', async () => {
    const { executor, sleeps } = harness(fake);
    fake.inject('Job_Create', { kind: 'status', status: 503 });
    await executor.start(request());
    assert.deepEqual(ops(), ['Job_Create 503', 'Job_Get 404', 'Job_Create 201']);
    fake.inject('Job_Get', { kind: 'status', status: 500 });
    fake.inject('Job_Get', { kind: 'status', status: 502 });
    assert.ok(await executor.get(JOB_NAME));
    // base 1 s doubling; random() = 0.5 puts the jitter at 3/4 of each step.
    assert.deepEqual(sleeps, [750, 750, 1500]);

    for (let i = 0; i < 5; i++) fake.inject('Job_Get', { kind: 'status', status: 500 });
    await assert.rejects(executor.get(JOB_NAME), (e: unknown) => {
      assert.ok(e instanceof AutomationUnavailableError);
      assert.match(e.message, /ARM answered 500.*gave up after 5 attempts/);
      return true;
    });
    assert.deepEqual(sleeps.slice(3), [750, 1500, 3000, 6000]);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  it('when the PUT’s outcome is unknown (connection dropped after it applied), finds the job: one create', async () => {
    const { executor } = harness(fake);
    fake.inject('Job_Create', { kind: 'drop-after-apply' });
    const started = await executor.start(request());
    assert.equal(started.confirmedBy, 'read-back');
    assert.deepEqual(ops(), ['Job_Create dropped', 'Job_Get 200']);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  it('when the PUT times out after it applied, finds the job: one create', async () => {
    const { executor } = harness(fake, { requestTimeoutMs: 200 });
    fake.inject('Job_Create', { kind: 'hang-after-apply' });
    const started = await executor.start(request());
    assert.equal(started.confirmedBy, 'read-back');
    assert.deepEqual(ops(), ['Job_Create hung', 'Job_Get 200']);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  it('when the connection drops before the PUT applied, creates it on the next try: one create', async () => {
    const { executor } = harness(fake);
    fake.inject('Job_Create', { kind: 'drop' });
    assert.equal((await executor.start(request())).confirmedBy, 'create');
    assert.deepEqual(ops(), ['Job_Create dropped', 'Job_Get 404', 'Job_Create 201']);
    assert.equal(fake.creates(JOB_NAME), 1);
  });

  for (const alreadyExistsStatus of [409, 400] as const)
    it(`a repeat start with the same job name creates nothing more ("already exists" as ${alreadyExistsStatus})`, async () => {
      await fake.close();
      fake = await FakeArm.start({ alreadyExistsStatus });
      const { executor } = harness(fake);
      await executor.start(request());
      const again = await harness(fake).executor.start(request()); // e.g. another process, after a crash
      assert.equal(again.confirmedBy, 'read-back');
      assert.equal(fake.creates(JOB_NAME), 1);
      assert.deepEqual(ops(), ['Job_Create 201', `Job_Create ${alreadyExistsStatus}`, 'Job_Get 200']);
      await assert.rejects(
        executor.start({ ...request(), runbook: 'Reset-UpdateCache' }),
        AutomationJobConflictError,
        'the same name for another runbook is a bug, not a success',
      );
    });

  it('refuses a request that is not a job for one PC before calling ARM', async () => {
    const { executor } = harness(fake);
    await assert.rejects(executor.start({ ...request(), jobName: 'job-1' }), /jobName must be a GUID/);
    await assert.rejects(executor.start({ ...request(), runOn: ' ' }), AutomationInvalidRequestError);
    assert.deepEqual(fake.requests, []);
  });

  it('stops a job, which then ends Stopped; stop of an unknown job says so', async () => {
    fake.script(JOB_NAME, { statuses: ['New', 'Running', 'Running', 'Running', 'Completed'] });
    const { executor } = harness(fake);
    await executor.start(request());
    assert.equal((await executor.get(JOB_NAME))?.status, 'Running');
    await executor.stop(JOB_NAME);
    const result = await executor.follow(JOB_NAME);
    assert.equal(result.status, 'Stopped');
    assert.equal(result.succeeded, false);
    assert.ok(fake.requests.some((r) => r.op === 'Job_Stop' && r.outcome === 200));
    await assert.rejects(executor.stop('00000000-0000-4000-8000-000000000000'), AutomationJobNotFoundError);
  });

  it('tolerates garbage output, and output it cannot fetch', async () => {
    fake.script(JOB_NAME, {
      statuses: ['New', 'Completed'],
      output: 'garbage\n{"ok":\n<html>502</html>\n[1,2]\n',
    });
    const { executor } = harness(fake);
    await executor.start(request());
    const result = await executor.follow(JOB_NAME);
    assert.deepEqual([result.status, result.summary, result.succeeded], ['Completed', null, false]);
    assert.match(result.output ?? '', /garbage/);

    const other = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    fake.script(other, { statuses: ['New', 'Completed'] });
    await executor.start(request(other));
    for (let i = 0; i < 5; i++) fake.inject('Job_GetOutput', { kind: 'status', status: 500 });
    const unfetched = await executor.follow(other);
    assert.equal(unfetched.status, 'Completed');
    assert.equal(unfetched.output, null);
    assert.match(unfetched.outputError ?? '', /gave up after 5 attempts/);
  });

  it('lists the job’s streams and reads its output', async () => {
    const { executor } = harness(fake);
    await executor.start(request());
    const streams = await executor.streams(JOB_NAME);
    assert.equal(streams.length, 2);
    assert.deepEqual(
      streams.map((s) => s.type),
      ['Output', 'Output'],
    );
    assert.match(streams[1]?.summary ?? '', /^\{"runbook"/);
    assert.match(await executor.output(JOB_NAME), /"ok":true/);
  });

  it('does not follow a stream nextLink to another host (the token would go with it)', async () => {
    fake.script(JOB_NAME, { streamsNextLink: 'https://collector.example/steal?api-version=2024-10-23' });
    const { executor } = harness(fake);
    await executor.start(request());
    assert.equal((await executor.streams(JOB_NAME)).length, 2);
    assert.equal(fake.requests.filter((r) => r.op === 'JobStream_ListByJob').length, 1);
  });

  it('get answers null for an unknown job, but a missing automation account is an error', async () => {
    const { executor } = harness(fake);
    assert.equal(await executor.get(JOB_NAME), null);
    const lost = harness(fake, { automationAccount: 'aa-somewhere-else' }).executor;
    await assert.rejects(lost.get(JOB_NAME), (e: unknown) => {
      assert.ok(e instanceof AutomationRequestError);
      assert.equal(e.armCode, 'ParentResourceNotFound');
      return true;
    });
  });

  it('follow rides out an outage of a few polls', async () => {
    fake.script(JOB_NAME, { statuses: ['New', 'Running', 'Completed'] });
    const { executor, sleeps } = harness(fake);
    await executor.start(request());
    for (let i = 0; i < 5; i++) fake.inject('Job_Get', { kind: 'status', status: 503 });
    const result = await executor.follow(JOB_NAME);
    assert.equal(result.status, 'Completed');
    assert.deepEqual(sleeps, [750, 1500, 3000, 6000, 15_000, 15_000], 'retries, then the next polls');
  });

  it('follow stops when its signal is aborted, and gives up on a job that never appears', async () => {
    fake.script(JOB_NAME, { statuses: ['New', 'Running'] });
    const { executor } = harness(fake);
    await executor.start(request());
    const controller = new AbortController();
    let polls = 0;
    const following = executor.follow(JOB_NAME, {
      signal: controller.signal,
      onStatus: () => {
        if (++polls === 1) controller.abort();
      },
    });
    await assert.rejects(following, { name: 'AbortError' });
    await assert.rejects(executor.follow('00000000-0000-4000-8000-000000000000'), AutomationJobNotFoundError);
  });
});
