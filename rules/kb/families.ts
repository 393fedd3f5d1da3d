/**
 * Code families (rules/kb/families/): which family a code the base does not list belongs to, and the
 * checks `kb check` runs on them (known steps, ranges that do not overlap, text in every locale).
 */
import type { KbProblem } from '../errors';
import type { KnowledgeBase } from './knowledge-base';
import type { Family } from './schema';

const numberOf = (code: string) => Number.parseInt(code.slice(2), 16);

/** The family whose range holds the code (lowercase 0x + 8 hex digits), or null. */
export function familyOf(families: readonly Family[], code: string | null): Family | null {
  if (!code || !/^0x[0-9a-f]{8}$/.test(code)) return null;
  const value = numberOf(code);
  return families.find((f) => numberOf(f.from) <= value && value <= numberOf(f.to)) ?? null;
}

/**
 * The family whose plan a conversation gets: the code is not listed in the base at all (no context
 * record), its range is a family's, and the context is that family's or not known yet.
 */
export function familyPlanOf(kb: KnowledgeBase, code: string | null, context: string | null): Family | null {
  if (!code || kb.contexts.some((c) => c.code === code)) return null;
  const family = familyOf(kb.families, code);
  return family && (context === null || context === family.context) ? family : null;
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const CYRILLIC = /[\u0400-\u04ff]/;

export function checkFamilies(kb: KnowledgeBase, out: KbProblem[]): void {
  const ids = new Set<string>();
  kb.families.forEach((family, index) => {
    const where = `family ${family.id}`;
    if (ids.has(family.id)) out.push({ where, message: 'duplicate family id' });
    ids.add(family.id);
    for (const item of family.steps)
      if (!kb.steps.has(item.step)) out.push({ where, message: `names unknown step ${item.step}` });
    if (!JAPANESE.test(family.label.ja)) out.push({ where, message: 'ja label has no Japanese' });
    if (!CYRILLIC.test(family.label.ru)) out.push({ where, message: 'ru label has no Cyrillic' });
    for (const other of kb.families.slice(index + 1))
      if (numberOf(family.from) <= numberOf(other.to) && numberOf(other.from) <= numberOf(family.to))
        out.push({ where, message: `range overlaps family ${other.id}` });
  });
}
