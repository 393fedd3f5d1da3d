/**
 * What a connector hands to the bot: a text message, a button press (an action the bot put on a card)
 * or a system event. Connectors only translate their platform's payloads into these shapes.
 */
import type { Context, Locale } from '../rules/vocabulary';

/**
 * How a step went, as recorded in the conversation: `revealed:<id>` names one of the step's reveals;
 * `diagnosed`: a diagnostics runbook ran on the PC for it.
 */
export type StepOutcome = 'fixed' | 'didnt-help' | 'skipped' | 'diagnosed' | `revealed:${string}`;

/** One of the OS choices the bot offers (see os-choices.ts), or "unknown". */
export type OsChoiceId =
  | 'win11-25h2'
  | 'win11-24h2'
  | 'win11-23h2'
  | 'win10-22h2'
  | 'win81'
  | 'win7'
  | 'unknown';

/** The payload of a button. Connectors put it on the button and hand it back unchanged when pressed. */
export type BotAction =
  | { verb: 'outcome'; step: string; outcome: StepOutcome }
  | { verb: 'choose-context'; value: Context | 'unknown' }
  | { verb: 'choose-os'; value: OsChoiceId }
  | { verb: 'confirm-restart'; code: string; restart: boolean }
  | { verb: 'next-code'; code: string; accept: boolean }
  | { verb: 'no-code' }
  /** Whether the user can run things as administrator ("unknown": they don't know). */
  | { verb: 'admin-rights'; value: 'yes' | 'no' | 'unknown' }
  | { verb: 'locale'; value: Locale }
  | { verb: 'handoff' }
  | { verb: 'start-over' }
  /** A client coming back (e.g. the terminal chat after a restart): show the open question or step again. */
  | { verb: 'resume' }
  /** Ask IT to run the step's runbook on the user's PC; `computer` once chosen (several PCs). */
  | { verb: 'run-for-me'; step: string; computer?: string }
  /** The user's consent (or not) to a run that restarts the PC. */
  | { verb: 'confirm-run'; step: string; computer: string; go: boolean }
  /**
   * A technician's decision on an approval card. Only `request` is trusted: the runbook, parameters and
   * PC come from the stored request; `digest` must match the stored one (a forged card fails).
   */
  | { verb: 'approve'; request: string; digest: string }
  | { verb: 'reject'; request: string; digest: string }
  /** A technician stops the running job of a request. */
  | { verb: 'stop-job'; request: string }
  /**
   * Someone looks at an approval card (Teams asks when it shows a card with `refresh`): answered with the
   * card as that person may see it, with Approve / Reject only for a technician while the request is open.
   */
  | { verb: 'view-approval'; request: string };

/** Verbs pressed by technicians on approval cards: handled outside any conversation's state. */
export const TECHNICIAN_VERBS = ['approve', 'reject', 'stop-job'] as const;
export type TechnicianAction = Extract<BotAction, { verb: (typeof TECHNICIAN_VERBS)[number] }>;

export function isTechnicianAction(action: BotAction): action is TechnicianAction {
  return (TECHNICIAN_VERBS as readonly string[]).includes(action.verb);
}

/** Someone looking at an approval card (handled outside any conversation's state, like a press). */
export type ApprovalView = Extract<BotAction, { verb: 'view-approval' }>;

export function isApprovalView(action: BotAction): action is ApprovalView {
  return action.verb === 'view-approval';
}

/** The result of a remote run, as the coordinator read it from the job (see runs/). */
export interface RunResult {
  /** Azure's final status: Completed, Failed, Stopped, Suspended. */
  status: string;
  /** Completed and the runbook said ok. */
  ok: boolean;
  /** What the runbook did and what went wrong (its own words, not translated). */
  actions: string[];
  errors: string[];
  rebootRequired: boolean;
  /** The runbook's whole JSON result (diagnostics facts live here), or null when it wrote none. */
  facts: Record<string, unknown> | null;
  /** Nothing ran: the dry-run executor. */
  dryRun: boolean;
}

/** Events that do not come from the user: a remote run's request changed (runs/), or a case's ticket. */
export type SystemEvent = RemoteUpdateEvent | TicketEvent;

/**
 * The ticket system answered for a handed-off case (the ticket outbox, WINFIX_TICKETS): the ticket was
 * opened (its number goes to the employee and into the state), or a later hand-off was added as a note.
 */
export interface TicketEvent {
  type: 'ticket';
  caseId: string;
  stage: 'opened' | 'noted';
  /** The hand-off this answers (1 = the one that opened the ticket). */
  handoff: number;
  number: string;
  url?: string | null;
}

/** A remote run's request changed (runs/). */
export type RemoteUpdateEvent = {
  type: 'remote-update';
  requestId: string;
  /** cancelled: the job was never sent, or no technician could be reached (see `reason`). */
  stage: 'approved' | 'rejected' | 'expired' | 'started' | 'finished' | 'cancelled';
  /** Who decided (display name or id), for approved / rejected. */
  by?: string | null;
  /**
   * The technician's reason, for rejected; for cancelled, why: 'not-enrolled' (the PC changed hands),
   * 'stale' (too long after the approval), 'unreachable' (no technician could be reached),
   * 'interrupted' (the bot stopped while the request was being made; it never reached the technicians).
   */
  reason?: string | null;
  /** For finished. */
  result?: RunResult;
  dryRun?: boolean;
};

export interface Sender {
  /** The user's id on the platform. */
  id: string;
  /** Display name, when the platform gives one. */
  name?: string | null;
  /** The platform's locale for the user ("ja-JP", "ru", "en-US"), when it gives one. */
  locale?: string | null;
  /** The directory identity, when the platform has one besides `id` (Teams: the Entra object id). */
  directoryId?: string | null;
  /** The user's e-mail, when the platform gives it. */
  email?: string | null;
}

interface InputBase {
  /** "teams", "slack", "console" … */
  platform: string;
  /** The platform's conversation id; with `platform` it keys the conversation's state. */
  conversationId: string;
  user: Sender;
}

export interface TextInput extends InputBase {
  kind: 'text';
  text: string;
}

export interface ActionInput extends InputBase {
  kind: 'action';
  action: BotAction;
  /** The id of the card the button was on, when the connector knows it (stale presses are refused). */
  cardId?: string | null;
  /** Text typed into the card's inputs (a technician's reason for rejecting), by input id. */
  fields?: Record<string, string>;
}

export interface SystemInput extends InputBase {
  kind: 'system';
  event: SystemEvent;
}

export type IncomingMessage = TextInput | ActionInput | SystemInput;

export function conversationKey(input: Pick<InputBase, 'platform' | 'conversationId'>): string {
  return `${input.platform}:${input.conversationId}`;
}
