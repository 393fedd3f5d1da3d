/**
 * UI strings in ja, en and ru through i18next: one instance per bot (`createInstance`), no global
 * state. Keys are flat ("step.fixed"); a key missing from en.json is a type error.
 */
import i18next, { type i18n } from 'i18next';
import type { Locale } from '../../rules/vocabulary';
import en from './en.json';
import ja from './ja.json';
import ru from './ru.json';

export type MessageKey = keyof typeof en;
export type Vars = Record<string, string | number>;

export const RESOURCES: Record<Locale, Record<string, string>> = { ja, en, ru };

export interface Translator {
  t(locale: Locale, key: MessageKey, vars?: Vars): string;
}

/** How many translated texts a translator keeps. */
const TEXT_CACHE_SIZE = 5000;

export function createTranslator(): Translator {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: {
      ja: { translation: ja },
      en: { translation: en },
      ru: { translation: ru },
    },
    lng: 'en',
    fallbackLng: false,
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    showSupportNotice: false,
  });
  const fixed = { ja: instance.getFixedT('ja'), en: instance.getFixedT('en'), ru: instance.getFixedT('ru') };
  // i18next resolves and interpolates on every call (a tenth of a bot turn's CPU in the case-cost
  // profile, decision 0025): the same key with the same values gives the same text, so it is kept.
  // Bounded: the cache starts over when full (values such as codes and dates vary without end).
  const texts = new Map<string, string>();
  return {
    t: (locale, key, vars) => {
      const id =
        vars === undefined ? `${locale}\u0000${key}` : `${locale}\u0000${key}\u0000${JSON.stringify(vars)}`;
      let text = texts.get(id);
      if (text === undefined) {
        text = fixed[locale](key, vars ?? {});
        if (texts.size >= TEXT_CACHE_SIZE) texts.clear();
        texts.set(id, text);
      }
      return text;
    },
  };
}
