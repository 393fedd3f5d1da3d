/**
 * Checks that every citation in the knowledge base can be checked by a reader: a seed quote must be a
 * phrase that really occurs in that seed (after whitespace normalisation); a URL citation names an
 * https page and its title (the schema checks that). A bare seed file name is refused by the schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KbProblem } from '../errors';
import type { KnowledgeBase } from './knowledge-base';
import type { Citation } from './schema';

/** Collapses every run of whitespace (any Unicode space, line ends included) to one space. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The seed file a citation names, or null for a URL citation. */
export function citedSeed(citation: Citation): string | null {
  return 'seed' in citation ? citation.seed : null;
}

/**
 * One line for people: `000_….txt "net stop wuauserv"`, or the page's URL with the words to look for
 * on it when the citation quotes them (two quotes from one page are then two different lines).
 */
export function formatCitation(citation: Citation): string {
  if ('seed' in citation) return `${citation.seed} "${citation.quote}"`;
  return citation.quote ? `${citation.url} "${citation.quote}"` : citation.url;
}

/** Every place in the KB that carries sources, with a name for messages. */
export function citedPlaces(kb: KnowledgeBase): { where: string; sources: Citation[] }[] {
  const places: { where: string; sources: Citation[] }[] = [];
  for (const e of kb.errors.values()) {
    places.push({ where: `error ${e.code}`, sources: e.sources });
    for (const sub of e.subcodes ?? [])
      places.push({ where: `error ${e.code} subcode ${sub.code}`, sources: sub.sources });
  }
  for (const c of kb.contexts) places.push({ where: `context ${c.code}/${c.context}`, sources: c.sources });
  for (const s of kb.steps.values()) places.push({ where: `step ${s.id}`, sources: s.sources });
  for (const r of kb.rules) places.push({ where: `rule ${r.name}`, sources: r.sources });
  for (const o of kb.orders) {
    places.push({ where: `order ${o.code ?? '(no code)'}/${o.context ?? '(any)'}`, sources: o.sources });
    for (const item of o.steps)
      places.push({
        where: `order ${o.code ?? '(no code)'}/${o.context ?? '(any)'} step ${item.step}`,
        sources: item.sources,
      });
  }
  for (const f of kb.families) {
    places.push({ where: `family ${f.id}`, sources: f.sources });
    for (const item of f.steps)
      places.push({ where: `family ${f.id} step ${item.step}`, sources: item.sources });
  }
  return places;
}

/** `seedsDir`: the seeds folder; without it quotes are not looked up (seed names are still checked). */
export function checkCitations(kb: KnowledgeBase, seedsDir: string | null, out: KbProblem[]): void {
  const known = new Set(kb.seeds.map((s) => s.file));
  const texts = new Map<string, string | null>();
  const seedText = (file: string): string | null => {
    if (!seedsDir) return null;
    if (!texts.has(file)) {
      const full = path.join(seedsDir, file);
      texts.set(file, existsSync(full) ? normalizeWhitespace(readFileSync(full, 'utf8')) : null);
    }
    return texts.get(file) ?? null;
  };
  for (const { where, sources } of citedPlaces(kb))
    for (const citation of sources) {
      const seed = citedSeed(citation);
      if (seed !== null && !known.has(seed)) {
        out.push({ where, message: `cites unknown seed ${seed}` });
        continue;
      }
      if (!('seed' in citation)) continue;
      const text = seedText(citation.seed);
      if (text !== null && !text.includes(normalizeWhitespace(citation.quote)))
        out.push({ where, message: `quote "${citation.quote}" is not in ${citation.seed}` });
    }
}
