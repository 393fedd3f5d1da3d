/**
 * Starts and follows the jobs of approved requests. Jobs live in storage (so any process can take them
 * over after a restart): each round claims the jobs due for a poll with a lease, and for each one
 * either creates it remotely (the job's stored id is the Azure job name, chosen before the create; a
 * job whose create was already attempted is looked up first, so a restart never creates a second
 * one) or reads its status. Status changes update the technicians' card and tell the user; a finished
 * job's output goes to the technicians in full and to the user as a short summary.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../bot/inputs';
import { type RemoteContext, splitKey } from './remote-context';
import type { ApprovalRecord, JobOutcome, JobRecord, JobView } from './stores';

export interface JobPollerOptions {
  /** This process's name in leases (default: pid and a random suffix). */
  owner?: string;
  /** Jobs claimed per round (default 20). */
  batch?: number;
  /** How long a claim holds (default 120 s): long enough for one create or poll with retries. */
  leaseMs?: number;
  /** Between rounds (default 1000 ms); each job's own next poll follows `pollIntervalMs`. */
  intervalMs?: number;
  /** Between two polls of one job (default: the executor's, 15–30 s for Azure). */
  pollIntervalMs?: number;
}

const PERMANENT = [
  'winfix_automation_invalid_request',
  'winfix_automation_request',
  'winfix_automation_job_conflict',
];
const MAX_OUTPUT = 12_000;
/** Looks in a row that find no job before it is reported as failed. */
const MAX_MISSES = 3;

function codeOf(error: unknown): string {
  return (error as { code?: string })?.code ?? '';
}

function stringParams(parameters: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)]));
}

/** Why Azure says the job failed or was suspended, bounded; null when it says nothing. */
export function jobException(outcome: JobOutcome, max = 500): string | null {
  const why = outcome.snapshot?.exception?.trim();
  if (!why) return null;
  return why.length > max ? `${why.slice(0, max - 1)}…` : why;
}

/** One line for the card: ok / not ok, and what was done or went wrong. */
export function shortSummary(outcome: JobOutcome): string {
  const s = outcome.summary;
  const why = jobException(outcome, 200);
  if (!s) {
    const problems = [why, outcome.outputError ? `no output (${outcome.outputError})` : null].filter(Boolean);
    return problems.length ? problems.join('; ') : 'no result from the runbook';
  }
  const what = s.ok ? s.actions : s.errors;
  const head = `${s.ok ? 'ok' : 'not ok'}${s.changed ? ', changed' : ''}${s.rebootRequired ? ', restart needed' : ''}`;
  return what.length ? `${head}: ${what.slice(0, 3).join('; ')}` : head;
}

export function runResult(outcome: JobOutcome): RunResult {
  const s = outcome.summary;
  return {
    status: outcome.status,
    ok: outcome.succeeded,
    actions: s?.actions ?? [],
    errors: [
      ...(s ? s.errors : outcome.outputError ? [outcome.outputError] : []),
      ...(jobException(outcome, 300) && !outcome.succeeded ? [jobException(outcome, 300) as string] : []),
    ],
    rebootRequired: s?.rebootRequired ?? false,
    facts: s?.result ?? null,
    dryRun: outcome.dryRun,
  };
}

