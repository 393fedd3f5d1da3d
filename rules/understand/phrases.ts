/**
 * Phrase tables in three languages compiled to one pattern: English sources must stand as whole Latin
 * words, Russian sources are stems that must start a word, Japanese sources match anywhere (Japanese
 * has no spaces). Matched case-insensitively on NFKC text whose whitespace runs are one character.
 */

export interface Phrases {
  en: readonly string[];
  ja: readonly string[];
  ru: readonly string[];
}

const enWord = (source: string) =>
  `(?<![\\p{Script=Latin}\\p{N}_])(?:${source})(?![\\p{Script=Latin}\\p{N}_])`;
const ruStem = (source: string) => `(?<!\\p{Script=Cyrillic})(?:${source})`;

/** One pattern for all the phrases; `flags` adds to "iu" (e.g. "g" for matchAll). */
export function compilePhrases(phrases: Phrases, flags = ''): RegExp {
  const sources = [
    ...phrases.en.map(enWord),
    ...phrases.ja.map((s) => `(?:${s})`),
    ...phrases.ru.map(ruStem),
  ];
  return new RegExp(sources.join('|'), `iu${flags}`);
}
