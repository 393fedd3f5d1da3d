/**
 * The embedded default executor, used when Azure is not configured: nothing runs anywhere. It keeps the
 * jobs it was asked to start in memory and walks each through Azure's own sequence
 * (New → Activating → Running → Completed) on the injected clock, one step per look once `stepMs` has
 * passed, so every status a real job would show is seen. Every snapshot, result and output line says
 * `dryRun: true`, and the output says in words that nothing ran. Jobs are forgotten on restart.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../bot';
import { AutomationJobConflictError, AutomationJobNotFoundError } from './errors';
import {
  type CallOptions,
  checkStartRequest,
  type Executor,
  type FollowOptions,
  type FollowResult,
  followJob,
  isFinished,
  type JobSnapshot,
  realSleep,
  type Sleep,
  type StartRequest,
  type StartResult,
  type StreamRecord,
} from './executor';

export interface DryRunExecutorOptions {
  clock?: Clock;
  sleep?: Sleep;
  /** Least time between two steps of the sequence (default 2 s). */
  stepMs?: number;
  /** Between polls in follow() (default 2 s: a dry run has nothing to wait for). */
  pollIntervalMs?: number;
}

export const DRY_RUN_SEQUENCE = ['New', 'Activating', 'Running', 'Completed'] as const;
export const DRY_RUN_NOTICE =
  'Dry run: nothing ran. winfix is not connected to Azure Automation (WINFIX_EXECUTOR=dry-run).';

interface DryJob {
  request: StartRequest;
  jobId: string;
  status: string;
  step: number;
  stepAt: Date;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class DryRunExecutor implements Executor {
  readonly kind = 'dry-run' as const;
  readonly dryRun = true;
  readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly stepMs: number;
  private readonly jobs = new Map<string, DryJob>();

  constructor(options: DryRunExecutorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.stepMs = options.stepMs ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
  }

  private snapshot(job: DryJob): JobSnapshot {
    return {
      jobName: job.request.jobName,
      jobId: job.jobId,
      runbook: job.request.runbook,
      runOn: job.request.runOn,
      status: job.status,
      statusDetails: DRY_RUN_NOTICE,
      provisioningState: isFinished(job.status) ? 'Succeeded' : 'Processing',
      creationTime: job.createdAt.toISOString(),
      startTime: iso(job.startedAt),
      endTime: iso(job.endedAt),
      lastModifiedTime: job.stepAt.toISOString(),
      lastStatusModifiedTime: job.stepAt.toISOString(),
      exception: null,
      finished: isFinished(job.status),
      dryRun: true,
    };
  }

  private job(jobName: string): DryJob {
    const job = this.jobs.get(jobName.toLowerCase());
    if (!job) throw new AutomationJobNotFoundError(`dry run: no job named ${jobName}`);
    return job;
  }

  /** One step further along the sequence when stepMs has passed since the last one. */
  private advance(job: DryJob): void {
    const now = this.clock.now();
    if (isFinished(job.status) || now.getTime() - job.stepAt.getTime() < this.stepMs) return;
    job.step += 1;
    job.status = DRY_RUN_SEQUENCE[job.step] ?? 'Completed';
    job.stepAt = now;
    if (job.status === 'Running') job.startedAt = now;
    if (job.status === 'Completed') job.endedAt = now;
  }

  async start(request: StartRequest, _options?: CallOptions): Promise<StartResult> {
    checkStartRequest(request);
    const existing = this.jobs.get(request.jobName.toLowerCase());
    if (existing) {
      const { runbook, runOn } = existing.request;
      if (runbook !== request.runbook || runOn !== request.runOn)
        throw new AutomationJobConflictError(
          `dry run: job ${request.jobName} exists for ${runbook} on ${runOn}: choose a new job name`,
        );
      const snapshot = this.snapshot(existing);
      return {
        jobName: request.jobName,
        status: snapshot.status,
        confirmedBy: 'read-back',
        dryRun: true,
        snapshot,
      };
    }
    const now = this.clock.now();
    const job: DryJob = {
      request: { ...request, parameters: { ...request.parameters } },
      jobId: randomUUID(),
      status: 'New',
      step: 0,
      stepAt: now,
      createdAt: now,
      startedAt: null,
      endedAt: null,
    };
    this.jobs.set(request.jobName.toLowerCase(), job);
    const snapshot = this.snapshot(job);
    return { jobName: request.jobName, status: 'New', confirmedBy: 'create', dryRun: true, snapshot };
  }

  async get(jobName: string, _options?: CallOptions): Promise<JobSnapshot | null> {
    const job = this.jobs.get(jobName.toLowerCase());
    if (!job) return null;
    this.advance(job);
    return this.snapshot(job);
  }

  /** The notice, then (once Completed) one JSON line shaped like a runbook's, saying dryRun: true. */
  async output(jobName: string, _options?: CallOptions): Promise<string> {
    const job = this.job(jobName);
    if (job.status !== 'Completed') return job.status === 'Stopped' ? `${DRY_RUN_NOTICE}\n` : '';
    const { runbook, runOn, parameters } = job.request;
    const result = {
      runbook,
      computer: runOn,
      dryRun: true,
      nothingRan: true,
      message: DRY_RUN_NOTICE,
      startedAt: iso(job.startedAt),
      finishedAt: iso(job.endedAt),
      whatIf: false,
      ok: true,
      changed: false,
      rebootRequired: false,
      parameters,
      actions: [],
      errors: [],
    };
    return `${DRY_RUN_NOTICE}\n${JSON.stringify(result)}\n`;
  }

  async streams(jobName: string, _options?: CallOptions): Promise<StreamRecord[]> {
    const job = this.job(jobName);
    const record = (n: number, type: string, at: Date, text: string): StreamRecord => ({
      id: `${job.jobId}_${String(n).padStart(20, '0')}`,
      type,
      time: at.toISOString(),
      summary: text,
      text,
    });
    const records = [record(1, 'Verbose', job.createdAt, DRY_RUN_NOTICE)];
    if (job.status === 'Completed' && job.endedAt)
      records.push(record(2, 'Output', job.endedAt, `${job.request.runbook}: dry run, nothing ran`));
    return records;
  }

  async stop(jobName: string, _options?: CallOptions): Promise<void> {
    const job = this.job(jobName);
    if (isFinished(job.status)) return;
    const now = this.clock.now();
    job.status = 'Stopped';
    job.stepAt = now;
    job.endedAt = now;
  }

  follow(jobName: string, options: FollowOptions = {}): Promise<FollowResult> {
    return followJob(this, jobName, options, { pollIntervalMs: this.pollIntervalMs, sleep: this.sleep });
  }
}
