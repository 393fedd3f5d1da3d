/**
 * A typed answer to "what did you see?" mapped to one of the open step's reveals ("KB5034441 が失敗",
 * "the update KB5034441 failed" → "An update with a KB number fails"). Each reveal's label, in every
 * locale, gives the words to look for; a KB number the user wrote counts for a label that speaks of KB
 * numbers. The answer is taken only when one reveal clearly matches better than the others.
 */
import type { Step } from '../rules/kb/schema';
import { LOCALES } from '../rules/vocabulary';

type Reveal = NonNullable<Step['reveals']>[number];

/** Words that say nothing about what was seen. */
const STOP = new Set([
  'the',
  'and',
  'with',
  'that',
  'this',
  'from',
  'for',
  'not',
  'are',
  'was',
  'its',
  'own',
  'other',
  'similar',
  'example',
  'something',
  'или',
  'что',
  'это',
  'для',
  'при',
  'как',
  'так',
  'сам',
  'сама',
  'само',
  'самого',
]);

/**
 * A word's comparable form: lower-case, its first four letters (fails/failed, ошибка/ошибки); a number
 * or code (169.254, 0x80070003) whole.
 */
function stem(word: string): string {
  const lower = word.toLowerCase();
  return /^\d/.test(lower) ? lower : lower.slice(0, 4);
}

/** Latin/Cyrillic words and numbers (3+ characters) as stems. */
function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(/[\p{Script=Latin}\p{Script=Cyrillic}\d.]{3,}/gu)) {
    const w = m[0].replace(/^\.+|\.+$/g, '').toLowerCase();
    if (w.length >= 3 && !STOP.has(w)) out.add(stem(w));
  }
  return out;
}

/** Runs of two or more katakana or kanji in a Japanese label ("失敗", "ドライバー", "更新"). */
function japaneseRuns(text: string): string[] {
  return [...text.matchAll(/[\p{Script=Han}]{2,}|[\p{Script=Katakana}ー]{2,}/gu)].map((m) => m[0]);
}

const KB_LABEL = /(?<![\p{L}])KB(?![\p{L}])/u;

function score(reveal: Reveal, typed: string, typedWords: Set<string>, kbNumbers: boolean): number {
  const labelWords = new Set<string>();
  for (const locale of LOCALES) for (const w of words(reveal.label[locale])) labelWords.add(w);
  let points = 0;
  // A number in a label ("169.254") also matches a longer one typed ("169.254.10.4").
  const found = (w: string) =>
    typedWords.has(w) || (/^\d/.test(w) && [...typedWords].some((t) => t.startsWith(w)));
  for (const w of labelWords) if (found(w)) points += 1;
  for (const run of new Set(japaneseRuns(reveal.label.ja))) if (typed.includes(run)) points += 1;
  // A KB number the user wrote is what a "KB number" label asks about.
  if (kbNumbers && LOCALES.some((l) => KB_LABEL.test(reveal.label[l]))) points += 2;
  return points;
}

/**
 * The reveal a typed answer names, or null when none (or several equally) match. `kbNumbers`: the
 * message named a KB update.
 */
export function matchReveal(step: Step, typed: string, kbNumbers: boolean): Reveal | null {
  const reveals = step.reveals ?? [];
  if (reveals.length === 0) return null;
  const text = typed.normalize('NFKC');
  const typedWords = words(text);
  const scored = reveals
    .map((reveal) => ({ reveal, points: score(reveal, text, typedWords, kbNumbers) }))
    .sort((a, b) => b.points - a.points);
  const [best, second] = scored;
  if (!best || best.points === 0) return null;
  const runnerUp = second?.points ?? 0;
  if (runnerUp === 0 || (best.points >= 2 && best.points > runnerUp)) return best.reveal;
  return null;
}
