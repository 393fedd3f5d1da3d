import assert from 'node:assert/strict';
import {
  AutomationInvalidRequestError,
  AutomationJobConflictError,
  AutomationJobNotFoundError,
  DRY_RUN_SEQUENCE,
  DryRunExecutor,
  type JobSnapshot,
  parseRunbookOutput,
} from '../../../connectors/azure-automation';
import { JOB_NAME, request, StepClock } from './harness';

function dryRun() {
  const clock = new StepClock();
  const sleeps: number[] = [];
  const executor = new DryRunExecutor({
    clock,
    stepMs: 1000,
    pollIntervalMs: 1000,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
  return { executor, clock, sleeps };
}

describe('DryRunExecutor (the default: nothing runs)', () => {
  it('walks New → Activating → Running → Completed on the injected clock, saying dryRun everywhere', async () => {
    const { executor, clock, sleeps } = dryRun();
    const started = await executor.start({ ...request(), parameters: { Scope: 'Update' } });
    assert.deepEqual(
      [started.status, started.confirmedBy, started.dryRun, started.snapshot.dryRun],
      ['New', 'create', true, true],
    );
    const seen: JobSnapshot[] = [];
    const t0 = clock.now().getTime();
    const result = await executor.follow(JOB_NAME, { onStatus: (s) => void seen.push(s) });
    assert.deepEqual(
      seen.map((s) => s.status),
      [...DRY_RUN_SEQUENCE],
    );
    assert.ok(seen.every((s) => s.dryRun && /nothing ran/.test(s.statusDetails ?? '')));
    assert.deepEqual(sleeps, [1000, 1000, 1000]);
    assert.equal(result.snapshot.endTime, new Date(t0 + 3000).toISOString(), 'timestamps from the clock');
    assert.equal(result.snapshot.startTime, new Date(t0 + 2000).toISOString());

    assert.equal(result.dryRun, true);
    assert.equal(result.status, 'Completed');
    assert.match(result.output ?? '', /^Dry run: nothing ran\./);
    const summary = result.summary;
    assert.ok(summary);
    assert.equal(summary.dryRun, true);
    assert.equal(summary.result.nothingRan, true);
    assert.equal(summary.changed, false);
    assert.equal(summary.runbook, 'Sync-SystemClock');
    assert.equal(summary.computer, 'hrw-pc-0042');
    assert.match(summary.message ?? '', /nothing ran/);
    assert.deepEqual(summary.result.parameters, { Scope: 'Update' });
    assert.deepEqual(parseRunbookOutput(await executor.output(JOB_NAME))?.dryRun, true);
  });

  it('does not skip a status when polled late, and does not move faster than stepMs', async () => {
    const { executor, clock } = dryRun();
    await executor.start(request());
    assert.equal((await executor.get(JOB_NAME))?.status, 'New', 'no time has passed');
    clock.advance(60_000);
    assert.equal((await executor.get(JOB_NAME))?.status, 'Activating');
    assert.equal((await executor.get(JOB_NAME))?.status, 'Activating');
    clock.advance(1000);
    assert.equal((await executor.get(JOB_NAME))?.status, 'Running');
  });

  it('a repeat start finds the job; the same name for another runbook is refused; checks requests too', async () => {
    const { executor } = dryRun();
    await executor.start(request());
    assert.equal((await executor.start(request())).confirmedBy, 'read-back');
    await assert.rejects(
      executor.start({ ...request(), runbook: 'Reset-UpdateCache' }),
      AutomationJobConflictError,
    );
    await assert.rejects(executor.start({ ...request(), jobName: 'nope' }), AutomationInvalidRequestError);
  });

  it('stops, lists streams that say nothing ran, and knows no other jobs', async () => {
    const { executor } = dryRun();
    await executor.start(request());
    await executor.stop(JOB_NAME);
    const result = await executor.follow(JOB_NAME);
    assert.deepEqual(
      [result.status, result.summary, result.succeeded, result.dryRun],
      ['Stopped', null, false, true],
    );
    const streams = await executor.streams(JOB_NAME);
    assert.match(streams[0]?.text ?? '', /nothing ran/);
    assert.equal(await executor.get('00000000-0000-4000-8000-000000000000'), null);
    await assert.rejects(executor.output('00000000-0000-4000-8000-000000000000'), AutomationJobNotFoundError);
  });
});