export class JobPoller {
  readonly owner: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly ctx: RemoteContext,
    private readonly options: JobPollerOptions = {},
  ) {
    this.owner = options.owner ?? `poller-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** One round; returns how many jobs were looked at. */
  async pollOnce(): Promise<number> {
    const { jobs, log } = this.ctx.deps;
    const claimed = await jobs.claimForPoll(
      this.owner,
      this.options.batch ?? 20,
      this.options.leaseMs ?? 120_000,
    );
    for (const job of claimed) {
      try {
        await this.poll(job);
      } catch (error) {
        log.error(`job ${job.id}: ${(error as Error).message}`);
      }
    }
    return claimed.length;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.running = this.pollOnce()
        .catch((error) => this.ctx.deps.log.error(`job poll round failed: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 1000).unref();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private nextPoll(extraMs = 0): Date {
    const { clock, executor } = this.ctx.deps;
    const interval = this.options.pollIntervalMs ?? executor.pollIntervalMs;
    return new Date(clock.now().getTime() + Math.max(interval, extraMs));
  }

  private async poll(job: JobRecord): Promise<void> {
    const { jobs, executor, approvals } = this.ctx.deps;
    const approval = await approvals.get(job.approvalId);
    if (!approval) throw new Error(`approval ${job.approvalId} is missing`);
    let view: JobView | null;
    try {
      view = job.externalId ? await executor.get(job.id) : await this.create(job);
    } catch (error) {
      const message = (error as Error).message;
      if (PERMANENT.includes(codeOf(error))) {
        await this.finish(approval, job, {
          status: 'Failed',
          output: null,
          outputError: message,
          summary: null,
          succeeded: false,
          dryRun: executor.dryRun,
        });
        return;
      }
      const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
      this.ctx.deps.log.warn(`job ${job.id}: ${message}; trying again later`);
      await jobs.recordPoll(job.id, this.owner, {
        status: job.status,
        detail: message,
        nextPollAt: this.nextPoll(retryAfter),
      });
      return;
    }
    if (!view) {
      // Just created and not visible yet (ARM can lag), or gone (deleted; a dry-run job after a restart):
      // after a few looks in a row, it is reported as failed rather than polled for ever.
      const misses = (this.misses.get(job.id) ?? 0) + 1;
      this.misses.set(job.id, misses);
      if (misses >= MAX_MISSES) {
        this.misses.delete(job.id);
        const gone = executor.dryRun
          ? 'the dry-run job is gone (dry-run jobs are kept in memory and forgotten on restart)'
          : `the job no longer exists in Azure Automation (not found ${misses} times)`;
        await this.finish(approval, job, {
          status: 'Failed',
          output: null,
          outputError: gone,
          summary: null,
          succeeded: false,
          dryRun: executor.dryRun,
        });
        return;
      }
      await jobs.recordPoll(job.id, this.owner, {
        status: job.status,
        externalId: job.id,
        nextPollAt: this.nextPoll(),
      });
      return;
    }
    this.misses.delete(job.id);
    if (view.finished) {
      await this.finish(approval, job, await executor.follow(job.id));
      return;
    }
    const held = await jobs.recordPoll(job.id, this.owner, {
      status: view.status,
      detail: view.statusDetails,
      externalId: job.id,
      nextPollAt: this.nextPoll(),
    });
    if (!held || view.status === job.status) return;
    await this.ctx.refreshCard(approval.id);
    if (view.status === 'Running')
      await this.ctx.tellUser(approval, {
        type: 'remote-update',
        requestId: approval.id,
        stage: 'started',
        dryRun: executor.dryRun,
      });
  }

  /** Creates the job remotely, unless an earlier attempt (this process or one before a restart) did. */
  private async create(job: JobRecord): Promise<JobView | null> {
    const { jobs, executor } = this.ctx.deps;
    const attemptedBefore = await jobs.markStarting(job.id, this.owner);
    if (attemptedBefore) {
      const existing = await executor.get(job.id);
      if (existing) return existing;
    }
    const started = await executor.start({
      jobName: job.id,
      runbook: job.runbook,
      parameters: stringParams(job.parameters),
      runOn: job.workerGroup,
    });
    return started.snapshot;
  }

  private async finish(approval: ApprovalRecord, job: JobRecord, outcome: JobOutcome): Promise<void> {
    const { jobs, notifier, log } = this.ctx.deps;
    const summary = shortSummary(outcome);
    const output = outcome.output ?? '';
    const held = await jobs.recordPoll(job.id, this.owner, {
      status: outcome.status,
      detail: outcome.outputError,
      externalId: job.id,
      summary,
      outputDigest: outcome.output === null ? null : createHash('sha256').update(output).digest('hex'),
      nextPollAt: this.nextPoll(),
    });
    if (!held) return;
    await this.ctx.refreshCard(approval.id);
    const [platform] = splitKey(approval.conversationKey);
    const head = this.ctx.t('approval.output', {
      runbook: approval.runbook,
      computer: approval.computerName,
      status: outcome.status,
    });
    const why = jobException(outcome, 4000);
    const exception = why ? `${this.ctx.t('approval.exception', { exception: why })}\n` : '';
    const body = output.trim()
      ? output.length > MAX_OUTPUT
        ? `${output.slice(0, MAX_OUTPUT)}\n…`
        : output.trim()
      : this.ctx.t('approval.output-none');
    try {
      await notifier.toTechnicians(platform, approval.id, `${head}\n${exception}${body}`);
    } catch (error) {
      log.warn(`output of job ${job.id} not posted to the technicians: ${(error as Error).message}`);
    }
    await this.ctx.tellUser(approval, {
      type: 'remote-update',
      requestId: approval.id,
      stage: 'finished',
      result: runResult(outcome),
      dryRun: outcome.dryRun,
    });
  }
}
