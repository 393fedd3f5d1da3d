/**
 * Text normalisation for understanding. Two views of one message, index-aligned with each other:
 * - `text`: NFKC (full-width ０ｘ８００７ → 0x8007, full-width colon → ":"; "№" kept as "#"), every run of
 *   whitespace made one space (or one newline when it holds a line break), used for words;
 * - `latin`: the same with Cyrillic look-alikes of Latin letters replaced one-for-one (х → x, К → K …),
 *   used to find codes and KB numbers typed on a Russian keyboard layout.
 */

/** Cyrillic letters that look like Latin ones used in codes ("0х80070003", "КВ5065687", "0x8024а002"). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  х: 'x',
  Х: 'X',
  а: 'a',
  А: 'A',
  с: 'c',
  С: 'C',
  е: 'e',
  Е: 'E',
  В: 'B',
  К: 'K',
  к: 'k',
  о: 'o',
  О: 'O',
};

const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

export interface NormalizedText {
  /** NFKC form of the message. */
  text: string;
  /** `text` with Cyrillic look-alikes mapped to Latin; same length and indices as `text`. */
  latin: string;
}

/** Runs of whitespace, folded to one character so no pattern ever backtracks over a long run of them. */
const WHITESPACE_RUN = /\s+/g;

export function normalizeText(raw: string): NormalizedText {
  // NFKC would turn "№" into "No", gluing a letter to the number after it; "#" means the same here.
  const text = raw
    .replace(/№/g, '#')
    .normalize('NFKC')
    .replace(WHITESPACE_RUN, (run) => (run.includes('\n') ? '\n' : ' '));
  const latin = text.replace(LOOKALIKE_PATTERN, (ch) => LOOKALIKES[ch] ?? ch);
  return { text, latin };
}

/** A stretch of the message taken by a code-like token (code, alias, KB number), start inclusive. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Replaces every span with `fill` (spaces by default) so what remains are the message's own words. A
 * fill that is no space keeps words on either side of a span from reading as one phrase.
 */
export function blankSpans(text: string, spans: readonly Span[], fill = ' '): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) {
      if (span.end > at) {
        out += fill.repeat(span.end - at);
        at = span.end;
      }
      continue;
    }
    out += text.slice(at, span.start) + fill.repeat(span.end - span.start);
    at = span.end;
  }
  return out + text.slice(at);
}
