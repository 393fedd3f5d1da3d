/**
 * What the coordinator and the job poller share: the stores, the executor, the notifier, the policy,
 * and the two ways they speak — the approval card (technicians) and system events (the user's
 * conversation, through the bot so its state moves with optimistic versioning).
 */
import type { KnowledgeBase } from '../../rules/kb/load';
import type { Bot } from '../bot';
import type { Clock } from '../clock';
import type { MessageKey, Translator, Vars } from '../i18n/translator';
import type { SystemEvent } from '../inputs';
import { approvalCard, type CardJob, storedContext } from './approval-card';
import type { RemotePolicy } from './policy';
import type {
  ApprovalRecord,
  ApprovalStore,
  AuditSink,
  EnrollmentStore,
  JobStore,
  RemoteNotifier,
  RunbookExecutor,
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
}

/** "teams:a:b" → ["teams", "a:b"]. */
export function splitKey(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

export class RemoteContext {
  private bot: Bot | null = null;
  /** Display names of deciders seen by this process ("teams:29:x" → "Kenji Sato"). */
  readonly names = new Map<string, string>();

  constructor(readonly deps: RemoteDeps) {}

  attach(bot: Bot): void {
    this.bot = bot;
  }

  /** Technician-facing text. */
  t(key: MessageKey, vars?: Vars): string {
    return this.deps.translator.t(this.deps.policy.technicianLocale, key, vars);
  }

  card(approval: ApprovalRecord, job: CardJob | null) {
    return approvalCard({
      approval,
      kb: this.deps.kb,
      translator: this.deps.translator,
      locale: this.deps.policy.technicianLocale,
      dryRun: this.deps.executor.dryRun,
      job,
      deciderName: approval.decidedBy ? (this.names.get(approval.decidedBy) ?? null) : null,
    });
  }

  /** Redraws the approval card in place for everyone. */
  async refreshCard(approval: ApprovalRecord, job: CardJob | null = null): Promise<void> {
    const [platform] = splitKey(approval.conversationKey);
    try {
      await this.deps.notifier.updateApproval(platform, this.card(approval, job));
    } catch (error) {
      this.deps.log.warn(`approval card ${approval.id} not updated: ${(error as Error).message}`);
    }
  }

  /** Tells the requester through their conversation (the bot turns the event into their language). */
  async tellUser(approval: ApprovalRecord, event: SystemEvent): Promise<void> {
    if (!this.bot) throw new Error('RemoteRuns is not attached to a bot');
    const [platform, conversationId] = splitKey(approval.conversationKey);
    const c = storedContext(approval);
    try {
      const messages = await this.bot.handle({
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
      if (messages.length > 0) await this.deps.notifier.toConversation(approval.conversationKey, messages);
    } catch (error) {
      this.deps.log.error(
        `could not tell the requester of ${approval.id} (${event.stage}): ${(error as Error).message}`,
      );
    }
  }
}
