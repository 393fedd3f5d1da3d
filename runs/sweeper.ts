/**
 * The sweep: on start-up and every minute, finds remote-run requests whose stored state is ahead of
 * what their people were told (a process died between recording a change and telling it) and tells
 * it: a request whose card was never posted was being made when its process died (the employee's turn
 * failed with it, so their conversation does not know it): it is withdrawn and the employee told to ask
 * again; a decision is shown on the card and told to the employee; a finished or
 * cancelled job is reported to both sides. An approved request without a job (stored before decisions
 * and jobs were written together) gets its job; the poller starts it, after checking it still holds.
 * Changes younger than the grace period are left to the process that made them.
 */

import { Rounds } from '../bot/rounds';
import {
  announceCancelled,
  announceDecision,
  announceFinished,
  CANCEL_REASONS,
  type CancelReason,
} from './announce';
import type { JobOutcome } from './executor';
import type { RemoteContext } from './remote-context';
import type { AnnouncedStage, ApprovalRecord, JobRecord } from './stores';

export interface SweeperOptions {
  /** Between sweeps (default 60 s). */
  intervalMs?: number;
  /** A change is swept only once it is this old (default 60 s): its own process tells it first. */
  graceMs?: number;
  /** Requests per sweep (default 50). */
  batch?: number;
}

export class Sweeper {
  private readonly rounds: Rounds;

  constructor(
    private readonly ctx: RemoteContext,
    private readonly options: SweeperOptions = {},
  ) {
    this.rounds = new Rounds(
      () => this.sweepOnce(),
      this.options.intervalMs ?? 60_000,
      (error) => this.ctx.deps.log.error(`sweep failed: ${error.message}`),
    );
  }

  /** One sweep; returns how many requests were told something. */
  async sweepOnce(): Promise<number> {
    const { approvals, clock, log } = this.ctx.deps;
    const before = new Date(clock.now().getTime() - (this.options.graceMs ?? 60_000));
    const due = await approvals.toAnnounce(before, this.options.batch ?? 50);
    let told = 0;
    for (const { approval, stage } of due) {
      try {
        await this.announce(approval, stage);
        told++;
      } catch (error) {
        log.error(`sweep: request ${approval.id} (${stage}) not told: ${(error as Error).message}`);
      }
    }
    if (told > 0) log.info(`sweep: told ${told} remote-run change(s) that had not been told`);
    return told;
  }

  private async announce(approval: ApprovalRecord, stage: AnnouncedStage): Promise<void> {
    const { jobs, approvals } = this.ctx.deps;
    if (stage === 'requested') {
      const withdrawn = await approvals.withdraw(approval.id, 'interrupted', { by: 'sweep' });
      if (withdrawn) await announceCancelled(this.ctx, withdrawn, 'interrupted');
      return;
    }
    if (stage === 'approved') await jobs.createForApproval(approval.id);
    if (stage !== 'finished') {
      await announceDecision(this.ctx, approval);
      return;
    }
    const job = await jobs.forApproval(approval.id);
    if (!job) return;
    if (job.status === 'Cancelled') {
      const history = await jobs.history(job.id);
      const detail = history.at(-1)?.detail ?? '';
      const reason = (CANCEL_REASONS as readonly string[]).includes(detail)
        ? (detail as CancelReason)
        : 'not-enrolled';
      await announceCancelled(this.ctx, approval, reason);
      return;
    }
    const outcome = await this.outcomeOf(job);
    await announceFinished(this.ctx, approval, job.id, outcome);
  }

  /** The finished job's outcome, read again; what storage holds when Azure no longer has it. */
  private async outcomeOf(job: JobRecord): Promise<JobOutcome> {
    const { executor, log } = this.ctx.deps;
    try {
      return await executor.follow(job.id);
    } catch (error) {
      log.warn(`sweep: output of job ${job.id} not read again: ${(error as Error).message}`);
      return {
        status: job.status,
        output: null,
        outputError: job.summary,
        summary: null,
        succeeded: false,
        dryRun: executor.dryRun,
      };
    }
  }

  /** Runs a round now and then every `intervalMs` until `stop()`; a failed round is logged. */
  start(): void {
    this.rounds.start();
  }

  /** Stops after the round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }
}
