/**
 * Telling both sides what storage already holds: the technicians (the card, redrawn in place, and the
 * job's output next to it) and the employee (a system event through the bot, in their language). Each
 * announcement ends by recording what was told (`markAnnounced`), so a process that died after a change
 * was stored but before it was told leaves it for the sweep (sweeper.ts) to tell.
 */
import { createHash } from 'node:crypto';
import { storedContext } from './approval-card';
import type { JobOutcome } from './executor';
import { jobException, runResult } from './outcome';
import { type RemoteContext, splitKey } from './remote-context';
import type { ApprovalRecord } from './stores';

/**
 * Why a job was refused before anything was sent (not-enrolled, stale), or a request withdrawn: no
 * technician could be reached (unreachable), or the process that made it died before its card was
 * posted, so the employee's conversation never learnt of it either (interrupted).
 */
export type CancelReason = 'not-enrolled' | 'stale' | 'unreachable' | 'interrupted';
export const CANCEL_REASONS: readonly CancelReason[] = [
  'not-enrolled',
  'stale',
  'unreachable',
  'interrupted',
];
const WITHDRAWN: readonly CancelReason[] = ['unreachable', 'interrupted'];

const MAX_OUTPUT = 12_000;

export const outputDigest = (outcome: JobOutcome): string | null =>
  outcome.output === null ? null : createHash('sha256').update(outcome.output).digest('hex');

/** A decision (approved, rejected, expired): the card redrawn, the employee told. */
export async function announceDecision(ctx: RemoteContext, approval: ApprovalRecord): Promise<void> {
  const { deps } = ctx;
  await ctx.refreshCard(approval.id);
  const by = approval.decidedByName ?? approval.decidedBy ?? null;
  const base = { type: 'remote-update', requestId: approval.id } as const;
  if (approval.status === 'approved') {
    // A request approved by policy was announced as started when it was made.
    if (!storedContext(approval).approvedByPolicy)
      await ctx.tellUser(approval, { ...base, stage: 'approved', by, dryRun: deps.executor.dryRun });
  } else if (approval.status === 'rejected')
    await ctx.tellUser(approval, { ...base, stage: 'rejected', by, reason: approval.note });
  else if (approval.status === 'expired') await ctx.tellUser(approval, { ...base, stage: 'expired' });
  else return;
  await deps.approvals.markAnnounced(approval.id, approval.status);
}

/** A finished job: the card shows the result, the technicians get the output, the employee a summary. */
export async function announceFinished(
  ctx: RemoteContext,
  approval: ApprovalRecord,
  jobId: string,
  outcome: JobOutcome,
): Promise<void> {
  const { log, approvals } = ctx.deps;
  const { notifier } = ctx;
  await ctx.refreshCard(approval.id);
  const [platform] = splitKey(approval.conversationKey);
  const head = ctx.t('approval.output', {
    runbook: approval.runbook,
    computer: approval.computerName,
    status: outcome.status,
  });
  const output = outcome.output ?? '';
  const why = jobException(outcome, 4000);
  const exception = why ? `${ctx.t('approval.exception', { exception: why })}\n` : '';
  const body = output.trim()
    ? output.length > MAX_OUTPUT
      ? `${output.slice(0, MAX_OUTPUT)}\n…`
      : output.trim()
    : ctx.t('approval.output-none');
  try {
    await notifier.toTechnicians(platform, approval.id, `${head}\n${exception}${body}`);
  } catch (error) {
    log.warn(`output of job ${jobId} not posted to the technicians: ${(error as Error).message}`);
  }
  await ctx.tellUser(approval, {
    type: 'remote-update',
    requestId: approval.id,
    stage: 'finished',
    result: runResult(outcome),
    dryRun: outcome.dryRun,
  });
  await approvals.markAnnounced(approval.id, 'finished');
}

/** The technicians' words for a refusal (on the card and next to it). */
export function cancelText(ctx: RemoteContext, approval: ApprovalRecord, reason: CancelReason): string {
  return ctx.t(`approval.cancelled.${reason}`, {
    computer: approval.computerName,
    minutes: ctx.deps.policy.approvalMinutes,
  });
}

/** A job refused before anything was sent, or a request no technician could see: both sides told. */
export async function announceCancelled(
  ctx: RemoteContext,
  approval: ApprovalRecord,
  reason: CancelReason,
): Promise<void> {
  const { log, approvals } = ctx.deps;
  const { notifier } = ctx;
  await ctx.refreshCard(approval.id);
  if (!WITHDRAWN.includes(reason)) {
    const [platform] = splitKey(approval.conversationKey);
    try {
      await notifier.toTechnicians(platform, approval.id, cancelText(ctx, approval, reason));
    } catch (error) {
      log.warn(`refusal of ${approval.id} not posted to the technicians: ${(error as Error).message}`);
    }
  }
  await ctx.tellUser(approval, { type: 'remote-update', requestId: approval.id, stage: 'cancelled', reason });
  await approvals.markAnnounced(approval.id, WITHDRAWN.includes(reason) ? 'expired' : 'finished');
}
