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
}

export type DecisionResult =
  | { ok: true; approval: ApprovalRecord }
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
    },
  ): Promise<DecisionResult>;
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
      status: string;
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

/** A job as the executor reports it (see connectors/azure-automation/executor.ts). */
export interface JobView {
  status: string;
  statusDetails: string | null;
  exception: string | null;
  finished: boolean;
}

export interface JobOutcome {
  status: string;
  output: string | null;
  outputError: string | null;
  summary: {
    ok: boolean;
    changed: boolean;
    rebootRequired: boolean;
    actions: string[];
    errors: string[];
    message: string | null;
    result: Record<string, unknown>;
  } | null;
  succeeded: boolean;
  dryRun: boolean;
  /** The job as last seen; `exception` is why Azure says it failed or was suspended. */
  snapshot?: { exception: string | null } | null;
}

export interface RunbookExecutor {
  readonly dryRun: boolean;
  readonly pollIntervalMs: number;
  start(request: {
    jobName: string;
    runbook: string;
    parameters: Record<string, string>;
    runOn: string;
  }): Promise<{ status: string; snapshot: JobView }>;
  get(jobName: string): Promise<JobView | null>;
  stop(jobName: string): Promise<void>;
  /** On a finished job: reads its output and the runbook's result (one look, no waiting). */
  follow(jobName: string): Promise<JobOutcome>;
}

/**
 * Delivers what the coordinator says. Never throws for a delivery failure (it logs it): a chat that is
 * gone must not stop a job from being recorded.
 */
export interface RemoteNotifier {
  /** Posts the approval card where the platform's technicians decide (their channel). */
  postApproval(platform: string, card: ApprovalMessage): Promise<void>;
  /** Updates the posted card in place for everyone (found by `card.requestId`). */
  updateApproval(platform: string, card: ApprovalMessage): Promise<void>;
  /** A message for the technicians about a request (the job's full output), next to its card. */
  toTechnicians(platform: string, requestId: string, text: string): Promise<void>;
  /** Proactive messages to a user's conversation ("platform:conversationId"). */
  toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void>;
}
