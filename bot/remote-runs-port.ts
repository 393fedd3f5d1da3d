/**
 * What the conversation core needs from remote runs (implemented by `RemoteRuns` in `runs/`, over
 * storage and an executor the composition root hands it). The core never sees storage or Azure.
 */

import type { Locale } from '../rules/vocabulary';
import type { ActionInput, ApprovalView, Sender, TechnicianAction } from './inputs';
import type { OutgoingMessage } from './messages';

/** An enrolled PC: its name and its own Hybrid Runbook Worker group. */
export interface Computer {
  name: string;
  workerGroup: string;
}

/** What the approval card shows about the case, beside the runbook (kept with the request). */
export interface RunCaseContext {
  requesterName: string | null;
  locale: Locale;
  code: string | null;
  context: string | null;
  os: string | null;
  kb: string[];
  tried: { stepId: string; outcome: string }[];
}

export interface RunRequest {
  conversationKey: string;
  platform: string;
  requester: Sender;
  stepId: string;
  runbook: string;
  /** Already filled in from the case ({kb} → the KB number). */
  parameters: Record<string, string>;
  computer: Computer;
  case: RunCaseContext;
  /** The employee agreed that the run may restart the PC (asked for runbooks that restart). */
  restartConsent?: boolean;
}

export type RunRequestResult =
  | {
      kind: 'requested';
      requestId: string;
      expiresAt: string;
      approvedByPolicy: boolean;
      /**
       * Whether the technicians can see the card: 'delivered'; or 'queued' (their channel cannot be
       * reached yet; the card is kept and shown as soon as it can be).
       */
      delivery?: 'delivered' | 'queued';
    }
  /** No technician could be reached: the request was withdrawn (audited). */
  | { kind: 'unreachable'; requestId: string }
  /** One open request per user and PC: this one is still waiting. */
  | { kind: 'busy'; requestId: string; stepId: string; computer: string }
  /** Not allowed (runbook not on the allow-list, bad parameter) or not possible now. */
  | { kind: 'refused'; detail: string };

export interface RemoteRunsPort {
  /** Nothing runs anywhere (the dry-run executor): every message says so. */
  readonly dryRun: boolean;
  /** How long technicians have to decide, in minutes. */
  readonly approvalMinutes: number;
  /** The PCs enrolled to the user ([] when none). */
  computersOf(platform: string, user: Sender): Promise<Computer[]>;
  /** Whether the runbook is on the allow-list and may be offered. */
  allows(runbook: string): boolean;
  request(request: RunRequest): Promise<RunRequestResult>;
  /** A technician pressed a button on an approval card; returns what to answer the presser. */
  onTechnicianAction(input: ActionInput & { action: TechnicianAction }): Promise<OutgoingMessage[]>;
  /**
   * Someone looks at an approval card (Teams asks each time it shows a card with `refresh`): the card as
   * they may see it, as a `personal` card-update (Approve / Reject only for a technician while the
   * request is open). Not implemented: nothing is answered.
   */
  viewApproval?(input: ActionInput & { action: ApprovalView }): Promise<OutgoingMessage[]>;
}
