/** The knowledge base in memory, as `readKb` builds it from rules/kb/ (or a test builds it by hand). */
import type * as schema from './schema';

export interface KnowledgeBase {
  errors: Map<string, schema.ErrorEntry>;
  contexts: schema.ErrorContext[];
  steps: Map<string, schema.Step>;
  rules: schema.Rule[];
  /** Source orders per (code, context) (orders/). */
  orders: schema.Order[];
  /** Code families known by facility and range (families/). */
  families: schema.Family[];
  runbooks: Map<string, schema.Runbook>;
  releases: schema.Release[];
  seeds: schema.SeedRecord[];
}

/** A knowledge base built in memory (tests, benchmarks); parts not given are empty. */
export function knowledgeBaseOf(parts: Partial<KnowledgeBase>): KnowledgeBase {
  return {
    errors: new Map(),
    contexts: [],
    steps: new Map(),
    rules: [],
    orders: [],
    families: [],
    runbooks: new Map(),
    releases: [],
    seeds: [],
    ...parts,
  };
}
