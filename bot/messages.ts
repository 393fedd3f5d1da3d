/**
 * What the bot says, in a neutral model every connector renders its own way (Adaptive Card, Block Kit,
 * plain text). Every string is already in the user's language. Every message has an id, unique within
 * its conversation, so a connector can update a card in place when a `card-update` names it.
 */
import type { Context, Locale, OsInfo } from '../rules/vocabulary';
import type { BotAction } from './inputs';

export interface Choice {
  label: string;
  action: BotAction;
  /** primary: the expected answer; danger: ends or resets something. */
  style: 'primary' | 'default' | 'danger';
}

export interface TextMessage {
  kind: 'text';
  id: string;
  text: string;
}

export type QuestionTopic =
  | 'code'
  | 'context'
  | 'os'
  | 'restart'
  | 'next-code'
  | 'locale'
  | 'computer'
  | 'confirm-run'
  | 'admin';

export interface QuestionMessage {
  kind: 'question';
  id: string;
  topic: QuestionTopic;
  text: string;
  /** How to find the answer (e.g. `winver`, `ver`), or null. */
  hint: string | null;
  choices: Choice[];
}

export interface StepCommand {
  shell: 'cmd' | 'powershell' | 'run';
  /** "Command Prompt (as administrator)", "Win+R" … in the user's language. */
  shellLabel: string;
  /** Shown verbatim, never translated. */
  code: string;
}

export interface StepCard {
  kind: 'step';
  id: string;
  stepId: string;
  /** 1-based position in the plan, and the plan's length. */
  position: number;
  total: number;
  /** "Step 2 of 6". */
  heading: string;
  title: string;
  why: string;
  instructions: string[];
  commands: StepCommand[];
  /** The label of a button that shows long commands ("Show commands"), in the user's language. */
  showCommandsLabel?: string;
  caution: string | null;
  risk: 'low' | 'medium' | 'high';
  admin: boolean;
  reboot: boolean;
  minutes: number;
  /** Risk, admin, reboot and minutes as one line in the user's language. */
  meta: string;
  /**
   * Why the step is here when measured outcomes moved it ("This fixed it for 14 of 20 colleagues with
   * the same error."), in the user's language; null when the sources' order put it here.
   */
  learned?: string | null;
  /** Fixed it / Didn't help / Skip. */
  choices: Choice[];
  /** "What did you see?" when the step has reveals, else null. */
  revealPrompt: string | null;
  /** One choice per reveal of the step. */
  reveals: Choice[];
  /** "Run it for me": only where the step has an allowed runbook and the user has an enrolled PC. */
  runForMe: Choice | null;
}

export interface CodeExplanationMessage {
  kind: 'code';
  id: string;
  code: string;
  name: string | null;
  facility: string;
  known: boolean;
  /** One or two sentences. */
  meaning: string;
  /** What the code usually means in the context, when the KB says. */
  contextNote: string | null;
  /** "0x80070002 — ERROR_FILE_NOT_FOUND (WIN32)". */
  heading: string;
}

export interface TriedStep {
  stepId: string;
  title: string;
  outcome: string;
  /** The outcome in the user's language. */
  outcomeLabel: string;
  /** When the user answered (ISO time; absent where not known). */
  at?: string;
}

export interface SummaryMessage {
  kind: 'summary';
  id: string;
  code: string | null;
  fixedBy: { stepId: string; title: string };
  tried: TriedStep[];
  text: string;
}

/** A code of the conversation besides the one handed off, and what became of it. */
export interface HandoffCode {
  code: string;
  status: 'resolved' | 'handed-off' | 'abandoned' | 'queued';
}

/** A step of the technician's part, listed in a hand-off. */
export interface NextStep {
  stepId: string;
  title: string;
  /** The runbook that can run it remotely, or null; `note` says so in the reader's language. */
  runbook: string | null;
  note: string | null;
}

export interface HandoffFact {
  key:
    | 'code'
    | 'name'
    | 'other-codes'
    | 'subcodes'
    | 'kb'
    | 'tickets'
    | 'ticket'
    | 'context'
    | 'os'
    | 'pc'
    | 'admin'
    | 'user'
    | 'locale'
    | 'started'
    | 'handed-off'
    | 'duration';
  label: string;
  value: string;
}

export interface HandoffMessage {
  kind: 'handoff';
  id: string;
  reason: 'user-asked' | 'plan-exhausted' | 'no-plan';
  /** Says to the user what happens now. */
  text: string;
  heading: string;
  code: string | null;
  facts: HandoffFact[];
  tried: TriedStep[];
  /** The technician's part of the plan: what IT should try next, in order (empty when none). */
  next: NextStep[];
  /** What the user wrote in this conversation, in order (the latest few). */
  userWords: string[];
  labels: { facts: string; tried: string; next: string; words: string; none: string };
  /** The same summary for the technicians' channel, in the technicians' language. */
  forTechnicians?: TechnicianHandoff;
  /** Raw facts for a ticket system (not for display). */
  raw: {
    code: string | null;
    /** Every other code of the conversation: earlier cases, and codes still to look at. */
    otherCodes?: HandoffCode[];
    subcodes: string[];
    kb: string[];
    /** Ticket ids the user wrote (INC…, REQ…, RITM…). */
    tickets?: string[];
    context: Context | null;
    os: OsInfo | null;
    /** The user's enrolled PCs (names). */
    computers?: string[];
    /** Whether the user can run things as administrator, when known. */
    admin?: boolean | null;
    locale: Locale;
    /** When the user started on the case and when it was handed off (ISO times). */
    startedAt?: string;
    handedOffAt?: string;
  };
}

