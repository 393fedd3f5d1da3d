/**
 * Tickets on hand-off: what the conversation core hands a ticket system (ServiceNow, a signed webhook;
 * connectors/tickets/), platform-neutral. A hand-off writes a ticket job (open, or a note for a case
 * that already has a ticket) into the same save as the conversation (the store's outbox); a worker in
 * the composition root sends it and tells the employee the number through a `ticket` system event.
 * No SDK, no connector here.
 */
import type { Locale } from '../rules/vocabulary';
import type { CaseTicket, ConversationState, HandoffReason } from './conversation-state';

export type TicketSystemKind = 'servicenow' | 'webhook';
export const TICKET_SYSTEMS: readonly TicketSystemKind[] = ['servicenow', 'webhook'];

/** A second hand-off of the same code within this many days of the last one notes the same ticket. */
export const TICKET_REOPEN_DAYS = 14;
/** Case tickets kept in a conversation's state. */
export const MAX_CASE_TICKETS = 10;

/** The employee, as the chat platform knows them (the ticket system's caller). */
export interface TicketCaller {
  platform: string;
  userId: string;
  name: string | null;
  email: string | null;
  directoryId: string | null;
}

/** A remote run of the conversation (runs/), added by the outbox worker when it sends the job. */
export interface TicketRemoteRun {
  requestId: string;
  runbook: string;
  computer: string;
  /** The request: pending, approved, rejected, expired. */
  status: string;
  /** The job's Azure status (Completed, Failed …), or null when no job ran. */
  jobStatus: string | null;
  requestedAt: string;
}

/** Everything a ticket needs about one hand-off; plain JSON (it waits in the outbox). */
export interface TicketDescription {
  caseId: string;
  /** 1 for the hand-off that opens the ticket, 2… for the notes. */
  handoff: number;
  conversationKey: string;
  reason: HandoffReason;
  /** One line: the code, its name, where it happened. */
  title: string;
  /** The hand-off summary as plain text, in the technicians' language (`locale`). */
  summary: string;
  locale: Locale;
  employeeLocale: Locale;
  caller: TicketCaller;
  /** Where the error appeared (the context id: "windows-update", "feature-update" …), or null. */
  category: string | null;
  code: string | null;
  codeName: string | null;
  otherCodes: string[];
  os: string | null;
  computers: string[];
  tried: { stepId: string; title: string; outcome: string; outcomeLabel: string; at: string | null }[];
  /** The technician's part still untried. */
  next: { stepId: string; title: string; runbook: string | null }[];
  userWords: string[];
  /** Ticket ids the employee wrote themselves (INC…, REQ…). */
  mentionedTickets: string[];
  startedAt: string;
  handedOffAt: string;
  /** Filled in when the job is sent (runs live in storage, not in the conversation). */
  remoteRuns: TicketRemoteRun[];
}

/** A ticket in the ticket system. */
export interface TicketRef {
  system: TicketSystemKind;
  /** The system's own id (ServiceNow sys_id; the webhook's number when it gives no other). */
  id: string;
  /** What people read: "INC0010001". */
  number: string;
  url: string | null;
}

/**
 * A ticket system. `key` is the job's idempotency key ("<case id>/<hand-off>"): the same key sent again
 * (a retry after a timeout, a process that died after sending) must not make a second ticket or note.
 * Failures throw a `TicketSystemError` (connectors/tickets/errors.ts) saying whether a retry can help.
 */
export interface TicketSystem {
  readonly kind: TicketSystemKind;
  open(ticket: TicketDescription, key: string): Promise<TicketRef>;
  addNote(ref: TicketRef, note: TicketDescription, key: string): Promise<void>;
}

/** A ticket job as a turn writes it; the store puts it in the outbox in the same transaction. */
export interface TicketJobDraft {
  /** The idempotency key: "<case id>/<hand-off>". */
  id: string;
  caseId: string;
  conversationKey: string;
  kind: 'open' | 'note';
  system: TicketSystemKind;
  ticket: TicketDescription;
}

/** What the bot needs to know about tickets: whether they are on, and with which system. */
export interface TicketPolicy {
  system: TicketSystemKind;
}

const DAY = 86_400_000;

/**
 * The case ticket a hand-off of `code` belongs to: the latest one of the same code (or both without a
 * code) handed off within `TICKET_REOPEN_DAYS`; null for a new case.
 */
export function caseTicketFor(
  state: Pick<ConversationState, 'caseTickets'>,
  code: string | null,
  now: Date,
): CaseTicket | null {
  const list = state.caseTickets ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i];
    if (!t || t.code !== code) continue;
    return now.getTime() - Date.parse(t.lastAt) <= TICKET_REOPEN_DAYS * DAY ? t : null;
  }
  return null;
}

/** The idempotency key of a case's n-th hand-off. */
export const ticketJobId = (caseId: string, handoff: number): string => `${caseId}/${handoff}`;

/** Lines of a plain-text summary (labels as given, each list item on its own line). */
export function summaryText(parts: {
  headline: string;
  heading: string;
  facts: { label: string; value: string }[];
  tried: { title: string; outcomeLabel: string; at?: string | null }[];
  next: { title: string; runbook: string | null }[];
  userWords: string[];
  labels: { facts: string; tried: string; next: string; words: string; none: string };
}): string {
  const { labels } = parts;
  const section = (label: string, items: string[]) => [
    `${label}:`,
    ...(items.length > 0 ? items.map((i) => `- ${i}`) : [`- ${labels.none}`]),
  ];
  return [
    parts.headline,
    parts.heading,
    '',
    ...section(
      labels.facts,
      parts.facts.map((f) => `${f.label}: ${f.value}`),
    ),
    '',
    ...section(
      labels.tried,
      parts.tried.map((t) =>
        t.at
          ? `${t.title}: ${t.outcomeLabel} (${t.at.slice(0, 16).replace('T', ' ')} UTC)`
          : `${t.title}: ${t.outcomeLabel}`,
      ),
    ),
    '',
    ...section(
      labels.next,
      parts.next.map((n) => (n.runbook ? `${n.title} [${n.runbook}]` : n.title)),
    ),
    '',
    ...section(
      labels.words,
      parts.userWords.map((w) => `"${w}"`),
    ),
  ].join('\n');
}
