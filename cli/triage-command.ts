/** `winfix triage [--locale ja|en|ru] [--json] TEXT…` */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Storage } from '../connectors/storage';
import { createKnowledge } from '../rules/knowledge';
import { triage } from '../rules/triage';
import { isLocale } from '../rules/vocabulary';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { configuredLearning } from './learning';
import { openConfiguredStorage } from './open-storage';
import { renderTriage } from './triage-text';

const USAGE = 'usage: winfix triage [--locale ja|en|ru] [--json] TEXT…';

export async function triageCommand(args: string[], config: Config, io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const text = positionals.join(' ').trim();
  if (!text) {
    io.err(
      `winfix triage: give the message to triage, e.g. winfix triage "Windows Update 0x80070002"\n${USAGE}`,
    );
    return EXIT.usage;
  }
  if (values.locale !== undefined && !isLocale(values.locale)) {
    io.err(`winfix triage: --locale must be ja, en or ru (got "${values.locale}")`);
    return EXIT.usage;
  }
  const knowledge = createKnowledge(config.kbDir);
  const storage = await storedOutcomes(config, io);
  try {
    const result = await triage(knowledge, text, {
      locale: values.locale,
      defaultLocale: config.defaultLocale,
      learning: configuredLearning(config, storage),
    });
    io.out(values.json ? JSON.stringify(result) : renderTriage(result));
    return EXIT.ok;
  } finally {
    await storage?.close();
  }
}

/**
 * The configured database, for plans that learn, when there is one to read: a PGlite folder that does
 * not exist yet is not created by a triage. One that cannot be opened (a running `serve` holds the
 * PGlite folder) is said on stderr, and the plan keeps the sources' order.
 */
async function storedOutcomes(config: Config, io: Io): Promise<Storage | null> {
  if (config.learnMinimum <= 0) return null;
  if (config.storage.kind === 'pglite' && !existsSync(config.storage.dataDir)) return null;
  try {
    return await openConfiguredStorage(config, io);
  } catch (error) {
    io.err(
      `winfix triage: measured outcomes not read (${(error as Error).message}); the sources' order stands`,
    );
    return null;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { locale: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
}
