/**
 * Finds error codes in a message: "0x80070002", "0X80070002", "80070002" (bare, with guards),
 * "0x8007003" (a dropped zero), "0x800700003" (an extra zero, read as the one known code it can be), aliases such as "status_wait_2", negative decimal HRESULTs
 * ("-2147024894"), and setup extend codes joined to a code ("0xC1900101-0x4000D").
 */
import { isAfterTicketWord, isPartOfDigitSequence, KNOWN_CODE_PREFIXES } from './code-guards';
import type { NormalizedText, Span } from './normalize';

/** A code written wrongly and read as a known one: "0x8007003" (a dropped zero), "0x800700003" (an extra one). */
export interface Correction {
  /** As the message wrote it (after NFKC), e.g. "0x800700003". */
  written: string;
  /** The code it was read as, e.g. "0x80070003". */
  code: string;
}

export interface CodeFindings {
  codes: string[];
  /** Codes read from a typo, so the bot can ask "Did you mean 0x80070003?". */
  corrections: Correction[];
  subcodes: string[];
  /** Where the code-like tokens are, so they are not counted as words of the message. */
  spans: Span[];
}

/**
 * Letters that glue onto a code and make it part of a word. Japanese has no spaces between words, so
 * kana and kanji next to a code ("更新で80070003が") do not; Latin and Cyrillic letters do.
 */
// (documented here; the patterns below spell it out as [\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])

/** "0x…" (or a letter O typed for the zero), hex digits of any length; length is judged afterwards. */
const PREFIXED =
  /(?:(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])[oO]|(?<![\p{N}_.])0)[xX]\s?([0-9a-fA-F]{1,12})(?![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])/gu;
/** Eight hex digits without a prefix, starting with 8 or C (error severity). */
const BARE =
  /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_+\-./\\])([89cC][0-9a-fA-F]{7})(?![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])/gu;
/** A negative decimal HRESULT, "-2147024894". */
const NEGATIVE = /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_\-−.])[-−](\d{10})(?!\d)/gu;
/** A setup extend code joined to the code before it: "-0x20007", " - 0x4000D", "-20007". */
const JOINED_EXTEND =
  /^\s*[-–—‐−]\s*(?:0[xX])?([0-9a-fA-F]{1,6})(?![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])/u;
/** A stand-alone setup extend code: phase 1–6 then four hex digits ("0x4000D", "0x30018"). */
const EXTEND_SHAPE = /^[1-6][0-9a-f]{4}$/;

interface Hit {
  index: number;
  code: string;
}

function hex8(value: string): string {
  return `0x${value.toLowerCase()}`;
}

/** Code for 7 hex digits whose first four are a known prefix: the dropped zero was in the code part. */
function padDroppedZero(digits: string): string | null {
  const lower = digits.toLowerCase();
  const prefix = lower.slice(0, 4);
  if (!KNOWN_CODE_PREFIXES.has(prefix)) return null;
  return `0x${prefix}${lower.slice(4).padStart(4, '0')}`;
}

/** The one known code reachable from nine hex digits by removing one zero, or null (none, or several). */
function dropExtraZero(digits: string, known: ReadonlySet<string>): string | null {
  const lower = digits.toLowerCase();
  const reachable = new Set<string>();
  for (let i = 0; i < lower.length; i++) {
    if (lower[i] !== '0') continue;
    const code = `0x${lower.slice(0, i)}${lower.slice(i + 1)}`;
    if (known.has(code)) reachable.add(code);
  }
  return reachable.size === 1 ? ([...reachable][0] ?? null) : null;
}

export interface CodeFinderOptions {
  /** Alias (any case) → "0x…" code. */
  aliases: Readonly<Record<string, string>>;
  /** Codes the knowledge base knows ("0x…", any case); with the aliases' codes, the targets of typo fixes. */
  knownCodes?: readonly string[];
}

