/**
 * Understanding free text (ja/en/ru): error codes, setup extend codes, KB numbers, context, OS and the
 * language of the message. Pure and synchronous; every pattern is compiled once per understander.
 */
import type { Release } from '../kb/schema';
import type { Context, Locale, OsInfo } from '../vocabulary';
import { createCodeFinder } from './codes';
import { detectContext } from './context';
import { findKbNumbers } from './kb-numbers';
import { detectLanguage } from './language';
import { blankSpans, normalizeText } from './normalize';
import { createOsDetector } from './os';

export interface Understanding {
  /** Normalized "0x" + 8 lowercase hex digits, in order of appearance, each once. */
  codes: string[];
  /** Setup extend codes, lowercase as written ("0x20007", "0x4000d"). */
  subcodes: string[];
  /** "KB5065687" (uppercase KB + digits), in order, each once. */
  kb: string[];
  context: Context | null;
  os: OsInfo | null;
  /** Script of the message's own words (not of its codes); null when there are no words. */
  language: Locale | null;
}

export interface Lexicon {
  /** Alias (lowercase) → "0x…" code, e.g. "status_wait_2" → "0x80070002". */
  aliases: Record<string, string>;
  /** Build → family/version (rules/kb/releases.json). */
  releases: Release[];
}

export type Understander = (text: string) => Understanding;

export function createUnderstander(lexicon: Lexicon): Understander {
  const findCodes = createCodeFinder({ aliases: lexicon.aliases });
  const detectOs = createOsDetector(lexicon.releases);
  return (raw) => {
    const message = normalizeText(raw);
    const found = findCodes(message);
    const kb = findKbNumbers(message.latin);
    const words = blankSpans(message.text, [...found.spans, ...kb.spans]);
    return {
      codes: found.codes,
      subcodes: found.subcodes,
      kb: kb.kb,
      context: detectContext(words, kb.kb.length > 0),
      os: detectOs(message.text),
      language: detectLanguage(words),
    };
  };
}
