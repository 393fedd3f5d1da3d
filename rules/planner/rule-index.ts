/**
 * Indexes rules by what their top-level `all` pins — a value the user said (`tried` / `clues`
 * `contains`), else the code, else the context — so a planner
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
  /** Rules pinned by `{ fact: "tried" | "clues", operator: "contains", value }`, keyed "fact:value". */
  bySaid: Map<string, IndexedRule[]>;
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

/** The fact and value of a top-level `contains` condition on what the user said, or null. */
export function pinnedSaid(rule: Rule): string | null {
  const all = (rule.conditions as { all?: unknown }).all;
  if (!Array.isArray(all)) return null;
  for (const condition of all as { fact?: unknown; operator?: unknown; value?: unknown }[])
    if (
      (condition.fact === 'tried' || condition.fact === 'clues') &&
      condition.operator === 'contains' &&
      typeof condition.value === 'string'
    )
      return `${condition.fact}:${condition.value}`;
  return null;
}

function push(map: Map<string, IndexedRule[]>, key: string, item: IndexedRule): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export function buildRuleIndex(rules: readonly Rule[]): RuleIndex {
  const index: RuleIndex = { bySaid: new Map(), byCode: new Map(), byContext: new Map(), global: [] };
  rules.forEach((rule, order) => {
    const item = { rule, order };
    const said = pinnedSaid(rule);
    if (said) {
      push(index.bySaid, said, item);
      return;
    }
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

export interface CandidateFacts {
  code: string | null;
  context: string | null;
  tried?: readonly string[];
  clues?: readonly string[];
}

/** The rules that can fire for the facts, in KB order. */
export function candidateRules(index: RuleIndex, facts: CandidateFacts): IndexedRule[] {
  const { code, context } = facts;
  const said = [
    ...(facts.tried ?? []).map((t) => `tried:${t}`),
    ...(facts.clues ?? []).map((c) => `clues:${c}`),
  ];
  const picked = [
    ...said.flatMap((key) => index.bySaid.get(key) ?? []),
    ...(code ? (index.byCode.get(code) ?? []) : []),
    ...(context ? (index.byContext.get(context) ?? []) : []),
    ...index.global,
  ];
  return picked.sort((a, b) => a.order - b.order);
}
