/** The state of one conversation, kept in a `ConversationStore` between turns. Plain JSON data. */
import type { Clue, Context, Locale, OsInfo, OsTarget, Tried } from '../rules/vocabulary';
import type { StepOutcome } from './inputs';

/**
 * idle: no case open (waiting for an error code) · ask-context / ask-os: a question is open (ask-os also
 * asks for the build before a hand-off) · ask-admin: whether the user can run things as administrator ·
 * guiding: a step card is open · confirm-restart: a new code arrived mid-case · offer-next: a case
 * ended and the message had more codes.
 */
export type Phase =
  | 'idle'
  | 'ask-context'
  | 'ask-os'
  | 'ask-admin'
  | 'guiding'
  | 'confirm-restart'
  | 'offer-next';

/** Why a case goes to a technician. */
export type HandoffReason = 'user-asked' | 'plan-exhausted' | 'no-plan';

export interface CaseFacts {
  /** The code being worked on, or null (no code yet, or the user has none). */
  code: string | null;
  /** Codes from the same message still to handle, in order. */
  queue: string[];
  subcodes: string[];
  kb: string[];
  /** The context the user stated (kept for the queued codes), and the one in use for this code. */
  statedContext: Context | null;
  context: Context | null;
  os: OsInfo | null;
  /** Whether the bot already asked (so an "I don't know" is not asked again). */
  contextAsked: boolean;
  osAsked: boolean;
  /** What the user said they already did, and clues in what they wrote (absent in older states). */
  tried?: Tried[];
  clues?: Clue[];
  /** The Windows an upgrade was aiming at, when the user named one. */
  target?: OsTarget | null;
  /** When the user started on this case (ISO time; absent in older states). */
  startedAt?: string | null;
  /** A hand-off waiting for the answer to "which build?" (only the Windows family was known). */
  handoffAfterBuild?: HandoffReason | null;
}

export interface OutcomeRecord {
  step: string;
  outcome: StepOutcome;
  at: string;
}

export interface CaseRecord {
  code: string | null;
  result: 'resolved' | 'handed-off' | 'abandoned';
  /** The step that fixed it, when resolved. */
  fixedBy: string | null;
  outcomes: OutcomeRecord[];
  /** Where the error appeared and the OS, as known when the case ended (absent in older records). */
  context?: Context | null;
  os?: OsInfo | null;
  at: string;
}

/**
 * A handed-off case's ticket in the ticket system (WINFIX_TICKETS): opened by the first hand-off, noted
 * by the next ones of the same case (same code, within `TICKET_REOPEN_DAYS` of the last hand-off).
 */
export interface CaseTicket {
  /** "<conversation key>#<case number>": the outbox and the ticket system know the case by it. */
  caseId: string;
  code: string | null;
  /** Hand-offs of this case so far (1 = the one that opens the ticket). */
  handoffs: number;
  firstAt: string;
  lastAt: string;
  /** The ticket's number and link, once the ticket system gave them (null until then). */
  number: string | null;
  url: string | null;
  /** The last hand-off the employee heard the ticket number for (0: none yet). */
  told: number;
}

/** What a confirm-restart or offer-next question is about. */
export type Pending =
  | {
      kind: 'restart';
      resume: Exclude<Phase, 'confirm-restart' | 'offer-next' | 'idle'>;
      codes: string[];
      subcodes: string[];
      kb: string[];
      context: Context | null;
      os: OsInfo | null;
    }
  | { kind: 'next-code'; code: string };

/** A remote run the user asked for and has not heard the end of (runs/). */
export interface RemoteRunState {
  requestId: string;
  stepId: string;
  runbook: string;
  kind: 'diagnostic' | 'fix';
  computer: string;
  stage: 'requested' | 'approved' | 'started';
  at: string;
}

/** What the last diagnostics run measured on the user's PC (Get-UpdateHealth), for the planner. */
export interface DiagnosticFacts {
  computer: string;
  at: string;
  freeDiskGb?: number;
  clockSkewMinutes?: number;
  disabledServices?: string[];
  pendingReboot?: boolean;
  thirdPartyAv?: boolean;
  osBuild?: number;
}

