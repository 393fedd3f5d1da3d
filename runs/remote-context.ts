/**
 * What the coordinator and the job poller share: the stores, the executor, the notifier, the policy,
 * and the two ways they speak — the approval card (technicians) and system events (the user's
 * conversation, through the bot so its state moves with optimistic versioning).
 */

import type { Bot } from '../bot/bot';
import type { Clock } from '../bot/clock';
import type { MessageKey, Translator, Vars } from '../bot/i18n/translator';
import type { RemoteUpdateEvent } from '../bot/inputs';
import type { OutgoingMessage } from '../bot/messages';
import type { KnowledgeBase } from '../rules/kb/load';
import { approvalCard, storedContext } from './approval-card';
import type { RunbookExecutor } from './executor';
import { DEFAULT_NOTICE_DEADLINE_MS, noticesWithDeadline } from './notice-deadline';
import type { RemotePolicy } from './policy';
import type {
  ApprovalRecord,
  ApprovalStore,
  AuditSink,
  EnrollmentStore,
  JobRecord,
  JobStore,
  RemoteNotifier,
} from './stores';

export interface RemoteLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RemoteDeps {
  approvals: ApprovalStore;
  jobs: JobStore;
  enrollments: EnrollmentStore;
  audit: AuditSink;
  executor: RunbookExecutor;
  notifier: RemoteNotifier;
  policy: RemotePolicy;
  kb: KnowledgeBase;
  translator: Translator;
  clock: Clock;
  log: RemoteLog;
  /** How long a notice (card redraw, note, message to the requester) may take (default 30 s). */
  noticeDeadlineMs?: number;
}

/** "teams:a:b" → ["teams", "a:b"]. */
export function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

export class RemoteContext {
  private bot: Bot | null = null;
  /** Per request, the card work in flight: card posts and redraws go out one at a time, in order. */
  private readonly cardWork = new Map<string, Promise<unknown>>();
  /** `deps.notifier` with a deadline on every notice (notice-deadline.ts): use this one. */
  readonly notifier: RemoteNotifier;

  constructor(readonly deps: RemoteDeps) {
    this.notifier = noticesWithDeadline(deps.notifier, deps.noticeDeadlineMs ?? DEFAULT_NOTICE_DEADLINE_MS);
  }

  attach(bot: Bot): void {
    this.bot = bot;
  }

  /** Technician-facing text. */
  t(key: MessageKey, vars?: Vars): string {
    return this.deps.translator.t(this.deps.policy.technicianLocale, key, vars);
  }

  card(approval: ApprovalRecord, job: JobRecord | null) {
    return approvalCard({
      approval,
      kb: this.deps.kb,
      translator: this.deps.translator,
      locale: this.deps.policy.technicianLocale,
      dryRun: this.deps.executor.dryRun,
      job: job ? { status: job.status, summary: job.summary, finished: job.terminal } : null,
      deciderName: approval.decidedByName ?? null,
    });
  }

  /**
   * Runs card work for one request after the work queued before it (in this process), so a slow
   * "Queued" redraw can never land after the "Completed" one.
   */
  serially<T>(requestId: string, work: () => Promise<T>): Promise<T> {
    const before = this.cardWork.get(requestId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    this.cardWork.set(requestId, mine);
    const forget = () => {
      if (this.cardWork.get(requestId) === mine) this.cardWork.delete(requestId);
    };
    mine.then(forget, forget);
    return mine;
  }

  /**
   * Redraws the approval card in place for everyone from what storage holds when the redraw's turn
   * comes (callers store first, then refresh): the last redraw always shows the latest state.
   */
  async refreshCard(requestId: string): Promise<void> {
    await this.serially(requestId, async () => {
      const approval = await this.deps.approvals.get(requestId);
      if (!approval) return;
      const [platform] = splitKey(approval.conversationKey);
      try {
        const job = await this.deps.jobs.forApproval(requestId);
        await this.notifier.updateApproval(platform, this.card(approval, job));
      } catch (error) {
        this.deps.log.warn(`approval card ${requestId} not updated: ${(error as Error).message}`);
      }
    });
  }

  /**
   * Tells the requester through their conversation (the bot turns the event into their language). When
   * the platform refuses the messages (the bot was removed from the chat, the chat is gone), the
   * technicians get what the requester was to read, next to the card, and the audit log a
   * `notify.failed` entry: nothing is dropped without a trace.
   */
  async tellUser(approval: ApprovalRecord, event: RemoteUpdateEvent): Promise<void> {
    if (!this.bot) throw new Error('RemoteRuns is not attached to a bot');
    const [platform, conversationId] = splitKey(approval.conversationKey);
    const c = storedContext(approval);
    let messages: OutgoingMessage[];
    try {
      messages = await this.bot.handle({
        kind: 'system',
        platform,
        conversationId,
        user: {
          id: c.requesterId ?? splitKey(approval.requester)[1],
          directoryId: c.requesterDirectoryId ?? null,
          email: c.requesterEmail ?? null,
        },
        event,
      });
    } catch (error) {
      this.deps.log.error(
        `could not tell the requester of ${approval.id} (${event.stage}): ${(error as Error).message}`,
      );
      return;
    }
    if (messages.length === 0) return;
    try {
      await this.notifier.toConversation(approval.conversationKey, messages);
    } catch (error) {
      await this.notifyFailed(approval, event, messages, error);
    }
  }

  /** The requester's messages could not be delivered: the technicians and the audit log are told. */
  private async notifyFailed(
    approval: ApprovalRecord,
    event: RemoteUpdateEvent,
    messages: OutgoingMessage[],
    error: unknown,
  ): Promise<void> {
    const [platform] = splitKey(approval.conversationKey);
    const failure = error as { message?: unknown; code?: unknown };
    const code = typeof failure.code === 'string' ? failure.code : null;
    const detail = String(failure.message ?? error).slice(0, 300);
    this.deps.log.warn(`the requester of ${approval.id} was not told (${event.stage}): ${detail}`);
    const text = messages
      .map((m) => ('text' in m && typeof m.text === 'string' ? m.text : null))
      .filter((t): t is string => Boolean(t))
      .join('\n');
    const c = storedContext(approval);
    try {
      await this.deps.audit.append({
        actor: 'system',
        action: 'notify.failed',
        subject: approval.id,
        targetUser: approval.requester,
        data: { platform, stage: event.stage, code, detail },
      });
    } catch (auditError) {
      this.deps.log.error(`audit of the failed notice on ${approval.id}: ${(auditError as Error).message}`);
    }
    try {
      await this.notifier.toTechnicians(
        platform,
        approval.id,
        this.t('approval.notify-failed', {
          requester: c.requesterName ?? c.requesterId ?? approval.requester,
          reason: detail,
          text: text || event.stage,
        }),
      );
    } catch (notifyError) {
      this.deps.log.error(
        `the technicians were not told that ${approval.id}'s requester was unreachable: ${(notifyError as Error).message}`,
      );
    }
  }
}
