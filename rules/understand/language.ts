/**
 * The language of a message's own words (code tokens already blanked out): "ja" when there is kana or
 * kanji, "ru" when there is a Cyrillic word, "en" when there is a Latin word of two letters or more,
 * null when the message is only codes, numbers and punctuation. A word mixing scripts ("Аccess" typed
 * with a Cyrillic А) counts for the script most of its letters are in.
 */
import type { Locale } from '../vocabulary';

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const WORD = /\p{L}+/gu;
const CYRILLIC_LETTER = /\p{Script=Cyrillic}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;

export function detectLanguage(words: string): Locale | null {
  if (JAPANESE.test(words)) return 'ja';
  let latin = false;
  for (const [word] of words.matchAll(WORD)) {
    const cyrillic = word.match(CYRILLIC_LETTER)?.length ?? 0;
    const latinLetters = word.match(LATIN_LETTER)?.length ?? 0;
    if (cyrillic > latinLetters) return 'ru';
    if (latinLetters >= 2) latin = true;
  }
  return latin ? 'en' : null;
}
