/** The hand-off summary for a technician: the facts, the steps tried and how they went, the user's words. */
import { explainCode } from '../rules/triage';
import type { StepOutcome } from './inputs';
import type { Draft, HandoffFact, HandoffMessage, NextStep, TriedStep } from './messages';
import { describeOs } from './os-choices';
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

export function handoffMessage(turn: Turn, reason: HandoffMessage['reason']): Draft<HandoffMessage> {
  const { facts, who, locale, words } = turn.state;
  const unknown = turn.t('value.unknown');
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
  if (facts.subcodes.length > 0) list.push(fact('subcodes', facts.subcodes.join(', ')));
  if (facts.kb.length > 0) list.push(fact('kb', facts.kb.join(', ')));
  list.push(
    fact('context', facts.context ? turn.t(`context.${facts.context}`) : unknown),
    fact('os', facts.os ? describeOs(facts.os) : unknown),
    fact(
      'user',
      who.displayName
        ? `${who.displayName} (${who.platform}:${who.userId})`
        : `${who.platform}:${who.userId}`,
    ),
    fact('locale', locale),
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
      subcodes: [...facts.subcodes],
      kb: [...facts.kb],
      context: facts.context,
      os: facts.os,
      locale,
    },
  };
}
