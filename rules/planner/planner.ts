/**
 * The planner: json-rules-engine over the facts picks entry points into the remediation graph and
 * adds, promotes or removes steps; the result is an ordered plan, cheap and safe first.
 *
 * Each run builds its own Engine from the indexed candidate rules: one Engine shared by overlapping
 * runs can lose events when rules use several priorities (json-rules-engine #303).
 */
import { Engine } from 'json-rules-engine';
import type { KnowledgeBase } from '../kb/load';
import type { Localized, RuleEvent, Step } from '../kb/schema';
import type { PlanFacts } from './facts';
import { buildRuleIndex, candidateRules, type RuleIndex } from './rule-index';

export interface PlanChange {
  type: RuleEvent['type'];
  step: string;
  rule: string;
  reason: Localized | null;
}

export interface Plan {
  steps: Step[];
  /** Every rule event that fired, in the order applied. */
  changes: PlanChange[];
  /** Steps left out, and why. */
  excluded: { step: string; why: 'os' | 'rule' }[];
}

interface Fired {
  event: RuleEvent;
  rule: string;
  priority: number;
  order: number;
}

const MAX_CHAIN = 200;

export class Planner {
  private readonly index: RuleIndex;

  constructor(private readonly kb: KnowledgeBase) {
    this.index = buildRuleIndex(kb.rules);
  }

  /** The rules that fire for the facts, highest priority first, then KB order. */
  async fire(facts: PlanFacts): Promise<Fired[]> {
    const candidates = candidateRules(this.index, facts.code, facts.context);
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
    const { results } = await engine.run({ ...facts });
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
    const ids: string[] = [];
    const include = (id: string) => {
      if (!ids.includes(id)) ids.push(id);
    };
    for (const f of fired)
      if (f.event.type === 'entry') for (const id of this.chain(f.event.params.step)) include(id);
    for (const f of fired)
      if (f.event.type === 'add' || f.event.type === 'promote') include(f.event.params.step);
    const removed = new Set(fired.filter((f) => f.event.type === 'remove').map((f) => f.event.params.step));
    const promoted = fired.filter((f) => f.event.type === 'promote').map((f) => f.event.params.step);

    const excluded: Plan['excluded'] = [];
    const steps: Step[] = [];
    for (const id of ids) {
      const step = this.kb.steps.get(id);
      if (!step) continue;
      if (removed.has(id)) excluded.push({ step: id, why: 'rule' });
      else if (facts.osFamily && !step.os.includes(facts.osFamily)) excluded.push({ step: id, why: 'os' });
      else steps.push(step);
    }
    // Cheap and safe first: stable sort by tier keeps the graph's order within a tier; then
    // promoted steps (diagnostic evidence) go to the front in the order their rules fired.
    const rank = (s: Step) => {
      const p = promoted.indexOf(s.id);
      return p >= 0 ? p - promoted.length : s.tier;
    };
    steps.sort((a, b) => rank(a) - rank(b));
    return { steps, changes, excluded };
  }
}
