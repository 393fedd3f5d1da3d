/**
 * Semantic checks of the knowledge base beyond its schema: links, orphans, runbook bindings, rule
 * conditions, sources, and that each locale's text is really written in that language.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Rule as EngineRule } from 'json-rules-engine';
import type { KbProblem } from '../errors';
import { FACT_NAMES } from '../planner/facts';
import { checkCitations } from './citations';
import { checkFamilies } from './families';
import type { KnowledgeBase } from './knowledge-base';
import type { Localized, Rule, Runbook, Step } from './schema';

const TERMINALS = new Set(['done', 'handoff']);
const TEMPLATE = /^\{(kb)\}$/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const CYRILLIC = /[\u0400-\u04ff]/;

function checkLocales(text: Localized | undefined, where: string, out: KbProblem[]): void {
  if (!text) return;
  if (!JAPANESE.test(text.ja))
    out.push({ where, message: `ja text has no Japanese: "${text.ja.slice(0, 40)}"` });
  if (!CYRILLIC.test(text.ru))
    out.push({ where, message: `ru text has no Cyrillic: "${text.ru.slice(0, 40)}"` });
}

function checkBinding(step: Step, runbooks: Map<string, Runbook>, out: KbProblem[]): void {
  if (!step.runbook) return;
  const where = `step ${step.id}`;
  const runbook = runbooks.get(step.runbook.name);
  if (!runbook) {
    out.push({ where, message: `runbook ${step.runbook.name} is not in runbooks.json` });
    return;
  }
  const declared = new Map(runbook.parameters.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(step.runbook.parameters)) {
    const param = declared.get(name);
    if (!param) {
      out.push({ where, message: `runbook ${runbook.name} has no parameter ${name}` });
      continue;
    }
    if (TEMPLATE.test(value)) continue;
    if (param.validateSet && !param.validateSet.includes(value))
      out.push({ where, message: `${name}=${value} is not one of ${param.validateSet.join(', ')}` });
    if (param.pattern && !new RegExp(param.pattern).test(value))
      out.push({ where, message: `${name}=${value} does not match ${param.pattern}` });
  }
  for (const param of runbook.parameters)
    if (param.required && !(param.name in step.runbook.parameters))
      out.push({ where, message: `runbook ${runbook.name} needs parameter ${param.name}` });
}

/** Every `fact` named anywhere in a condition tree. */
export function factsIn(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const n of node) factsIn(n, found);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.fact === 'string') found.add(record.fact);
    for (const key of ['all', 'any', 'not']) if (key in record) factsIn(record[key], found);
  }
  return found;
}

function checkRule(rule: Rule, kb: KnowledgeBase, out: KbProblem[]): void {
  const where = `rule ${rule.name}`;
  try {
    new EngineRule({ name: rule.name, conditions: rule.conditions as never, event: rule.event });
  } catch (error) {
    out.push({ where, message: `json-rules-engine rejects it: ${(error as Error).message}` });
  }
  for (const fact of factsIn(rule.conditions))
    if (!(FACT_NAMES as readonly string[]).includes(fact))
      out.push({ where, message: `unknown fact "${fact}"` });
  if (!kb.steps.has(rule.event.params.step))
    out.push({ where, message: `event names unknown step ${rule.event.params.step}` });
  checkLocales(rule.event.params.reason, where, out);
}

function stepLinks(step: Step): string[] {
  return [step.next.success, step.next.failure, ...(step.reveals ?? []).map((r) => r.next)];
}

function checkGraph(kb: KnowledgeBase, out: KbProblem[]): void {
  for (const step of kb.steps.values())
    for (const target of stepLinks(step))
      if (!TERMINALS.has(target) && !kb.steps.has(target))
        out.push({ where: `step ${step.id}`, message: `links to unknown step ${target}` });
  const reached = new Set<string>();
  const queue = kb.rules.map((r) => r.event.params.step);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    const step = kb.steps.get(id);
    if (!step || reached.has(id)) continue;
    reached.add(id);
    queue.push(...stepLinks(step));
  }
  for (const id of kb.steps.keys())
    if (!reached.has(id)) out.push({ where: `step ${id}`, message: 'orphan: no rule or link reaches it' });
}

