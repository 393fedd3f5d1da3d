import assert from 'node:assert/strict';
import {
  AutomationAuthError,
  AutomationConfigError,
  AutomationInvalidRequestError,
  AutomationJobConflictError,
  AutomationJobNotFoundError,
  AutomationRequestError,
  AutomationThrottledError,
  AutomationUnavailableError,
  DryRunExecutor,
  JOB_STATUSES,
  runbookExecutorOf,
  runStateOf,
} from '../../../connectors/azure-automation';
import { isRetryable } from '../../../runs';
import { JOB_NAME, StepClock } from './harness';

describe('Azure Automation behind the executor port (runs/executor.ts)', () => {
  it('maps every Azure job status to a port state; unknown ones are pending', () => {
    const states = Object.fromEntries(JOB_STATUSES.map((s) => [s, runStateOf(s)]));
    assert.deepEqual(states, {
      New: 'pending',
      Activating: 'pending',
      Running: 'running',
      Completed: 'succeeded',
      Failed: 'failed',
      Stopped: 'stopped',
      Blocked: 'pending',
      Suspended: 'suspended',
      Disconnected: 'pending',
      Suspending: 'pending',
      Stopping: 'pending',
      Resuming: 'pending',
      Removing: 'pending',
    });
    assert.equal(runStateOf('SomethingNew'), 'pending');
  });

  it('says which errors a retry may fix', () => {
    const retryable = [
      new AutomationUnavailableError('503'),
      new AutomationThrottledError('429', 30_000),
      new AutomationAuthError('no token'),
      new AutomationJobNotFoundError('not yet'),
      new Error('socket hang up'),
    ];
    const permanent = [
      new AutomationInvalidRequestError('no worker group'),
      new AutomationRequestError('403', 403, 'AuthorizationFailed'),
      new AutomationJobConflictError('another runbook'),
      new AutomationConfigError('no account'),
    ];
    assert.deepEqual(retryable.map(isRetryable), [true, true, true, true, true]);
    assert.deepEqual(permanent.map(isRetryable), [false, false, false, false]);
  });

  it('starts on the target as the worker group and reports the port state of each look', async () => {
    const clock = new StepClock();
    const dry = new DryRunExecutor({ clock, stepMs: 1000, pollIntervalMs: 1000, sleep: async () => {} });
    const port = runbookExecutorOf(dry);
    assert.equal(port.dryRun, true);
    const started = await port.start({
      jobName: JOB_NAME,
      runbook: 'Get-UpdateHealth',
      parameters: {},
      target: 'hrw-pc-0042',
    });
    assert.deepEqual(
      [started.status, started.snapshot.state, started.snapshot.finished],
      ['New', 'pending', false],
    );
    assert.equal((await dry.get(JOB_NAME))?.runOn, 'hrw-pc-0042');
    const states: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      states.push((await port.get(JOB_NAME))?.state ?? 'none');
    }
    assert.deepEqual(states, ['pending', 'running', 'succeeded', 'succeeded']);
    assert.equal(await port.get('00000000-0000-4000-8000-0000000000ff'), null);
  });
});
