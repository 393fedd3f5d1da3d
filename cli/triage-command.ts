/** `winfix triage [--locale ja|en|ru] [--json] TEXT…` */
import { parseArgs } from 'node:util';
import { createKnowledge } from '../rules/knowledge';
import { triage } from '../rules/triage';
import { isLocale } from '../rules/vocabulary';
import type { Config } from './config';
import { EXIT, type Io } from './io';
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
  const result = await triage(knowledge, text, {
    locale: values.locale,
    defaultLocale: config.defaultLocale,
  });
  io.out(values.json ? JSON.stringify(result) : renderTriage(result));
  return EXIT.ok;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { locale: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
}
