/**
 * The remote-run coordinator: a user's request becomes a stored approval request and a card in the
 * technicians' channel; a technician's press is checked (technician? not the requester? the card
 * matches the stored request?) and decided once, in storage, with compare-and-set; the card is
 * updated in place for everyone and the user is told. Approved requests become jobs (written with the
 * decision, in one transaction) that JobPoller starts and follows. Presses count only in the
 * technicians' conversation. A card nobody can see is said to the employee as it is (kept for later,
 * or withdrawn). Everything refused is audited, with the technician's directory id and e-mail where
 * the platform gives them.
 */

import type { ActionInput, ApprovalView, Sender, TechnicianAction } from '../bot/inputs';
import type { OutgoingMessage } from '../bot/messages';
import type { Computer, RemoteRunsPort, RunRequest, RunRequestResult } from '../bot/remote-runs-port';
import { checkParameters } from '../rules/kb/runbook-parameters';
import { announceDecision } from './announce';
import { type StoredRunContext, statusView } from './approval-card';
import { identitiesOf, technicianData } from './ownership';
import { type RemoteContext, splitKey } from './remote-context';
import type { ApprovalRecord, Delivery, JobRecord } from './stores';

export { identitiesOf } from './ownership';

/**
 * Whether a conversation is the configured technicians' one: the same id, a thread in it (Teams
 * `…;messageid=…`), or (Slack `team:channel[:thread]`) the same channel.
 */
export function inConversation(platform: string, conversationId: string, configured: string): boolean {
  if (conversationId === configured) return true;
  if (platform === 'teams') return conversationId.split(';')[0] === configured;
  if (platform === 'slack') return conversationId.split(':')[1] === configured;
  return false;
}

/** Whether the press or look comes from the requester (by chat id, directory id or e-mail). */
function isOwn(approval: ApprovalRecord, input: ActionInput): boolean {
  const c = approval.context as Partial<StoredRunContext>;
  return (
    approval.requester === `${input.platform}:${input.user.id}` ||
    (c.requesterDirectoryId != null && c.requesterDirectoryId === input.user.directoryId) ||
    (c.requesterEmail != null && c.requesterEmail.toLowerCase() === input.user.email?.toLowerCase())
  );
}

const ALLOWED_KEYS: Record<TechnicianAction['verb'], string[]> = {
  approve: ['verb', 'request', 'digest'],
  reject: ['verb', 'request', 'digest'],
  'stop-job': ['verb', 'request'],
};

export class RemoteRuns implements RemoteRunsPort {
  constructor(private readonly ctx: RemoteContext) {}

  get dryRun(): boolean {
    return this.ctx.deps.executor.dryRun;
  }

  get approvalMinutes(): number {
    return this.ctx.deps.policy.approvalMinutes;
  }

  allows(runbook: string): boolean {
    const allowed = this.ctx.deps.policy.allowedRunbooks;
    return this.ctx.deps.kb.runbooks.has(runbook) && (allowed === null || allowed.includes(runbook));
  }

  async computersOf(platform: string, user: Sender): Promise<Computer[]> {
    const found = new Map<string, Computer>();
    for (const identity of identitiesOf(platform, user))
      for (const e of await this.ctx.deps.enrollments.forUser(identity.platform, identity.id))
        if (!found.has(e.computerName.toLowerCase()))
          found.set(e.computerName.toLowerCase(), { name: e.computerName, workerGroup: e.workerGroup });
    return [...found.values()];
  }

  isTechnician(platform: string, user: Sender): boolean {
    const list = (this.ctx.deps.policy.technicians[platform] ?? []).map((id) => id.toLowerCase());
    return identitiesOf(platform, user).some((i) => list.includes(i.id.toLowerCase()));
  }

