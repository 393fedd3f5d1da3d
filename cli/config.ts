/** The only place that reads the environment. Every option has a documented default. */
import path from 'node:path';
import { isLocale, type Locale } from '../rules/vocabulary';

export interface Config {
  /** WINFIX_LOCALE: locale used when neither the platform nor the message tells (default "en"). */
  defaultLocale: Locale;
  /** WINFIX_KB_DIR: the knowledge base folder (default: rules/kb in this checkout). */
  kbDir: string;
  /** WINFIX_SEEDS_DIR: the seed documents, for `kb check` (default: ../shared/seeds beside the checkout). */
  seedsDir: string;
}

const ROOT = path.resolve(__dirname, '..');

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const locale = env.WINFIX_LOCALE ?? 'en';
  if (!isLocale(locale)) throw new Error(`WINFIX_LOCALE must be ja, en or ru (got "${locale}")`);
  return {
    defaultLocale: locale,
    kbDir: path.resolve(env.WINFIX_KB_DIR ?? path.join(ROOT, 'rules', 'kb')),
    seedsDir: path.resolve(env.WINFIX_SEEDS_DIR ?? path.join(ROOT, '..', 'shared', 'seeds')),
  };
}
