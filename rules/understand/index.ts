/**
 * Understanding free text (ja/en/ru): error codes, setup extend codes, KB numbers, context, OS (current
 * and upgrade target), what the user already tried, clues, and the language of the message. Pure and
 * synchronous; every pattern is compiled once per understander and runs in time linear in the text,
 * of which only the first MAX_ANALYSED_CHARS characters are read.
 */
import type { Release } from '../kb/schema';
import type { Clue, Context, Locale, OsInfo, OsTarget, Tried } from '../vocabulary';
import { findClues } from './clues';
import { type Correction, createCodeFinder } from './codes';
import { detectContext } from './context';
import { findKbNumbers } from './kb-numbers';
import { detectLanguage } from './language';
import { capText, MAX_ANALYSED_CHARS } from './limits';
import { saysNoCode } from './no-code';
import { blankSpans, normalizeText } from './normalize';
import { createOsDetector } from './os';
import { createTargetDetector } from './target';
import { findTried } from './tried';

export type { Correction };
export { MAX_ANALYSED_CHARS };

export interface Understanding {
  /** Normalized "0x" + 8 lowercase hex digits, in order of appearance, each once. */
  codes: string[];
  /** Setup extend codes, lowercase as written ("0x20007", "0x4000d"). */
  subcodes: string[];
  /** "KB5065687" (uppercase KB + digits), in order, each once. */
  kb: string[];
  context: Context | null;
  /** The PC's current Windows (never the target of an upgrade the message talks about). */
  os: OsInfo | null;
  /** The Windows an upgrade was aiming at ("upgrade to 24H2 failed"), or null. */
  target: OsTarget | null;
  /** What the user says they already did ("再起動済み", "ran sfc", "перезагружал"), in TRIED order. */
  tried: Tried[];
  /** Clues to the cause ("the clock was wrong", "PST on the NAS"), in CLUES order. */
  clues: Clue[];
  /** Codes read from a typo ("0x800700003" → "0x80070003"), for the bot to confirm; also in `codes`. */
  corrections: Correction[];
  /** The user says there is no error code ("コードは出てないです", "there's no code", "кода нет"). */
  noCode: boolean;
  /** The message was longer than MAX_ANALYSED_CHARS and only its beginning was read. */
  truncated: boolean;
  /** Script of the message's own words (not of its codes); null when there are no words. */
  language: Locale | null;
}

export interface Lexicon {
  /** Alias (lowercase) → "0x…" code, e.g. "status_wait_2" → "0x80070002". */
  aliases: Record<string, string>;
  /** Codes the KB knows ("0x80070003" …): a typo such as "0x800700003" is read as one of them. */
  knownCodes?: readonly string[];
  /** Build → family/version (rules/kb/releases.json). */
  releases: Release[];
  /** The one context the KB has seen a code in (null: none or several); a generic word yields to it. */
  codeHome?: (code: string) => Context | null;
}

/** What stands in a code's place when the message is read for the place: no letter, no space. */
const CODE_GAP = '\u00b7';

export type Understander = (text: string) => Understanding;

export function createUnderstander(lexicon: Lexicon): Understander {
  const findCodes = createCodeFinder({ aliases: lexicon.aliases, knownCodes: lexicon.knownCodes ?? [] });
  const detectOs = createOsDetector(lexicon.releases);
  const detectTarget = createTargetDetector(lexicon.releases);
  return (raw) => {
    const head = capText(raw);
    // NFKC can lengthen text (one ligature becomes several letters): cap again after it.
    const normalized = normalizeText(head.text);
    const capped = capText(normalized.text);
    const message = { text: capped.text, latin: normalized.latin.slice(0, capped.text.length) };
    const found = findCodes(message);
    const kb = findKbNumbers(message.latin);
    const words = blankSpans(message.text, [...found.spans, ...kb.spans]);
    // For the place, a code stands between words: "install 0x80070003 win10" is no "install win10".
    const placeWords = blankSpans(message.text, [...found.spans, ...kb.spans], CODE_GAP);
    const tried = findTried(words);
    const hints = {
      hasKb: kb.kb.length > 0,
      hasSubcode: found.subcodes.length > 0,
      codeHome: found.codes[0] ? (lexicon.codeHome?.(found.codes[0]) ?? null) : null,
    };
    return {
      codes: found.codes,
      subcodes: found.subcodes,
      kb: kb.kb,
      // "did a System Restore" is something tried, not the place, unless nothing else names one
      context:
        detectContext(blankSpans(placeWords, tried.placeSpans), hints) ?? detectContext(placeWords, hints),
      os: detectOs(message.text),
      target: detectTarget(message.text),
      tried: tried.tried,
      clues: findClues(message.text),
      corrections: found.corrections,
      noCode: found.codes.length === 0 && saysNoCode(words),
      truncated: head.truncated || capped.truncated,
      language: detectLanguage(words),
    };
  };
}