export type CodeFinder = (message: NormalizedText) => CodeFindings;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createCodeFinder(options: CodeFinderOptions): CodeFinder {
  const aliasCodes = new Map<string, string>();
  for (const [alias, code] of Object.entries(options.aliases)) {
    aliasCodes.set(alias.toLowerCase(), code.toLowerCase());
  }
  const known = new Set<string>([
    ...aliasCodes.values(),
    ...(options.knownCodes ?? []).map((c) => c.toLowerCase()),
  ]);
  const aliasSources = [...aliasCodes.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const aliasPattern =
    aliasSources.length > 0
      ? new RegExp(
          `(?<![\\p{Script=Latin}\\p{Script=Cyrillic}\\p{N}_])(?:${aliasSources.join('|')})(?![\\p{Script=Latin}\\p{Script=Cyrillic}\\p{N}_])`,
          'giu',
        )
      : null;

  return ({ text, latin }) => {
    const hits: Hit[] = [];
    const subHits: Hit[] = [];
    const spans: Span[] = [];
    const corrections: Correction[] = [];
    /** Text already taken by a joined extend code, so it is not read again as something else. */
    const taken: Span[] = [];
    const isTaken = (at: number) => taken.some((s) => at >= s.start && at < s.end);

    const takeJoinedExtend = (end: number): void => {
      const joined = JOINED_EXTEND.exec(latin.slice(end));
      if (!joined?.[1]) return;
      const hasPrefix = /0x/i.test(joined[0]);
      const digits = joined[1].toLowerCase();
      if (!hasPrefix && !EXTEND_SHAPE.test(digits)) return;
      subHits.push({ index: end, code: `0x${digits}` });
      const span = { start: end, end: end + joined[0].length };
      taken.push(span);
      spans.push(span);
    };

    for (const m of latin.matchAll(PREFIXED)) {
      const digits = m[1] ?? '';
      const start = m.index;
      const end = start + m[0].length;
      if (isTaken(start)) continue;
      let code: string | null = null;
      if (digits.length === 8) code = hex8(digits);
      else if (digits.length === 7 || digits.length === 9) {
        code = digits.length === 7 ? padDroppedZero(digits) : dropExtraZero(digits, known);
        if (code) corrections.push({ written: text.slice(start, end), code });
      } else if (digits.length === 5 && EXTEND_SHAPE.test(digits.toLowerCase())) {
        subHits.push({ index: start, code: `0x${digits.toLowerCase()}` });
        spans.push({ start, end });
        continue;
      }
      if (!code) continue;
      hits.push({ index: start, code });
      spans.push({ start, end });
      takeJoinedExtend(end);
    }

    for (const m of latin.matchAll(BARE)) {
      const digits = m[1] ?? '';
      const start = m.index;
      const end = start + m[0].length;
      if (isTaken(start) || !KNOWN_CODE_PREFIXES.has(digits.slice(0, 4).toLowerCase())) continue;
      if (isAfterTicketWord(text, start)) continue;
      const before = subHits.length;
      takeJoinedExtend(end);
      if (subHits.length === before && isPartOfDigitSequence(latin, start, end)) continue;
      hits.push({ index: start, code: hex8(digits) });
      spans.push({ start, end });
    }

    for (const m of latin.matchAll(NEGATIVE)) {
      const value = Number(m[1]);
      if (value < 1 || value > 0x80000000) continue;
      const hex = (0x100000000 - value).toString(16).padStart(8, '0');
      if (!KNOWN_CODE_PREFIXES.has(hex.slice(0, 4))) continue;
      hits.push({ index: m.index, code: `0x${hex}` });
      spans.push({ start: m.index, end: m.index + m[0].length });
    }

    if (aliasPattern) {
      for (const m of latin.matchAll(aliasPattern)) {
        const code = aliasCodes.get(m[0].toLowerCase());
        if (!code) continue;
        hits.push({ index: m.index, code });
        spans.push({ start: m.index, end: m.index + m[0].length });
      }
    }

    return {
      codes: inOrder(hits),
      subcodes: inOrder(subHits),
      corrections: uniqueCorrections(corrections),
      spans,
    };
  };
}

/** Each (written, code) pair once, in order of appearance. */
function uniqueCorrections(corrections: Correction[]): Correction[] {
  const seen = new Set<string>();
  return corrections.filter((c) => {
    const key = `${c.written.toLowerCase()} ${c.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Codes sorted by where they appear, each once. */
function inOrder(hits: Hit[]): string[] {
  if (hits.length === 0) return [];
  hits.sort((a, b) => a.index - b.index);
  return [...new Set(hits.map((h) => h.code))];
}
