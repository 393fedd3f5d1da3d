/**
 * Starts and follows the jobs of approved requests. Jobs live in storage (so any process can take them
 * over after a restart): each round claims the jobs due for a poll with a lease, and for each one
 * either creates it remotely (the job's stored id is the Azure job name, chosen before the create; a
 * job whose create was already attempted is looked up first, so a restart never creates a second
 * one) or reads its status. Just before a create is sent, the request is checked again: the PC must
 * still be enrolled to the requester, and the approval must not be older than the approval window (a
 * bot that was down for hours does not restart someone's PC out of the blue); otherwise the job is
 * cancelled (never sent) and both sides are told. Status changes update the technicians' card and tell
 * the user; a finished job's output goes to the technicians in full and to the user as a short summary.
 */

import { Rounds } from '../bot/rounds';
import { announceCancelled, announceFinished, type CancelReason, cancelText, outputDigest } from './announce';
import { isRetryable, type JobOutcome, type JobView } from './executor';
import { shortSummary } from './outcome';
import { stillOwned } from './ownership';
import type { RemoteContext } from './remote-context';
import type { ApprovalRecord, JobRecord } from './stores';

export { jobException, runResult, shortSummary } from './outcome';

export interface JobPollerOptions {
  /** This process's name in leases (default: pid and a random suffix). */
  owner?: string;
  /** Jobs claimed per round, followed side by side (default 20). */
  batch?: number;
  /** How long a claim holds (default 120 s): long enough for one create or poll with retries. */
  leaseMs?: number;
  /** Between rounds (default 1000 ms); each job's own next poll follows `pollIntervalMs`. */
  intervalMs?: number;
  /** Between two polls of one job (default: the executor's, 15–30 s for Azure). */
  pollIntervalMs?: number;
}

/** winfix's own status for a job it gave up on (refused for good, or gone from the executor). */
const FAILED = 'Failed';
/** The status of a job refused before anything was sent (connectors/storage/jobs.ts: CANCELLED). */
const CANCELLED = 'Cancelled';
/** Looks in a row that find no job before it is reported as failed. */
const MAX_MISSES = 3;

function stringParams(parameters: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)]));
}

export class JobPoller {
  readonly owner: string;
  private readonly rounds: Rounds;
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly ctx: RemoteContext,
    private readonly options: JobPollerOptions = {},
  ) {
    this.owner = options.owner ?? `poller-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.rounds = new Rounds(
      () => this.pollOnce(),
      this.options.intervalMs ?? 1000,
      (error) => this.ctx.deps.log.error(`job poll round failed: ${error.message}`),
    );
  }

  /** One round; returns how many jobs were looked at. */
  async pollOnce(): Promise<number> {
    const { jobs, log } = this.ctx.deps;
    const claimed = await jobs.claimForPoll(
      this.owner,
      this.options.batch ?? 20,
      this.options.leaseMs ?? 120_000,
    );
    // Side by side: a job whose notices wait on a slow chat platform (up to the notice deadline, see
    // notice-deadline.ts) or whose Azure calls are retried must not hold the other jobs of the round.
    await Promise.all(
      claimed.map(async (job) => {
        try {
          await this.poll(job);
        } catch (error) {
          log.error(`job ${job.id}: ${(error as Error).message}`);
        }
      }),
    );
    return claimed.length;
  }

  /** Runs a round now and then every `intervalMs` until `stop()`; a failed round is logged. */
  start(): void {
    this.rounds.start();
  }

  /** Stops after the round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
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
      const made = job.externalId ? await executor.get(job.id) : await this.create(approval, job);
      if (typeof made === 'string') {
        await this.cancel(approval, job, made);
        return;
      }
      view = made;
    } catch (error) {
      const message = (error as Error).message;
      if (!isRetryable(error)) {
        await this.finish(approval, job, {
          status: FAILED,
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
        finished: false,
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
          status: FAILED,
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
        finished: false,
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
      finished: false,
      detail: view.statusDetails,
      externalId: job.id,
      nextPollAt: this.nextPoll(),
    });
    if (!held || view.status === job.status) return;
    await this.ctx.refreshCard(approval.id);
    if (view.state === 'running')
      await this.ctx.tellUser(approval, {
        type: 'remote-update',
        requestId: approval.id,
        stage: 'started',
        dryRun: executor.dryRun,
      });
  }

  /**
   * Creates the job remotely, unless an earlier attempt (this process or one before a restart) did; or
   * the reason not to, when the request no longer holds (see the class comment).
   */
  private async create(approval: ApprovalRecord, job: JobRecord): Promise<JobView | null | CancelReason> {
    const { jobs, executor } = this.ctx.deps;
    let looked = false;
    if (job.startedAt !== null) {
      const existing = await executor.get(job.id);
      if (existing) return existing;
      looked = true;
    }
    const refusal = await this.refusal(approval);
    if (refusal) return refusal;
    const attemptedBefore = await jobs.markStarting(job.id, this.owner);
    if (attemptedBefore && !looked) {
      const existing = await executor.get(job.id);
      if (existing) return existing;
    }
    const started = await executor.start({
      jobName: job.id,
      runbook: job.runbook,
      parameters: stringParams(job.parameters),
      target: job.workerGroup,
    });
    return started.snapshot;
  }

  /** Why the job must not be sent now, or null. */
  private async refusal(approval: ApprovalRecord): Promise<CancelReason | null> {
    const { enrollments, clock, policy } = this.ctx.deps;
    if (!(await stillOwned(enrollments, approval))) return 'not-enrolled';
    const decidedAt = Date.parse(approval.decidedAt ?? approval.requestedAt);
    if (clock.now().getTime() - decidedAt > policy.approvalMinutes * 60_000) return 'stale';
    return null;
  }

  private async cancel(approval: ApprovalRecord, job: JobRecord, reason: CancelReason): Promise<void> {
    const held = await this.ctx.deps.jobs.recordPoll(job.id, this.owner, {
      status: CANCELLED,
      finished: true,
      detail: reason,
      summary: cancelText(this.ctx, approval, reason),
      nextPollAt: this.nextPoll(),
    });
    if (held) await announceCancelled(this.ctx, approval, reason);
  }

  private async finish(approval: ApprovalRecord, job: JobRecord, outcome: JobOutcome): Promise<void> {
    const held = await this.ctx.deps.jobs.recordPoll(job.id, this.owner, {
      status: outcome.status,
      finished: true,
      detail: outcome.outputError,
      externalId: job.id,
      summary: shortSummary(outcome),
      outputDigest: outputDigest(outcome),
      nextPollAt: this.nextPoll(),
    });
    if (held) await announceFinished(this.ctx, approval, job.id, outcome);
  }
}