function checkSources(kb: KnowledgeBase, seedsDir: string | null, out: KbProblem[]): void {
  const known = new Set(kb.seeds.map((s) => s.file));
  checkCitations(kb, seedsDir, out);
  if (!seedsDir) return;
  if (!existsSync(seedsDir)) {
    out.push({ where: 'seeds.json', message: `seeds folder ${seedsDir} does not exist` });
    return;
  }
  for (const seed of kb.seeds) {
    const file = path.join(seedsDir, seed.file);
    if (!existsSync(file)) out.push({ where: 'seeds.json', message: `${seed.file} is not in ${seedsDir}` });
    else if (createHash('sha256').update(readFileSync(file)).digest('hex') !== seed.sha256)
      out.push({
        where: 'seeds.json',
        message: `${seed.file} changed since the KB was built (hash differs)`,
      });
  }
  for (const name of readdirSync(seedsDir))
    if (!known.has(name))
      out.push({ where: 'seeds.json', message: `seed ${name} is not listed (not yet reviewed)` });
}

/** Static check that some entry rule can fire for a code in a context. */
function entryCovers(rule: Rule, code: string, context: string): boolean {
  if (rule.event.type !== 'entry') return false;
  const all = (rule.conditions as { all?: unknown }).all;
  if (!Array.isArray(all)) return false;
  const accepts = (fact: string, value: string) => {
    const conditions = all.filter((c) => (c as { fact?: string }).fact === fact) as {
      operator: string;
      value: unknown;
    }[];
    return conditions.every(
      (c) =>
        (c.operator === 'equal' && c.value === value) ||
        (c.operator === 'in' && Array.isArray(c.value) && c.value.includes(value)),
    );
  };
  return accepts('code', code) && accepts('context', context);
}

function checkErrors(kb: KnowledgeBase, out: KbProblem[]): void {
  const seen = new Set<string>();
  for (const c of kb.contexts) {
    const key = `${c.code}/${c.context}`;
    const where = `context ${key}`;
    if (seen.has(key)) out.push({ where, message: 'listed twice' });
    seen.add(key);
    if (!kb.errors.has(c.code)) out.push({ where, message: `code ${c.code} has no entry in errors/` });
    if (!kb.rules.some((r) => entryCovers(r, c.code, c.context)))
      out.push({ where, message: 'no entry rule starts a plan for it' });
    checkLocales(c.summary, where, out);
  }
  for (const e of kb.errors.values()) {
    if (!kb.contexts.some((c) => c.code === e.code))
      out.push({ where: `error ${e.code}`, message: 'is seen in no context (contexts/)' });
    checkLocales(e.meaning, `error ${e.code}`, out);
    for (const sub of e.subcodes ?? []) checkLocales(sub.meaning, `error ${e.code} subcode ${sub.code}`, out);
  }
}

export function checkKbSemantics(kb: KnowledgeBase, seedsDir: string | null): KbProblem[] {
  const out: KbProblem[] = [];
  for (const step of kb.steps.values()) {
    checkBinding(step, kb.runbooks, out);
    const where = `step ${step.id}`;
    checkLocales(step.title, where, out);
    checkLocales(step.why, where, out);
    checkLocales(step.caution, where, out);
    for (const r of step.reveals ?? []) checkLocales(r.label, `${where} reveal ${r.id}`, out);
    if (!step.instructions.ja.some((l) => JAPANESE.test(l)))
      out.push({ where, message: 'ja instructions are not Japanese' });
    if (!step.instructions.ru.some((l) => CYRILLIC.test(l)))
      out.push({ where, message: 'ru instructions are not Russian' });
    if (step.tier === 6 && step.runbook)
      out.push({ where, message: 'destructive steps are never run remotely' });
  }
  const names = new Set<string>();
  for (const rule of kb.rules) {
    if (names.has(rule.name)) out.push({ where: `rule ${rule.name}`, message: 'duplicate rule name' });
    names.add(rule.name);
    checkRule(rule, kb, out);
  }
  for (const runbook of kb.runbooks.values()) checkLocales(runbook.summary, `runbook ${runbook.name}`, out);
  const builds = new Set<number>();
  for (const r of kb.releases) {
    if (builds.has(r.build)) out.push({ where: 'releases.json', message: `build ${r.build} listed twice` });
    builds.add(r.build);
  }
  checkGraph(kb, out);
  checkErrors(kb, out);
  checkFamilies(kb, out);
  checkSources(kb, seedsDir, out);
  return out;
}
