/** `winfix chat [--locale ja|en|ru]`: talk to the bot in the terminal (reads stdin, prints to stdout). */
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createBot, InMemoryConversationStore } from '../bot';
import { runConsoleChat } from '../connectors/console/console-chat';
import { createKnowledge } from '../rules/knowledge';
import { isLocale } from '../rules/vocabulary';
import type { Config } from './config';
import { EXIT, type Io } from './io';

const USAGE = 'usage: winfix chat [--locale ja|en|ru]   (type /quit or end input to leave)';

function localUser(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}

export async function chatCommand(
  args: string[],
  config: Config,
  io: Io,
  input: Readable & { isTTY?: boolean } = process.stdin,
): Promise<number> {
  let locale: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { locale: { type: 'string' } } });
    locale = values.locale;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (locale !== undefined && !isLocale(locale)) {
    io.err(`winfix chat: --locale must be ja, en or ru (got "${locale}")\n${USAGE}`);
    return EXIT.usage;
  }
  const bot = createBot({
    knowledge: createKnowledge(config.kbDir),
    store: new InMemoryConversationStore(),
    defaultLocale: locale ?? config.defaultLocale,
  });
  const interactive = input.isTTY === true;
  if (interactive) io.out('winfix chat — /quit or Ctrl+D to leave');
  await runConsoleChat({ bot, input, write: io.out, prompt: interactive, user: { id: localUser() } });
  return EXIT.ok;
}
