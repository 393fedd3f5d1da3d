/**
 * Which language a turn is answered in. Precedence: a language the user chose by command or button
 * (kept until they choose another), then the language of the message's own words when there are enough
 * letters to tell, then the conversation's current language (kept until the user writes in another),
 * then the platform's user locale (Teams/Slack client settings), then, on first contact only, a weak
 * hint from the message (a word or two in Latin script), then the default. See decision 0020.
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
 * Whether the message's script is a strong enough signal to choose its language. Japanese and Cyrillic
 * are; Latin text is only with three words or more once a pasted `ver` line is removed, so "ok",
 * "Windows Update" or a pasted version line do not turn a Japanese chat into English.
 */
export function isLanguageSignal(text: string, language: Locale | null): language is Locale {
  if (!language) return false;
  if (language !== 'en') return true;
  const words = text.normalize('NFKC').replace(VER_LINE, ' ').match(LATIN_WORD) ?? [];
  return words.length >= 3;
}

export interface LocaleInputs {
  /** The language the user chose by command or button, while it holds. */
  chosen: Locale | null;
  /** The language of the message when it is a signal (see isLanguageSignal). */
  message: Locale | null;
  /** The conversation's language so far; null on first contact. */
  current: Locale | null;
  /** The user's client locale (Teams/Slack), when the input carries one. */
  platform: Locale | null;
  /** First contact only: the message's script even when it is too short to be a signal. */
  hint?: Locale | null;
  fallback: Locale;
}

export function resolveLocale(inputs: LocaleInputs): Locale {
  return (
    inputs.chosen ?? inputs.message ?? inputs.current ?? inputs.platform ?? inputs.hint ?? inputs.fallback
  );
}

/** The inputs of resolveLocale for one turn: what the user chose, wrote and what the platform says. */
export function turnLocale(turn: {
  chosen: Locale | null;
  current: Locale;
  firstContact: boolean;
  text: string | null;
  script: Locale | null;
  platformTag: string | null | undefined;
  fallback: Locale;
}): Locale {
  const signal = turn.text !== null && isLanguageSignal(turn.text, turn.script) ? turn.script : null;
  return resolveLocale({
    chosen: turn.chosen,
    message: signal,
    current: turn.firstContact ? null : turn.current,
    platform: platformLocale(turn.platformTag),
    hint: turn.firstContact ? turn.script : null,
    fallback: turn.fallback,
  });
}
