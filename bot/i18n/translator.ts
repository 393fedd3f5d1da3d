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
  return { t: (locale, key, vars) => fixed[locale](key, vars ?? {}) };
}