/**
 * A hand-off as the technicians' channel shows it, in the technicians' language: the summary built in
 * that language, and the words for the line on top (connectors add who, from which conversation).
 */
export interface TechnicianHandoff {
  locale: Locale;
  /** "Hand-off from Aiko Tanaka in a personal chat with the bot · asked for a technician", by conversation type. */
  headline: { personal: string; groupChat: string; channel: string; other: string };
  /** "Hand-off from" (followed by the employee's name, for connectors that show it their own way). */
  from: string;
  /** Why, in a few words: "asked for a technician". */
  reason: string;
  /** Where the employee wrote, by conversation type. */
  where: { personal: string; groupChat: string; channel: string; other: string };
  conversationLabel: string;
  directoryIdLabel: string;
  heading: string;
  facts: HandoffFact[];
  tried: TriedStep[];
  next: NextStep[];
  userWords: string[];
  labels: HandoffMessage['labels'];
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

/**
 * The approval card technicians see in their channel: what would run where, for whom and why, with
 * Approve / Reject (and a reason field) while pending. The coordinator sends it again with the decision
 * and the job's progress; connectors update the posted card in place (keyed by `requestId`).
 */
export interface ApprovalMessage {
  kind: 'approval';
  id: string;
  requestId: string;
  status: ApprovalStatus;
  /** "Remote run requested: Reset-UpdateCache on PC-0042". */
  heading: string;
  /** Requester, PC, code, context, OS, step, runbook, parameters, risk, minutes, reboot, expiry. */
  facts: { label: string; value: string }[];
  /** What the bot already walked the user through, one line each. */
  tried: string[];
  triedLabel: string;
  /** "Approved by Kenji Sato at 10:02 UTC", or null while pending. */
  decision: string | null;
  /** The job's progress ("Job: Running"), once there is a job. */
  job: string | null;
  /** Says that nothing runs (dry-run executor), or null. */
  dryRunNotice: string | null;
  /** The reason field shown while pending: its input id is `reason`. */
  reasonInput: { label: string; placeholder: string } | null;
  /** Approve / Reject while pending; Stop while the job runs; none otherwise. */
  choices: Choice[];
  /**
   * Said on the card for everyone where the buttons are only in each technician's own view (Teams), while
   * there is something to press; null otherwise. Connectors that show the buttons to everyone ignore it.
   */
  buttonsHint?: string | null;
  /** The whole card as plain text (fallbacks, notifications, the terminal). */
  text: string;
}

/** A remote run's progress, told to the user. */
export interface JobStatusMessage {
  kind: 'job-status';
  id: string;
  requestId: string;
  stage: 'requested' | 'approved' | 'rejected' | 'expired' | 'started' | 'finished';
  /** Finished: whether the runbook did what it set out to do. */
  ok: boolean | null;
  /** Short status word in the user's language ("Approved"). */
  status: string;
  text: string;
}

/**
 * A hint: the card `cardId` has been answered (or superseded); disable its buttons and show `answer`.
 * Connectors that cannot edit messages may ignore it or print the answer.
 */
export interface CardUpdate {
  kind: 'card-update';
  id: string;
  cardId: string;
  answer: string;
  /**
   * The card's new content, when it is redrawn rather than closed (an approval card once decided, or as
   * its job moves on): connectors show this card, with its buttons if it has any, in place of the old.
   */
  card?: ApprovalMessage;
  /**
   * The card as the one who pressed or looked at it may see it (their own view: Approve / Reject only for
   * a technician while the request is open), not a change for everyone. Connectors that can show a
   * person their own version of a card (Teams: the answer to an `adaptiveCard/action` invoke) show it
   * to that person; the others ignore it (the card for everyone is redrawn by the notifier).
   */
  personal?: boolean;
}

export type OutgoingMessage =
  | TextMessage
  | QuestionMessage
  | StepCard
  | CodeExplanationMessage
  | SummaryMessage
  | HandoffMessage
  | ApprovalMessage
  | JobStatusMessage
  | CardUpdate;

/** Messages with buttons: answering one makes the bot emit a `card-update` for it. */
export type Card = QuestionMessage | StepCard;

/** A message before the bot gives it an id. */
export type Draft<M extends OutgoingMessage> = M extends OutgoingMessage ? Omit<M, 'id'> : never;
