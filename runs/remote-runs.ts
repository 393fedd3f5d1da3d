/**
 * The remote-run coordinator: a user's request becomes a stored approval request and a card in the
 * technicians' channel; a technician's press is checked (technician? not the requester? the card
 * matches the stored request?) and decided once, in storage, with compare-and-set; the card is
 * updated in place for everyone and the user is told. Approved requests become jobs that JobPoller
 * starts and follows. Everything refused is audited.
 */

import type { ActionInput, Sender, TechnicianAction } from '../bot/inputs';
import type { OutgoingMessage } from '../bot/messages';
import type { Computer, RemoteRunsPort, RunRequest, RunRequestResult } from '../bot/remote-runs-port';
import { checkParameters } from '../rules/kb/runbook-parameters';
import type { StoredRunContext } from './approval-card';
import { type RemoteContext, splitKey } from './remote-context';
import type { ApprovalRecord, JobRecord } from './stores';

/** The identities a chat user can be enrolled or listed as a technician under. */
export function identitiesOf(platform: string, user: Sender): { platform: string; id: string }[] {
  const ids = [{ platform, id: user.id }];
  if (user.directoryId) ids.unshift({ platform, id: user.directoryId });
  if (user.email) ids.push({ platform: 'email', id: user.email.toLowerCase() });
  return ids;
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
        // The job and the card's first post in one card turn: the poller's redraws queue behind it.
        await this.ctx.serially(approval.id, async () => {
          const { job } = await deps.jobs.createForApproval(approval.id);
          await this.post(decided.approval, job);
        });
        return {
          kind: 'requested',
          requestId: approval.id,
          expiresAt: approval.expiresAt,
          approvedByPolicy: true,
        };
      }
    }
    await this.ctx.serially(approval.id, () => this.post(approval));
    return {
      kind: 'requested',
      requestId: approval.id,
      expiresAt: approval.expiresAt,
      approvedByPolicy: false,
    };
  }

  private async post(approval: ApprovalRecord, job: JobRecord | null = null): Promise<void> {
    const [platform] = splitKey(approval.conversationKey);
    try {
      await this.ctx.deps.notifier.postApproval(platform, this.ctx.card(approval, job));
    } catch (error) {
      this.ctx.deps.log.error(`approval card ${approval.id} not posted: ${(error as Error).message}`);
    }
  }

  private reply(text: string): OutgoingMessage[] {
    return [{ kind: 'text', id: `remote-${Date.now().toString(36)}`, text }];
  }

  async onTechnicianAction(input: ActionInput & { action: TechnicianAction }): Promise<OutgoingMessage[]> {
    const { deps } = this.ctx;
    const action = input.action;
    const by = `${input.platform}:${input.user.id}`;
    const requestId = typeof action.request === 'string' ? action.request : '';
    const extra = Object.keys(action).filter((k) => !ALLOWED_KEYS[action.verb].includes(k));
    const approval = requestId ? await deps.approvals.get(requestId) : null;
    if (extra.length > 0) {
      await deps.approvals.recordRefusal(approval?.id ?? null, by, 'forged', {
        verb: action.verb,
        keys: extra,
      });
      return this.reply(this.ctx.t('approval.reply.forged'));
    }
    if (!approval) {
      await deps.approvals.recordRefusal(null, by, 'not-found', { verb: action.verb, request: requestId });
      return this.reply(this.ctx.t('approval.reply.not-found'));
    }
    if (!this.isTechnician(input.platform, input.user)) {
      await deps.approvals.recordRefusal(approval.id, by, 'not-technician', { verb: action.verb });
      return this.reply(this.ctx.t('approval.reply.not-technician'));
    }
    const c = approval.context as Partial<StoredRunContext>;
    const own =
      approval.requester === by ||
      (c.requesterDirectoryId != null && c.requesterDirectoryId === input.user.directoryId) ||
      (c.requesterEmail != null && c.requesterEmail.toLowerCase() === input.user.email?.toLowerCase());
    if (own) {
      await deps.approvals.recordRefusal(approval.id, by, 'requester', { verb: action.verb });
      return this.reply(this.ctx.t('approval.reply.own-request'));
    }
    if (action.verb === 'stop-job') return this.stop(approval, by);
    return this.decide(approval, action.verb === 'approve', {
      by,
      byName: input.user.name ?? null,
      digest: action.digest,
      reason: input.fields?.reason ?? null,
    });
  }

  private async decide(
    approval: ApprovalRecord,
    approve: boolean,
    press: { by: string; byName: string | null; digest: unknown; reason: string | null },
  ): Promise<OutgoingMessage[]> {
    const { deps } = this.ctx;
    const { by, digest, reason } = press;
    const note = reason?.trim() ? reason.trim().slice(0, 500) : null;
    const result = await deps.approvals.decide(approval.id, {
      approve,
      by,
      byName: press.byName,
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
    const decided = result.approval;
    const name = decided.decidedByName ?? by;
    if (approve) {
      await deps.jobs.createForApproval(decided.id);
      await this.ctx.refreshCard(decided.id);
      await this.ctx.tellUser(decided, {
        type: 'remote-update',
        requestId: decided.id,
        stage: 'approved',
        by: name,
        dryRun: deps.executor.dryRun,
      });
      return this.reply(this.ctx.t('approval.reply.approved', { computer: decided.computerName }));
    }
    await this.ctx.refreshCard(decided.id);
    await this.ctx.tellUser(decided, {
      type: 'remote-update',
      requestId: decided.id,
      stage: 'rejected',
      by: name,
      reason: note,
    });
    return this.reply(this.ctx.t('approval.reply.rejected'));
  }

  private async stop(approval: ApprovalRecord, by: string): Promise<OutgoingMessage[]> {
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
      data: { approvalId: approval.id },
    });
    return this.reply(this.ctx.t('approval.reply.stop-sent'));
  }

  /** The approval-expiry timer's handler: a request nobody decided in time lapses. */
  async expire(approvalId: string): Promise<void> {
    const expired = await this.ctx.deps.approvals.expire(approvalId);
    if (!expired) return;
    await this.ctx.refreshCard(expired.id);
    await this.ctx.tellUser(expired, { type: 'remote-update', requestId: expired.id, stage: 'expired' });
  }
}
