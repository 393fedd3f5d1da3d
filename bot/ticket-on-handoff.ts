/**
 * Tickets on hand-off (when WINFIX_TICKETS is set): a hand-off writes a ticket job for the outbox (open a
 * ticket, or add a note to the case's ticket on a second hand-off of the same case) and tells the
 * employee; the `ticket` system event brings the number back into the conversation, in their language.
 */
import { explainCode } from '../rules/triage';
import { casesClosed, type HandoffReason } from './conversation-state';
import type { TicketEvent } from './inputs';
import type { Draft, HandoffMessage } from './messages';
import {
  caseTicketFor,
  MAX_CASE_TICKETS,
  summaryText,
  type TicketDescription,
  ticketJobId,
} from './tickets-port';
import type { Turn } from './turn';

/** Records the hand-off's ticket job and tells the employee what happens to their ticket. */
export function ticketOnHandoff(turn: Turn, reason: HandoffReason, message: Draft<HandoffMessage>): void {
  if (!turn.deps.tickets) return;
  const s = turn.state;
  const now = turn.now.toISOString();
  const code = s.facts.code;
  let entry = caseTicketFor(s, code, turn.now);
  if (entry) {
    entry.handoffs += 1;
    entry.lastAt = now;
  } else {
    entry = {
      // The case number alone could repeat after a conversation is reset; the time makes it unique.
      caseId: `${s.key}#${casesClosed(s) + 1}.${turn.now.getTime().toString(36)}`,
      code,
      handoffs: 1,
      firstAt: now,
      lastAt: now,
      number: null,
      url: null,
      told: 0,
    };
    s.caseTickets = [...(s.caseTickets ?? []), entry].slice(-MAX_CASE_TICKETS);
  }
  const ticket = describeTicket(turn, reason, message, entry.caseId, entry.handoffs);
  turn.tickets.push({
    id: ticketJobId(entry.caseId, entry.handoffs),
    caseId: entry.caseId,
    conversationKey: s.key,
    kind: entry.handoffs === 1 ? 'open' : 'note',
    system: turn.deps.tickets.system,
    ticket,
  });
  if (entry.handoffs === 1) turn.say(turn.t('ticket.opening'));
  else if (entry.number) {
    turn.say(turn.t('ticket.noting', { number: entry.number }));
    entry.told = entry.handoffs;
  } else turn.say(turn.t('ticket.noting-pending'));
}

function describeTicket(
  turn: Turn,
  reason: HandoffReason,
  message: Draft<HandoffMessage>,
  caseId: string,
  handoff: number,
): TicketDescription {
  const s = turn.state;
  const locale = turn.deps.technicianLocale ?? turn.locale;
  const t = turn.deps.translator.t;
  const code = s.facts.code;
  const codeName = code ? (explainCode(turn.kb, code, locale).name ?? null) : null;
  const what = code ? (codeName ? `${code} (${codeName})` : code) : t(locale, 'ticket.no-code');
  const context = s.facts.context;
  const tech = message.forTechnicians;
  const name = s.who.displayName ?? s.who.userId;
  const view = tech ?? message;
  const sender = turn.context.sender;
  return {
    caseId,
    handoff,
    conversationKey: s.key,
    reason,
    title: t(locale, 'ticket.title', {
      what,
      context: context ? t(locale, `context.${context}`) : t(locale, 'value.unknown'),
    }),
    summary: summaryText({
      headline: tech ? `${tech.from} ${name} · ${tech.reason}` : message.text,
      heading: view.heading,
      facts: view.facts,
      tried: view.tried,
      next: view.next,
      userWords: view.userWords,
      labels: view.labels,
    }),
    locale: tech?.locale ?? turn.locale,
    employeeLocale: turn.locale,
    caller: {
      platform: s.who.platform,
      userId: s.who.userId,
      name: s.who.displayName,
      email: sender.id === s.who.userId ? (sender.email ?? null) : null,
      directoryId: sender.id === s.who.userId ? (sender.directoryId ?? null) : null,
    },
    category: context,
    code,
    codeName,
    otherCodes: (message.raw.otherCodes ?? []).map((o) => o.code),
    os: view.facts.find((f) => f.key === 'os')?.value ?? null,
    computers: message.raw.computers ?? [],
    tried: message.tried.map((x) => ({
      stepId: x.stepId,
      title: x.title,
      outcome: x.outcome,
      outcomeLabel: x.outcomeLabel,
      at: x.at ?? null,
    })),
    next: message.next.map((n) => ({ stepId: n.stepId, title: n.title, runbook: n.runbook })),
    userWords: [...message.userWords],
    mentionedTickets: [...(message.raw.tickets ?? [])],
    startedAt: message.raw.startedAt ?? turn.now.toISOString(),
    handedOffAt: message.raw.handedOffAt ?? turn.now.toISOString(),
    remoteRuns: [],
  };
}

/** The ticket system answered: the number goes into the state and to the employee (once per hand-off). */
export function onTicketEvent(turn: Turn, event: TicketEvent): void {
  const entry = turn.state.caseTickets?.find((c) => c.caseId === event.caseId) ?? null;
  if (entry) {
    entry.number = event.number;
    entry.url = event.url ?? entry.url;
    if (entry.told >= event.handoff) return;
    entry.told = event.handoff;
  }
  const text =
    event.stage === 'opened'
      ? turn.t('ticket.opened', { number: event.number })
      : turn.t('ticket.noted', { number: event.number });
  turn.say(event.url ? `${text}\n${turn.t('ticket.link', { url: event.url })}` : text);
}
