/**
 * The hand-off summary for a technician: the facts (every code of the conversation, ticket ids, the
 * PC, the OS, when it started and how long it took), the steps tried and how they went, the user's words.
 */
import { explainCode } from '../rules/triage';
import type { Locale } from '../rules/vocabulary';
import { canRunAsAdmin } from './admin-rights';
import { technicianHandoff } from './handoff-technicians';
import type { StepOutcome } from './inputs';
import type { Draft, HandoffCode, HandoffFact, HandoffMessage, NextStep, TriedStep } from './messages';
import { describeOs } from './os-choices';
import { caseTicketFor } from './tickets-port';
import type { Turn } from './turn';

export function outcomeLabel(turn: Turn, stepId: string, outcome: StepOutcome): string {
  if (outcome.startsWith('revealed:')) {
    const revealId = outcome.slice('revealed:'.length);
    const reveal = turn.kb.steps.get(stepId)?.reveals?.find((r) => r.id === revealId);
    return turn.t('outcome.revealed', { label: reveal?.label[turn.locale] ?? revealId });
  }
  return turn.t(`outcome.${outcome as 'fixed' | 'didnt-help' | 'skipped' | 'diagnosed'}`);
}

export function triedSteps(turn: Turn): TriedStep[] {
  return turn.state.outcomes.map((o) => ({
    stepId: o.step,
    title: turn.stepTitle(o.step),
    outcome: o.outcome,
    outcomeLabel: outcomeLabel(turn, o.step, o.outcome),
    at: o.at,
  }));
}

/** The technician's part of the plan that nobody has tried yet: what IT should try next. */
export function nextSteps(turn: Turn): NextStep[] {
  const done = new Set(turn.state.outcomes.map((o) => o.step));
  const untried = turn.state.plan.slice(turn.state.index).filter((id) => !done.has(id));
  const ids = [...new Set([...untried, ...(turn.state.technician ?? [])])].filter((id) => !done.has(id));
  return ids.flatMap((id) => {
    const step = turn.kb.steps.get(id);
    if (!step) return [];
    const runbook = step.runbook?.name ?? null;
    return [
      {
        stepId: id,
        title: step.title[turn.locale],
        runbook,
        note: runbook ? turn.t('handoff.next.remote') : null,
      },
    ];
  });
}

/**
 * The conversation's other codes: those of earlier cases (latest result per code), then those still
 * waiting (queued from a message, or named mid-case), never the code being handed off.
 */
export function otherCodes(turn: Turn): HandoffCode[] {
  const { facts, history, pending } = turn.state;
  const out = new Map<string, HandoffCode['status']>();
  for (const record of history) if (record.code) out.set(record.code, record.result);
  const waiting = [...facts.queue, ...(pending?.kind === 'restart' ? pending.codes : [])];
  for (const code of waiting) if (!out.has(code)) out.set(code, 'queued');
  if (pending?.kind === 'next-code' && !out.has(pending.code)) out.set(pending.code, 'queued');
  out.delete(facts.code ?? '');
  return [...out].map(([code, status]) => ({ code, status }));
}

/** "2026-03-02 09:00 UTC": the same for every reader, whatever their time zone. */
function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** When the case started: the recorded start, else the first answer, else now. */
function startOf(turn: Turn): string {
  const s = turn.state;
  return s.facts.startedAt ?? s.outcomes[0]?.at ?? turn.now.toISOString();
}

export function handoffMessage(turn: Turn, reason: HandoffMessage['reason']): Draft<HandoffMessage> {
  return {
    ...handoffIn(turn, reason, turn.locale),
    forTechnicians: technicianHandoff(turn, reason, (view) => handoffIn(view, reason, turn.locale)),
  };
}

/** The hand-off in the turn's language; `locale` is the employee's (the language fact and raw.locale). */
function handoffIn(turn: Turn, reason: HandoffMessage['reason'], locale: Locale): Draft<HandoffMessage> {
  const { facts, who, words } = turn.state;
  const unknown = turn.t('value.unknown');
  const others = otherCodes(turn);
  const tickets = turn.state.tickets ?? [];
  const computers = turn.context.computers.map((c) => c.name);
  // Said only where it can differ from user to user or the company said no (not when everyone can).
  const admin =
    turn.deps.employeesAreAdmins && turn.deps.employeesAreAdmins !== 'yes' ? canRunAsAdmin(turn) : null;
  const startedAt = startOf(turn);
  const handedOffAt = turn.now.toISOString();
  const minutes = Math.max(0, Math.round((Date.parse(handedOffAt) - Date.parse(startedAt)) / 60000));
  const fact = (key: HandoffFact['key'], value: string): HandoffFact => ({
    key,
    label: turn.t(`handoff.fact.${key}`),
    value,
  });
  const list: HandoffFact[] = [fact('code', facts.code ?? unknown)];
  if (facts.code) {
    const name = explainCode(turn.kb, facts.code, locale).name;
    if (name) list.push(fact('name', name));
  }
  if (others.length > 0)
    list.push(
      fact('other-codes', others.map((o) => `${o.code} (${turn.t(`handoff.code.${o.status}`)})`).join(', ')),
    );
  if (facts.subcodes.length > 0) list.push(fact('subcodes', facts.subcodes.join(', ')));
  if (facts.kb.length > 0) list.push(fact('kb', facts.kb.join(', ')));
  if (tickets.length > 0) list.push(fact('tickets', tickets.join(', ')));
  // The case's own ticket (WINFIX_TICKETS), once the ticket system gave its number: a repeat hand-off.
  const caseTicket = turn.deps.tickets ? caseTicketFor(turn.state, facts.code, turn.now) : null;
  if (caseTicket?.number) list.push(fact('ticket', caseTicket.number));
  list.push(
    fact('context', facts.context ? turn.t(`context.${facts.context}`) : unknown),
    fact('os', facts.os ? describeOs(facts.os) : unknown),
  );
  if (computers.length > 0) list.push(fact('pc', computers.join(', ')));
  if (admin !== null) list.push(fact('admin', turn.t(admin ? 'handoff.admin.yes' : 'handoff.admin.no')));
  list.push(
    fact(
      'user',
      who.displayName
        ? `${who.displayName} (${who.platform}:${who.userId})`
        : `${who.platform}:${who.userId}`,
    ),
    fact('locale', turn.t(`locale.name.${locale}`)),
    fact('started', utc(startedAt)),
    fact('handed-off', utc(handedOffAt)),
    fact('duration', turn.t('handoff.duration', { minutes })),
  );
  return {
    kind: 'handoff',
    reason,
    text: turn.t(`handoff.text.${reason}`),
    heading: turn.t('handoff.heading'),
    code: facts.code,
    facts: list,
    tried: triedSteps(turn),
    next: nextSteps(turn),
    userWords: [...words],
    labels: {
      facts: turn.t('handoff.label.facts'),
      tried: turn.t('handoff.label.tried'),
      next: turn.t('handoff.label.next'),
      words: turn.t('handoff.label.words'),
      none: turn.t('handoff.label.none'),
    },
    raw: {
      code: facts.code,
      otherCodes: others,
      subcodes: [...facts.subcodes],
      kb: [...facts.kb],
      tickets: [...tickets],
      context: facts.context,
      os: facts.os,
      computers,
      admin,
      locale,
      startedAt,
      handedOffAt,
    },
  };
}
