/**
 * What a user is told when the core fails on their turn (it has no answer to translate then): one
 * sentence in the user's language, from the bot's own texts (key `turn.failed`). The language is the
 * client's locale when it is one the bot speaks, else the configured default.
 */
import type { OutgoingMessage } from '../../bot';
import { createTranslator } from '../../bot/i18n/translator';
import { platformLocale } from '../../bot/locale';
import type { Locale } from '../../rules/vocabulary';

const translator = createTranslator();

export function apologyFor(locale: string | null | undefined, fallback: Locale = 'en'): OutgoingMessage {
  const language = platformLocale(locale) ?? fallback;
  return { kind: 'text', id: 'apology', text: translator.t(language, 'turn.failed') };
}
