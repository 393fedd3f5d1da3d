/**
 * The Azure Automation executor (or the dry run) as remote runs' executor port (runs/executor.ts): the
 * target is the PC's Hybrid Runbook Worker group, Azure's job statuses map to the port's states, and
 * the errors already say whether a retry may help (`retryable`). Calls go to `executor` when made, so
 * whatever wraps its methods later (a test that kills the process mid-call) still sees them.
 */
import type { JobView, RunbookExecutor, RunState } from '../../runs/executor';
import type { Executor, JobSnapshot } from './executor';

/** Azure Automation's job status as a port state (an unknown status is `pending`: not finished). */
export function runStateOf(status: string): RunState {
  switch (status) {
    case 'Running':
      return 'running';
    case 'Completed':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    case 'Stopped':
      return 'stopped';
    case 'Suspended':
      return 'suspended';
    default:
      return 'pending';
  }
}

const viewOf = (snapshot: JobSnapshot): JobView => ({
  status: snapshot.status,
  state: runStateOf(snapshot.status),
  statusDetails: snapshot.statusDetails,
  exception: snapshot.exception,
  finished: snapshot.finished,
});

export function runbookExecutorOf(executor: Executor): RunbookExecutor {
  return {
    get dryRun() {
      return executor.dryRun;
    },
    get pollIntervalMs() {
      return executor.pollIntervalMs;
    },
    async start({ jobName, runbook, parameters, target }) {
      const started = await executor.start({ jobName, runbook, parameters, runOn: target });
      return { status: started.status, snapshot: viewOf(started.snapshot) };
    },
    async get(jobName) {
      const snapshot = await executor.get(jobName);
      return snapshot ? viewOf(snapshot) : null;
    },
    stop: (jobName) => executor.stop(jobName),
    follow: (jobName) => executor.follow(jobName),
  };
}