export interface ConversationState {
  key: string;
  /** Optimistic concurrency: the version the store holds (0 = never saved). */
  version: number;
  who: { platform: string; userId: string; displayName: string | null };
  locale: Locale;
  /** The user chose the language by a command or button: it then wins over everything else. */
  localeChosen: boolean;
  phase: Phase;
  facts: CaseFacts;
  /** Step ids of the plan for the current code, and the index of the open step. */
  plan: string[];
  index: number;
  /** The technician's part of the plan (step ids), listed in the hand-off (absent in older states). */
  technician?: string[];
  /**
   * Technician steps with a runbook, appended to `plan` once the employee's part ran out: offered only
   * as *Run it for me* (a technician runs them on the employee's PC).
   */
  remoteOffer?: string[];
  outcomes: OutcomeRecord[];
  pending: Pending | null;
  /**
   * The open step the bot just asked "did that fix it?" about (after "done"): the next message may
   * answer it with a bare yes or no. Cleared by any next message (absent in older states).
   */
  askedIfFixed?: string;
  /** The card with live buttons, if any (answering it emits a card-update). */
  openCard: { id: string; kind: 'question' | 'step' } | null;
  /** What the user wrote (latest last, capped), for the hand-off. */
  words: string[];
  /** The latest closed cases (oldest first), at most `MAX_HISTORY`; durable stores record each one. */
  history: CaseRecord[];
  /**
   * How many cases this conversation has closed in all (history keeps only the latest); absent in
   * states saved before the cap, where it equals `history.length`.
   */
  casesClosed?: number;
  /** Counter behind message ids. */
  seq: number;
  /** The remote run in progress, if any (absent in conversations saved before remote runs). */
  remote?: RemoteRunState | null;
  /** Facts from the last diagnostics run on the user's PC. */
  diagnostics?: DiagnosticFacts | null;
  /** Ticket ids the user wrote in this conversation (INC…, REQ…, RITM…), for the hand-off. */
  tickets?: string[];
  /**
   * The tickets of this conversation's handed-off cases (tickets-port.ts), latest last, capped: a second
   * hand-off of the same case adds a note to its ticket. Absent: tickets are off, or none yet.
   */
  caseTickets?: CaseTicket[];
  /** The build was asked before a hand-off (asked once per conversation). */
  buildAsked?: boolean;
  /**
   * Steps of the current plan whose position came from measured outcomes, with the counts behind it
   * ("fixed it for 14 of 20 colleagues" on the step card). Absent: none moved.
   */
  learned?: Record<string, { tried: number; fixed: number }>;
  /** Per user id: whether they can run things as administrator (asked once; see admin-rights.ts). */
  admins?: Record<string, boolean>;
  createdAt: string;
  updatedAt: string;
}

export const MAX_WORDS = 20;
/**
 * Closed cases kept in the state. A long-lived chat (a Teams personal chat lasts for years) must not
 * carry every case ever closed into each turn's read and write.
 */
export const MAX_HISTORY = 20;

/** How many cases the state has closed in all. */
export function casesClosed(state: Pick<ConversationState, 'history' | 'casesClosed'>): number {
  return state.casesClosed ?? state.history.length;
}

export function emptyFacts(keep: Partial<CaseFacts> = {}): CaseFacts {
  return {
    code: null,
    queue: [],
    subcodes: [],
    kb: [],
    statedContext: null,
    context: null,
    os: null,
    contextAsked: false,
    osAsked: false,
    ...keep,
  };
}

/** What the user said about the PC (already tried, clues, upgrade target): it outlives one case. */
export function saidFacts(facts: CaseFacts): Pick<CaseFacts, 'tried' | 'clues' | 'target'> {
  return { tried: facts.tried ?? [], clues: facts.clues ?? [], target: facts.target ?? null };
}

export function newConversation(
  key: string,
  who: ConversationState['who'],
  locale: Locale,
  now: Date,
): ConversationState {
  const at = now.toISOString();
  return {
    key,
    version: 0,
    who,
    locale,
    localeChosen: false,
    phase: 'idle',
    facts: emptyFacts(),
    plan: [],
    index: 0,
    outcomes: [],
    pending: null,
    openCard: null,
    words: [],
    history: [],
    casesClosed: 0,
    seq: 0,
    createdAt: at,
    updatedAt: at,
  };
}