  async request(req: RunRequest): Promise<RunRequestResult> {
    const { deps } = this.ctx;
    const runbook = deps.kb.runbooks.get(req.runbook);
    if (!runbook || !this.allows(req.runbook))
      return { kind: 'refused', detail: `${req.runbook} is not on the list of runbooks allowed to run` };
    const problems = checkParameters(runbook.parameters, req.parameters);
    if (problems.length > 0) return { kind: 'refused', detail: problems.join('; ') };
    const byPolicy = runbook.kind === 'diagnostic' && deps.policy.diagnosticsWithoutApproval;
    const context: StoredRunContext = {
      ...req.case,
      platform: req.platform,
      requesterId: req.requester.id,
      requesterDirectoryId: req.requester.directoryId ?? null,
      requesterEmail: req.requester.email ?? null,
      kind: runbook.kind,
      approvedByPolicy: byPolicy,
    };
    const { created, approval } = await deps.approvals.request({
      consent: req.restartConsent ? { restart: true } : null,
      conversationKey: req.conversationKey,
      requester: `${req.platform}:${req.requester.id}`,
      stepId: req.stepId,
      runbook: req.runbook,
      parameters: req.parameters,
      computerName: req.computer.name,
      workerGroup: req.computer.workerGroup,
      ttlMs: deps.policy.approvalMinutes * 60_000,
      context: context as unknown as Record<string, unknown>,
    });
    if (!created) {
      // The same request again (a retried turn) is the same request; anything else waits its turn.
      if (approval.conversationKey === req.conversationKey && approval.stepId === req.stepId)
        return {
          kind: 'requested',
          requestId: approval.id,
          expiresAt: approval.expiresAt,
          approvedByPolicy: byPolicy,
        };
      return {
        kind: 'busy',
        requestId: approval.id,
        stepId: approval.stepId,
        computer: approval.computerName,
      };
    }
    if (byPolicy) {
      const decided = await deps.approvals.decide(approval.id, {
        approve: true,
        by: 'policy',
        digest: approval.digest,
      });
      if (decided.ok) {
        // The card's first post in one card turn: the poller's redraws queue behind it.
        await this.ctx.serially(approval.id, async () => {
          const { job } = await deps.jobs.createForApproval(approval.id);
          if ((await this.post(decided.approval, job)) !== 'failed')
            await deps.approvals.markAnnounced(approval.id, 'approved');
        });
        return {
          kind: 'requested',
          requestId: approval.id,
          expiresAt: approval.expiresAt,
          approvedByPolicy: true,
        };
      }
    }
    const delivery = await this.ctx.serially(approval.id, () => this.post(approval));
    if (delivery === 'failed') {
      await deps.approvals.withdraw(approval.id, 'unreachable', { delivery });
      return { kind: 'unreachable', requestId: approval.id };
    }
    return {
      kind: 'requested',
      requestId: approval.id,
      expiresAt: approval.expiresAt,
      approvedByPolicy: false,
      delivery,
    };
  }

  /**
   * Posts the approval card and says how it went: 'delivered'; 'queued' (the connector keeps it and
   * posts it when the channel can be reached: a notifier error with `queued: true`); 'failed' (nobody
   * can see it). A pending request's card that went out (or is kept) is recorded as told; anything
   * else is audited (`approval.undelivered`).
   */
  private async post(approval: ApprovalRecord, job: JobRecord | null = null): Promise<Delivery> {
    const { deps } = this.ctx;
    const [platform] = splitKey(approval.conversationKey);
    let delivery: Delivery;
    let code: string | null = null;
    try {
      delivery = (await deps.notifier.postApproval(platform, this.ctx.card(approval, job))) ?? 'failed';
    } catch (thrown) {
      const failure = thrown as { message?: string; code?: unknown; queued?: unknown };
      code = typeof failure.code === 'string' ? failure.code : null;
      delivery = failure.queued === true ? 'queued' : 'failed';
      deps.log.warn(`approval card ${approval.id} not posted: ${failure.message ?? String(thrown)}`);
    }
    if (delivery !== 'delivered')
      await deps.audit.append({
        actor: 'system',
        action: 'approval.undelivered',
        subject: approval.id,
        targetUser: approval.requester,
        data: { platform, delivery, code },
      });
    if (delivery !== 'failed' && approval.status === 'pending')
      await deps.approvals.markAnnounced(approval.id, 'requested');
    return delivery;
  }

