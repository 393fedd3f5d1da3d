/**
 * Remote runs need nothing Azure-specific (issue 15): an executor with words of its own ("Accepted",
 * "InProgress", "Done", "Error"), behind the port in runs/executor.ts, takes a request from approval to
 * the result on real storage. What the poller decides on is the port's state, `finished` and
 * `retryable`; the executor's words are stored and shown as they are.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import type { JobOutcome, JobView, RunbookExecutor, RunState, StartRequest } from '../../runs';
import { healthOutput } from '../helpers/remote-fixtures';
import { enrollAiko, KENJI, type Remote, requestDiagnostics, startRemote } from './remote-harness';

/** An error of the other platform's client: says itself whether a retry may help. */
class DeviceApiError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const WORDS: Record<string, RunState> = {
  Accepted: 'pending',
  InProgress: 'running',
  Done: 'succeeded',
  Error: 'failed',
};

/** A device-management executor: jobs on devices by id, each moving one word further per look. */
class DeviceExecutor implements RunbookExecutor {
  readonly dryRun = false;
  readonly pollIntervalMs = 15_000;
  readonly starts: StartRequest[] = [];
  /** Errors the next start() calls throw, in order. */
  failStarts: Error[] = [];
  private readonly jobs = new Map<string, { words: string[]; at: number }>();

  async start(request: StartRequest) {
    this.starts.push(request);
    const failure = this.failStarts.shift();
    if (failure) throw failure;
    if (!this.jobs.has(request.jobName))
      this.jobs.set(request.jobName, { words: ['Accepted', 'InProgress', 'Done'], at: 0 });
    return { status: 'Accepted', snapshot: this.view(request.jobName) as JobView };
  }

  async get(jobName: string): Promise<JobView | null> {
    const job = this.jobs.get(jobName);
    if (!job) return null;
    job.at = Math.min(job.at + 1, job.words.length - 1);
    return this.view(jobName);
  }

  async stop(): Promise<void> {}

  async follow(jobName: string): Promise<JobOutcome> {
    const view = this.view(jobName);
    return {
      status: view?.status ?? 'Error',
      output: healthOutput({ freeDiskGb: 80 }),
      outputError: null,
      summary: {
        ok: true,
        changed: false,
        rebootRequired: false,
        actions: [],
        errors: [],
        message: null,
        result: { freeDiskGb: 80 },
      },
      succeeded: view?.state === 'succeeded',
      dryRun: false,
      snapshot: { exception: null },
    };
  }

  private view(jobName: string): JobView | null {
    const job = this.jobs.get(jobName);
    if (!job) return null;
    const status = job.words[job.at] as string;
    const state = WORDS[status] ?? 'pending';
    return {
      status,
      state,
      statusDetails: null,
      exception: null,
      finished: state === 'succeeded' || state === 'failed',
    };
  }
}

describe('remote runs with an executor that is not Azure Automation (PGlite)', () => {
  let knowledge: Knowledge;
  let r: Remote;
  let device: DeviceExecutor;

  before(() => {
    knowledge = createKnowledge();
  });
  beforeEach(async () => {
    device = new DeviceExecutor();
    r = await startRemote(knowledge, { backend: 'pglite', executor: device });
    await enrollAiko(r.storage);
  });
  afterEach(async () => {
    await r.close();
  });

  async function approve(): Promise<string> {
    await requestDiagnostics(r.chat);
    const card = r.notifier.posted[0];
    assert.ok(card, 'an approval card was posted');
    const approveAction = card.choices.find((c) => c.action.verb === 'approve')?.action;
    assert.match(await r.press(KENJI, approveAction), /Approved/);
    const job = await r.storage.jobs.forApproval(card.requestId);
    assert.ok(job);
    return job.id;
  }

  it('starts on the enrolled target, tells "running" from its state, and finishes on its own words', async () => {
    const jobId = await approve();
    for (let i = 0; i < 4; i++) await r.poll();
    assert.deepEqual(
      device.starts.map((s) => [s.jobName, s.runbook, s.target]),
      [[jobId, 'Get-UpdateHealth', 'hrw-pc-0042']],
      'one start, on the target stored at enrolment',
    );
    const done = await r.storage.jobs.get(jobId);
    assert.equal(done?.status, 'Done', "the executor's own word is stored");
    assert.ok(done?.terminal, 'finished, though "Done" is no Azure status');
    assert.deepEqual(
      (await r.storage.jobs.history(jobId)).map((h) => h.status),
      ['Queued', 'Accepted', 'InProgress', 'Done'],
    );
    const said = r.notifier.userTexts().join('\n');
    assert.match(said, /It is running on PC-0042 now/, 'the "running" state told the employee');
    assert.match(said, /Diagnostics on PC-0042 are done/);
    assert.equal(r.fake.requests.length, 0, 'Azure was never called');
  });

  it('a failure that says it is retryable is tried again on a later poll', async () => {
    device.failStarts = [new DeviceApiError('device API briefly unavailable', true)];
    const retried = await approve();
    await r.poll();
    assert.equal((await r.storage.jobs.get(retried))?.terminal, false, 'kept for another try');
    for (let i = 0; i < 4; i++) await r.poll();
    assert.equal((await r.storage.jobs.get(retried))?.status, 'Done');
    assert.equal(device.starts.length, 2, 'started again after the retryable failure');
  });

  it('a non-retryable refusal ends the job as failed after one attempt, and both sides hear it', async () => {
    device.failStarts = [new DeviceApiError('device is not managed by this tenant', false)];
    const jobId = await approve();
    for (let i = 0; i < 3; i++) await r.poll();
    const job = await r.storage.jobs.get(jobId);
    assert.equal(job?.status, 'Failed');
    assert.ok(job?.terminal);
    assert.equal(device.starts.length, 1, 'not tried again');
    const card = r.notifier.card(r.notifier.posted[0]?.requestId ?? '');
    assert.match(card?.job ?? '', /^Job: Failed — .*device is not managed by this tenant/);
    assert.match(
      r.notifier.userTexts().join('\n'),
      /The diagnostics did not complete on PC-0042 \(Failed\): device is not managed by this tenant/,
    );
  });
});
