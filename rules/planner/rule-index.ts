/**
 * Indexes rules by the code (or, failing that, the context) their top-level `all` pins, so a planner
 * run evaluates only the rules that can fire for its facts, not the whole base (json-rules-engine's
 * cost grows faster than linearly with rule count).
 */
import type { Rule } from '../kb/schema';

export interface IndexedRule {
  rule: Rule;
  /** Position in the KB, the tie-breaker that keeps plans deterministic. */
  order: number;
}

export interface RuleIndex {
  byCode: Map<string, IndexedRule[]>;
  byContext: Map<string, IndexedRule[]>;
  global: IndexedRule[];
}

/** The values a top-level `equal`/`in` condition on `fact` pins, or null if the rule does not pin it. */
export function pinnedValues(rule: Rule, fact: string): string[] | null {
  const all = (rule.conditions as { all?: unknown }).all;
  if (!Array.isArray(all)) return null;
  for (const condition of all as { fact?: unknown; operator?: unknown; value?: unknown }[]) {
    if (condition.fact !== fact) continue;
    if (condition.operator === 'equal' && typeof condition.value === 'string') return [condition.value];
    if (condition.operator === 'in' && Array.isArray(condition.value)) return condition.value.map(String);
  }
  return null;
}

function push(map: Map<string, IndexedRule[]>, key: string, item: IndexedRule): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export function buildRuleIndex(rules: readonly Rule[]): RuleIndex {
  const index: RuleIndex = { byCode: new Map(), byContext: new Map(), global: [] };
  rules.forEach((rule, order) => {
    const item = { rule, order };
    const codes = pinnedValues(rule, 'code');
    if (codes) for (const code of codes) push(index.byCode, code, item);
    else {
      const contexts = pinnedValues(rule, 'context');
      if (contexts) for (const context of contexts) push(index.byContext, context, item);
      else index.global.push(item);
    }
  });
  return index;
}

/** The rules that can fire for a code and context, in KB order. */
export function candidateRules(index: RuleIndex, code: string | null, context: string | null): IndexedRule[] {
  const picked = [
    ...(code ? (index.byCode.get(code) ?? []) : []),
    ...(context ? (index.byContext.get(context) ?? []) : []),
    ...index.global,
  ];
  return picked.sort((a, b) => a.order - b.order);
}