  /** Whether a press came from where the platform's technicians decide (anywhere when none is set). */
  private fromTechnicians(input: ActionInput): boolean {
    const configured = this.ctx.deps.policy.technicianConversations[input.platform];
    return !configured || inConversation(input.platform, input.conversationId, configured);
  }

  private reply(text: string): OutgoingMessage[] {
    return [{ kind: 'text', id: `remote-${Date.now().toString(36)}`, text }];
  }

  /**
   * Someone looks at an approval card: the card as they may see it now (`personal`), with its buttons
   * only if they may act on it. Never refused or audited (Teams asks each time it shows the card).
   */
  async viewApproval(input: ActionInput & { action: ApprovalView }): Promise<OutgoingMessage[]> {
    const action = input.action;
    const extra = Object.keys(action).some((k) => k !== 'verb' && k !== 'request');
    const requestId = typeof action.request === 'string' && !extra ? action.request : '';
    const approval = requestId ? await this.ctx.deps.approvals.get(requestId) : null;
    if (!approval) return this.reply(this.ctx.t('approval.reply.not-found'));
    return [await this.viewFor(input, approval)];
  }

  async onTechnicianAction(input: ActionInput & { action: TechnicianAction }): Promise<OutgoingMessage[]> {
    const action = input.action;
    const requestId = typeof action.request === 'string' ? action.request : '';
    // A press is answered with what happened and, when the request exists, the card as the presser may
    // now see it (Teams shows it in place of their view; Slack ignores it).
    const replies = await this.pressed(input, requestId);
    const approval = requestId ? await this.ctx.deps.approvals.get(requestId) : null;
    return approval ? [...replies, await this.viewFor(input, approval)] : replies;
  }

  /** Whether this person may act on the request now: a technician, where technicians decide, not the requester. */
  private mayAct(input: ActionInput, approval: ApprovalRecord): boolean {
    return (
      this.fromTechnicians(input) && this.isTechnician(input.platform, input.user) && !isOwn(approval, input)
    );
  }

  /** The card as this person may see it now: with its buttons only if they may act on the request. */
  private async viewFor(input: ActionInput, approval: ApprovalRecord): Promise<OutgoingMessage> {
    const job = await this.ctx.deps.jobs.forApproval(approval.id);
    const card = this.ctx.card(approval, job);
    return {
      kind: 'card-update',
      id: `${card.id}-view`,
      cardId: card.id,
      answer: card.decision ?? '',
      card: this.mayAct(input, approval) ? card : statusView(card),
      personal: true,
    };
  }

