/**
 * What the remote-run coordinator needs from the outside, as plain interfaces: the repositories
 * (connectors/storage implements them), the executor (connectors/azure-automation) and the notifier
 * (the chat connectors). `bot/` imports none of those modules; the composition root hands them in.
 */
import type { ApprovalMessage, OutgoingMessage } from '../bot/messages';

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'expired';

export interface ApprovalRecord {
  id: string;
  conversationKey: string;
  requester: string;
  stepId: string;
  runbook: string;
  parameters: Record<string, unknown>;
  computerName: string;
  workerGroup: string;
  status: ApprovalState;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  /** The decider's display name as the platform gave it (kept for cards redrawn after a restart). */
  decidedByName?: string | null;
  decidedAt: string | null;
  note: string | null;
  digest: string | null;
  context: Record<string, unknown>;
  /** What both sides were last told (requested, approved, rejected, expired, finished); null: nothing. */
  announced?: string | null;
}

/** What a sweep tells: the card posted, the decision shown, the job's end shown. */
export type AnnouncedStage = 'requested' | 'approved' | 'rejected' | 'expired' | 'finished';

export type DecisionResult =
  /** An approval comes with its job's intent (written in the same transaction). */
  | { ok: true; approval: ApprovalRecord; job?: JobRecord | null }
  | { ok: false; reason: 'not-found'; approval: null }
  | { ok: false; reason: 'already-decided' | 'expired' | 'requester' | 'forged'; approval: ApprovalRecord };

export interface ApprovalStore {
  request(input: {
    conversationKey: string;
    requester: string;
    stepId: string;
    runbook: string;
    parameters: Record<string, unknown>;
    computerName: string;
    workerGroup: string;
    ttlMs?: number;
    context?: Record<string, unknown>;
    /** The employee agreed to a restart (audited as its own event). */
    consent?: { restart: boolean } | null;
  }): Promise<{ created: boolean; approval: ApprovalRecord }>;
  get(id: string): Promise<ApprovalRecord | null>;
  decide(
    id: string,
    decision: {
      approve: boolean;
      by: string;
      byName?: string | null;
      note?: string | null;
      digest?: string | null;
      /** The decider's directory id and e-mail, where the platform gives them (audited). */
      identity?: { directoryId?: string | null; email?: string | null } | null;
    },
  ): Promise<DecisionResult>;
  /** Requests changed at or before `before` whose change nobody was told yet. */
  toAnnounce(before: Date, limit?: number): Promise<{ approval: ApprovalRecord; stage: AnnouncedStage }[]>;
  markAnnounced(id: string, stage: AnnouncedStage): Promise<void>;
  /** A pending request no technician can see lapses now (audited); null when it was not pending. */
  withdraw(id: string, reason: string, data?: Record<string, unknown>): Promise<ApprovalRecord | null>;
  expire(id: string): Promise<ApprovalRecord | null>;
  recordRefusal(id: string | null, by: string, reason: string, data?: Record<string, unknown>): Promise<void>;
}

export interface JobRecord {
  id: string;
  approvalId: string;
  conversationKey: string;
  runbook: string;
  parameters: Record<string, unknown>;
  workerGroup: string;
  status: string;
  terminal: boolean;
  externalId: string | null;
  summary: string | null;
  startedAt: string | null;
}

export interface JobStore {
  createForApproval(approvalId: string): Promise<{ created: boolean; job: JobRecord }>;
  claimForPoll(owner: string, limit: number, leaseMs: number): Promise<JobRecord[]>;
  recordPoll(
    id: string,
    owner: string,
    poll: {
      /** The executor's word (or Cancelled / Failed for jobs winfix refused or gave up on). */
      status: string;
      /** True once there is nothing more to poll; without it, storage decides from known statuses. */
      finished?: boolean;
      detail?: string | null;
      externalId?: string | null;
      summary?: string | null;
      outputDigest?: string | null;
      nextPollAt: Date;
    },
  ): Promise<boolean>;
  /** Marks that a create is about to be sent; true when an earlier attempt was already marked. */
  markStarting(id: string, owner: string): Promise<boolean>;
  forApproval(approvalId: string): Promise<JobRecord | null>;
  /** The job's status changes, oldest first (`detail` of a Cancelled one is its reason). */
  history(id: string): Promise<{ status: string; detail: string | null; at: string }[]>;
}

export interface EnrollmentStore {
  forUser(platform: string, userId: string): Promise<{ computerName: string; workerGroup: string }[]>;
}

export interface AuditSink {
  append(entry: {
    actor: string;
    action: string;
    subject?: string | null;
    targetUser?: string | null;
    data?: Record<string, unknown>;
  }): Promise<void>;
}

/**
 * How an approval card's post went: shown to the technicians (`delivered`); kept by the connector and
 * posted as soon as the channel can be reached (`queued`); or nobody can see it (`failed`).
 */
export type Delivery = 'delivered' | 'queued' | 'failed';

/**
 * Delivers what the coordinator says. `postApproval` says how it went: it returns the delivery (a
 * notifier may also throw; an error with `queued: true` counts as queued, any other as failed), and
 * the coordinator tells the employee the truth and audits it. Everything else never throws for a
 * delivery failure (it logs it): a chat that is gone must not stop a job from being recorded.
 */
export interface RemoteNotifier {
  /** Posts the approval card where the platform's technicians decide (their channel). */
  postApproval(platform: string, card: ApprovalMessage): Promise<Delivery>;
  /** Updates the posted card in place for everyone (found by `card.requestId`). */
  updateApproval(platform: string, card: ApprovalMessage): Promise<void>;
  /** A message for the technicians about a request (the job's full output), next to its card. */
  toTechnicians(platform: string, requestId: string, text: string): Promise<void>;
  /**
   * Proactive messages to a user's conversation ("platform:conversationId"). Rejects when the platform
   * refused them (the error's `code` says why), so the core can tell the technicians instead.
   */
  toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void>;
}
