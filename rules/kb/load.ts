/**
 * Reads the knowledge base folder (`rules/kb/`): errors/, contexts/, steps/, rules/ (each a set of JSON
 * arrays; orders/ and families/ too), runbooks.json, releases.json and seeds.json. Schema problems are collected, not thrown, so
 * `winfix kb check` can list all of them; `loadKb` throws when there is any problem.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { KbInvalidError, type KbProblem, KbReadError } from '../errors';
import { checkKbSemantics } from './check';
import type { KnowledgeBase } from './knowledge-base';
import * as schema from './schema';

export const DEFAULT_KB_DIR = path.resolve(__dirname);

export { type KnowledgeBase, knowledgeBaseOf } from './knowledge-base';

export interface KbReadResult {
  kb: KnowledgeBase;
  problems: KbProblem[];
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KbReadError(`cannot read ${file}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KbReadError(`${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

function issuesOf(where: string, error: z.ZodError): KbProblem[] {
  return error.issues.map((i) => ({ where, message: `${i.path.join('.') || '(root)'}: ${i.message}` }));
}

/** Validates every element separately so one bad item does not hide the others. */
function parseArray<T>(item: z.ZodType<T>, data: unknown, where: string, problems: KbProblem[]): T[] {
  if (!Array.isArray(data)) {
    problems.push({ where, message: 'expected a JSON array' });
    return [];
  }
  const out: T[] = [];
  data.forEach((element, index) => {
    const parsed = item.safeParse(element);
    if (parsed.success) out.push(parsed.data);
    else problems.push(...issuesOf(`${where}[${index}]`, parsed.error));
  });
  return out;
}

function parseFolder<T>(
  dir: string,
  folder: string,
  item: z.ZodType<T>,
  problems: KbProblem[],
  optional = false,
): T[] {
  let names: string[];
  try {
    names = readdirSync(path.join(dir, folder)).filter((n) => n.endsWith('.json'));
  } catch {
    if (!optional) problems.push({ where: folder, message: 'folder is missing' });
    return [];
  }
  return names
    .sort()
    .flatMap((name) =>
      parseArray(item, readJson(path.join(dir, folder, name)), `${folder}/${name}`, problems),
    );
}

function byId<T>(items: T[], key: (t: T) => string, where: string, problems: KbProblem[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const id = key(item);
    if (map.has(id)) problems.push({ where, message: `duplicate id ${id}` });
    else map.set(id, item);
  }
  return map;
}

/** Reads and schema-validates the KB; semantic checks are added by `checkKbSemantics`. */
export function readKb(dir: string = DEFAULT_KB_DIR): KbReadResult {
  const problems: KbProblem[] = [];
  const kb: KnowledgeBase = {
    errors: byId(parseFolder(dir, 'errors', schema.errorEntry, problems), (e) => e.code, 'errors', problems),
    contexts: parseFolder(dir, 'contexts', schema.errorContext, problems),
    steps: byId(parseFolder(dir, 'steps', schema.step, problems), (s) => s.id, 'steps', problems),
    rules: parseFolder(dir, 'rules', schema.rule, problems),
    orders: parseFolder(dir, 'orders', schema.order, problems),
    families: parseFolder(dir, 'families', schema.family, problems, true),
    runbooks: byId(
      parseArray(schema.runbook, readJson(path.join(dir, 'runbooks.json')), 'runbooks.json', problems),
      (r) => r.name,
      'runbooks.json',
      problems,
    ),
    releases: parseArray(
      schema.release,
      readJson(path.join(dir, 'releases.json')),
      'releases.json',
      problems,
    ),
    seeds: parseArray(schema.seedRecord, readJson(path.join(dir, 'seeds.json')), 'seeds.json', problems),
  };
  return { kb, problems };
}

export interface CheckOptions {
  /** The seed documents folder; when given, every seed's file and hash are checked too. */
  seedsDir?: string | null;
}

/** Reads the KB and runs every check; returns all problems found (empty = valid). */
export function checkKb(dir: string = DEFAULT_KB_DIR, options: CheckOptions = {}): KbReadResult {
  const { kb, problems } = readKb(dir);
  problems.push(...checkKbSemantics(kb, options.seedsDir ?? null));
  return { kb, problems };
}

/** Loads a valid KB or throws `KbInvalidError` listing every problem. */
export function loadKb(dir: string = DEFAULT_KB_DIR): KnowledgeBase {
  const { kb, problems } = checkKb(dir);
  if (problems.length > 0) throw new KbInvalidError(problems);
  return kb;
}