  private async pressed(
    input: ActionInput & { action: TechnicianAction },
    requestId: string,
  ): Promise<OutgoingMessage[]> {
    const { deps } = this.ctx;
    const action = input.action;
    const by = `${input.platform}:${input.user.id}`;
    const who = technicianData(input.user);
    const extra = Object.keys(action).filter((k) => !ALLOWED_KEYS[action.verb].includes(k));
    const approval = requestId ? await deps.approvals.get(requestId) : null;
    if (extra.length > 0) {
      await deps.approvals.recordRefusal(approval?.id ?? null, by, 'forged', {
        verb: action.verb,
        keys: extra,
        ...who,
      });
      return this.reply(this.ctx.t('approval.reply.forged'));
    }
    if (!approval) {
      await deps.approvals.recordRefusal(null, by, 'not-found', {
        verb: action.verb,
        request: requestId,
        ...who,
      });
      return this.reply(this.ctx.t('approval.reply.not-found'));
    }
    if (!this.fromTechnicians(input)) {
      await deps.approvals.recordRefusal(approval.id, by, 'wrong-conversation', {
        verb: action.verb,
        conversationId: input.conversationId,
        ...who,
      });
      return this.reply(this.ctx.t('approval.reply.wrong-conversation'));
    }
    if (!this.isTechnician(input.platform, input.user)) {
      await deps.approvals.recordRefusal(approval.id, by, 'not-technician', { verb: action.verb, ...who });
      return this.reply(this.ctx.t('approval.reply.not-technician'));
    }
    if (isOwn(approval, input)) {
      await deps.approvals.recordRefusal(approval.id, by, 'requester', { verb: action.verb, ...who });
      return this.reply(this.ctx.t('approval.reply.own-request'));
    }
    if (action.verb === 'stop-job') return this.stop(approval, by, who);
    return this.decide(approval, action.verb === 'approve', {
      by,
      byName: input.user.name ?? null,
      identity: { directoryId: input.user.directoryId ?? null, email: input.user.email ?? null },
      digest: action.digest,
      reason: input.fields?.reason ?? null,
    });
  }

  private async decide(
    approval: ApprovalRecord,
    approve: boolean,
    press: {
      by: string;
      byName: string | null;
      identity: { directoryId: string | null; email: string | null };
      digest: unknown;
      reason: string | null;
    },
  ): Promise<OutgoingMessage[]> {
    const { deps } = this.ctx;
    const { by, digest, reason } = press;
    const note = reason?.trim() ? reason.trim().slice(0, 500) : null;
    const result = await deps.approvals.decide(approval.id, {
      approve,
      by,
      byName: press.byName,
      identity: press.identity,
      note: approve ? null : note,
      digest: typeof digest === 'string' ? digest : '',
    });
    if (!result.ok) {
      if (result.reason === 'forged') return this.reply(this.ctx.t('approval.reply.forged'));
      if (result.reason === 'requester') return this.reply(this.ctx.t('approval.reply.own-request'));
      if (result.reason === 'not-found') return this.reply(this.ctx.t('approval.reply.not-found'));
      if (result.reason === 'expired') return this.reply(this.ctx.t('approval.reply.expired'));
      const card = this.ctx.card(result.approval, null);
      return this.reply(
        this.ctx.t('approval.reply.already', { decision: card.decision ?? result.approval.status }),
      );
    }
    // The decision and (approved) the job's intent are stored together: telling comes after, and a
    // crash before it is told leaves it to the sweep.
    const decided = result.approval;
    if (approve && !result.job) await deps.jobs.createForApproval(decided.id);
    await announceDecision(this.ctx, decided);
    return this.reply(
      approve
        ? this.ctx.t('approval.reply.approved', { computer: decided.computerName })
        : this.ctx.t('approval.reply.rejected'),
    );
  }

  private async stop(
    approval: ApprovalRecord,
    by: string,
    who: Record<string, unknown>,
  ): Promise<OutgoingMessage[]> {
    const { deps } = this.ctx;
    const job = await deps.jobs.forApproval(approval.id);
    if (!job || job.terminal) return this.reply(this.ctx.t('approval.reply.no-job'));
    try {
      await deps.executor.stop(job.id);
    } catch (error) {
      deps.log.warn(`job ${job.id} not stopped: ${(error as Error).message}`);
      return this.reply(this.ctx.t('approval.reply.no-job'));
    }
    await deps.audit.append({
      actor: by,
      action: 'job.stop-requested',
      subject: job.id,
      data: { approvalId: approval.id, ...who },
    });
    return this.reply(this.ctx.t('approval.reply.stop-sent'));
  }

  /** The approval-expiry timer's handler: a request nobody decided in time lapses. */
  async expire(approvalId: string): Promise<void> {
    const expired = await this.ctx.deps.approvals.expire(approvalId);
    if (expired) await announceDecision(this.ctx, expired);
  }
}
