/**
 * Chooses the context of a message from the keyword table: the heaviest keyword match wins, ties go to
 * the more specific context. A setup extend code ("0x80070002-0x2000D") is only ever shown by Windows Setup,
 * so it counts as a keyword naming windows-setup outright; a KB number with no stronger hint suggests
 * Windows Update. A generic word alone ("install", "update", "восстановлени…") does not outweigh the
 * code: when the knowledge base has seen the code in one place only, that place is the context
 * ("install error 0x80070103" is Windows Update's own wording for a driver update, not an app install).
 */
import type { Context } from '../vocabulary';
import { CONTEXT_KEYWORDS, type ContextKeywords, type Keyword, type Weight } from './context-keywords';

/** Weight of a KB number as a hint for windows-update (as strong as "store" or "upgrade"). */
const KB_WEIGHT: Weight = 2;
/** Weight of a setup extend code as a hint for windows-setup (names the place outright). */
const SUBCODE_WEIGHT: Weight = 3;
/** Weight of a generic word shared by several places: it yields to the code's own place. */
const GENERIC_WEIGHT: Weight = 1;

/** Code-like tokens found in the message that hint at a context. */
export interface CodeHints {
  /** The message names a KB number. */
  hasKb: boolean;
  /** The message has a setup extend code. */
  hasSubcode: boolean;
  /** The one context the knowledge base has seen the message's first code in; null when none or several. */
  codeHome?: Context | null;
}

/** Keywords must stand as whole Latin words (so "restore" is not "store", "Updateが" still counts). */
const enWord = (source: string) => `(?<![a-z0-9_])(?:${source})(?![a-z0-9_])`;
/** Russian stems must start a word. */
const ruStem = (source: string) => `(?<!\\p{Script=Cyrillic})(?:${source})`;
const jaText = (source: string) => `(?:${source})`;

interface CompiledContext {
  context: Context;
  /** One combined pattern per weight, heaviest first. */
  byWeight: { weight: Weight; pattern: RegExp }[];
}

function compile(entry: ContextKeywords): CompiledContext {
  const sources = new Map<Weight, string[]>();
  const add = (keywords: readonly Keyword[], wrap: (s: string) => string) => {
    for (const [source, weight] of keywords) {
      const list = sources.get(weight) ?? [];
      list.push(wrap(source));
      sources.set(weight, list);
    }
  };
  add(entry.en, enWord);
  add(entry.ja, jaText);
  add(entry.ru, ruStem);
  const byWeight = [...sources.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([weight, list]) => ({ weight, pattern: new RegExp(list.join('|'), 'iu') }));
  return { context: entry.context, byWeight };
}

const COMPILED: readonly CompiledContext[] = CONTEXT_KEYWORDS.map(compile);

/** The heaviest keyword weight found for one context, 0 when none. */
function weightOf(compiled: CompiledContext, text: string, atLeast: number): number {
  for (const { weight, pattern } of compiled.byWeight) {
    if (weight < atLeast) return 0;
    if (pattern.test(text)) return weight;
  }
  return 0;
}

/**
 * @param text the message (NFKC), with code tokens blanked out
 * @param hints the code-like tokens the message has
 */
export function detectContext(text: string, hints: CodeHints): Context | null {
  let best: Context | null = null;
  let bestWeight = 0;
  for (const compiled of COMPILED) {
    if (hints.hasSubcode && compiled.context === 'windows-setup' && SUBCODE_WEIGHT > bestWeight) {
      best = compiled.context;
      bestWeight = SUBCODE_WEIGHT;
      break;
    }
    // Only a heavier match can beat an earlier (more specific) context.
    const weight = weightOf(compiled, text, bestWeight + 1);
    if (weight > bestWeight) {
      best = compiled.context;
      bestWeight = weight;
      if (weight === 3) break;
    }
  }
  if (hints.hasKb && bestWeight < KB_WEIGHT) return 'windows-update';
  if (bestWeight === GENERIC_WEIGHT && hints.codeHome) return hints.codeHome;
  return best;
}
