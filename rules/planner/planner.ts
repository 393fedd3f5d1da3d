/**
 * The planner: json-rules-engine over the facts picks entry points into the remediation graph and
 * adds, promotes, removes or skips steps; the result is a plan in two parts, in the order the error's
 * own source gives.
 *
 * Order: the (code, context)'s source order first (rules/kb/orders/), then the steps the entry rules'
 * "didn't help" chains and `add` rules bring in, in graph order; `promote` (a clue or a diagnostic)
 * moves a step to the front of its part. The cost tier is a safety rule, not the sort key: a destructive
 * step (tier 6) never comes before a non-destructive one. Two parts: at most MAX_EMPLOYEE_STEPS steps
 * the employee can do alone, then what a technician should do (technician-part steps, and any
 * employee steps beyond the limit).
 *
 * Each run builds its own Engine from the indexed candidate rules: one Engine shared by overlapping
 * runs can lose events when rules use several priorities (json-rules-engine #303).
 */
import { Engine } from 'json-rules-engine';
import type { KnowledgeBase } from '../kb/load';
import type { Family, Localized, Order, RuleEvent, Step } from '../kb/schema';
import type { PlanFacts } from './facts';
import { buildRuleIndex, candidateRules, type RuleIndex } from './rule-index';
import { buildOrderIndex, type Guidance, type OrderIndex } from './source-order';

/** The most steps an employee is asked to do alone before a technician takes over. */
export const MAX_EMPLOYEE_STEPS = 8;

/** Tier 6: reset, reinstall, restore — never before a non-destructive step. */
export const DESTRUCTIVE_TIER = 6;

export interface PlanChange {
  type: RuleEvent['type'];
  step: string;
  rule: string;
  reason: Localized | null;
}

export interface Plan {
  /** The employee's part, in order (at most MAX_EMPLOYEE_STEPS). */
  steps: Step[];
  /** The technician's part: technician-only steps and employee steps beyond the limit, in order. */
  technician: Step[];
  /** Whether the KB has guidance for this code in this context (see source-order.ts). */
  guidance: Guidance;
  /** The source order the plan started from, or null. */
  order: Order | null;
  /** The code's family when the plan is the family's (guidance `family`), else null. */
  family: Family | null;
  /** Every rule event that fired, in the order applied. */
  changes: PlanChange[];
  /** Steps left out, and why: another OS, a `remove` rule, or the user already did it (`skip`). */
  excluded: { step: string; why: 'os' | 'rule' | 'tried' }[];
}

interface Fired {
  event: RuleEvent;
  rule: string;
  priority: number;
  order: number;
}

const MAX_CHAIN = 200;

/** Stable: keeps the order inside each group. */
function partition<T>(items: T[], first: (t: T) => boolean): T[] {
  return [...items.filter(first), ...items.filter((t) => !first(t))];
}

export class Planner {
  private readonly index: RuleIndex;
  private readonly orders: OrderIndex;

  constructor(private readonly kb: KnowledgeBase) {
    this.index = buildRuleIndex(kb.rules);
    this.orders = buildOrderIndex(kb);
  }

  /** The rules that fire for the facts, highest priority first, then KB order. */
  async fire(facts: PlanFacts): Promise<Fired[]> {
    const candidates = candidateRules(this.index, facts);
    if (candidates.length === 0) return [];
    const engine = new Engine([], { allowUndefinedFacts: true });
    const order = new Map<string, number>();
    for (const { rule, order: position } of candidates) {
      order.set(rule.name, position);
      engine.addRule({
        name: rule.name,
        priority: rule.priority ?? 1,
        conditions: rule.conditions as never,
        event: rule.event,
      });
    }
    const { results } = await engine.run({ tried: [], clues: [], ...facts });
    return results
      .map((r) => ({
        event: r.event as RuleEvent,
        rule: String(r.name),
        priority: r.priority ?? 1,
        order: order.get(String(r.name)) ?? 0,
      }))
      .sort((a, b) => b.priority - a.priority || a.order - b.order);
  }

  /** Step ids reached from `start` by following "didn't help" links, start first. */
  chain(start: string): string[] {
    const out: string[] = [];
    let id: string | undefined = start;
    while (id && id !== 'handoff' && !out.includes(id) && out.length < MAX_CHAIN) {
      out.push(id);
      id = this.kb.steps.get(id)?.next.failure;
    }
    return out;
  }

  async plan(facts: PlanFacts): Promise<Plan> {
    const fired = await this.fire(facts);
    const changes = fired.map((f) => ({
      type: f.event.type,
      step: f.event.params.step,
      rule: f.rule,
      reason: f.event.params.reason ?? null,
    }));
    const { guidance, order, family } = this.orders.find(facts.code, facts.context);
    const ids: string[] = [];
    const include = (id: string) => {
      if (!ids.includes(id)) ids.push(id);
    };
    for (const item of order?.steps ?? []) include(item.step);
    for (const f of fired)
      if (f.event.type === 'entry') for (const id of this.chain(f.event.params.step)) include(id);
    for (const f of fired)
      if (f.event.type === 'add' || f.event.type === 'promote') include(f.event.params.step);
    const stepsOf = (type: RuleEvent['type']) =>
      new Set(fired.filter((f) => f.event.type === type).map((f) => f.event.params.step));
    const removed = stepsOf('remove');
    const skipped = stepsOf('skip');
    const promoted = fired.filter((f) => f.event.type === 'promote').map((f) => f.event.params.step);

    const excluded: Plan['excluded'] = [];
    const kept: Step[] = [];
    for (const id of ids) {
      const step = this.kb.steps.get(id);
      if (!step) continue;
      if (removed.has(id)) excluded.push({ step: id, why: 'rule' });
      else if (skipped.has(id)) excluded.push({ step: id, why: 'tried' });
      else if (facts.osFamily && !step.os.includes(facts.osFamily)) excluded.push({ step: id, why: 'os' });
      else kept.push(step);
    }
    // Promoted steps (a clue, a diagnostic) lead their part, in the order their rules fired.
    const rank = (s: Step) => {
      const p = promoted.indexOf(s.id);
      return p >= 0 ? p : promoted.length;
    };
    const ordered = kept
      .map((step, position) => ({ step, position }))
      .sort((a, b) => rank(a.step) - rank(b.step) || a.position - b.position)
      .map((x) => x.step);
    const safe = (list: Step[]) => partition(list, (s) => s.tier < DESTRUCTIVE_TIER);
    const employee = safe(ordered.filter((s) => s.part === 'employee'));
    // A promoted technician's step leads the technician's part, ahead of the employee's overflow.
    const ownTechnician = ordered.filter((s) => s.part === 'technician');
    const lead = ownTechnician.filter((s) => promoted.includes(s.id));
    const technician = safe([
      ...lead,
      ...employee.slice(MAX_EMPLOYEE_STEPS),
      ...ownTechnician.filter((s) => !lead.includes(s)),
    ]);
    return {
      steps: employee.slice(0, MAX_EMPLOYEE_STEPS),
      technician,
      guidance,
      order,
      family,
      changes,
      excluded,
    };
  }
}
