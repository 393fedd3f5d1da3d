/**
 * Which language a turn is answered in. Precedence: a language the user chose by command or button
 * (kept until they choose another), then the platform's user locale when the input carries one, then
 * the script of the message's own words, then the conversation's current locale, then the default.
 */
import { isLocale, type Locale } from '../rules/vocabulary';

/** "ja-JP" → "ja", "ru" → "ru", "de-DE" → null. */
export function platformLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : null;
}

const VER_LINE = /microsoft\s+windows\s*\[[^\]]*\]/giu;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;

/**
 * Whether the message's script is a strong enough signal to switch languages mid-conversation.
 * Japanese and Cyrillic are; Latin text is only with three words or more once a pasted `ver` line is
 * removed, so "ok", "Windows Update" or a pasted version line do not turn a Japanese chat into English.
 */
export function isLanguageSignal(text: string, language: Locale | null): language is Locale {
  if (!language) return false;
  if (language !== 'en') return true;
  const words = text.normalize('NFKC').replace(VER_LINE, ' ').match(LATIN_WORD) ?? [];
  return words.length >= 3;
}

export interface LocaleInputs {
  chosen: Locale | null;
  platform: Locale | null;
  /** The script of the message, when it is a signal (see isLanguageSignal). */
  message: Locale | null;
  current: Locale | null;
  fallback: Locale;
}

export function resolveLocale(inputs: LocaleInputs): Locale {
  return inputs.chosen ?? inputs.platform ?? inputs.message ?? inputs.current ?? inputs.fallback;
}
