/**
 * `winfix chat [--locale ja|en|ru] [--session NAME]`: talk to the bot in the terminal (reads stdin, prints
 * to stdout). The conversation is kept in the configured storage (PGlite in ./data by default), so it
 * continues where it was after a restart; --session names it (default: the OS user name).
 */
import { userInfo } from 'node:os';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createBot, InMemoryConversationStore } from '../bot';
import { createTranslator } from '../bot/i18n/translator';
import { runConsoleChat } from '../connectors/console/console-chat';
import { createKnowledge } from '../rules/knowledge';
import { isLocale } from '../rules/vocabulary';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { configuredLearning } from './learning';
import { openConfiguredStorage } from './open-storage';

const USAGE = 'usage: winfix chat [--locale ja|en|ru] [--session NAME]   (type /quit or end input to leave)';

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
  writePrompt?: (text: string) => void,
): Promise<number> {
  let locale: string | undefined;
  let session: string | undefined;
  try {
    const { values } = parseArgs({
      args,
      options: { locale: { type: 'string' }, session: { type: 'string' } },
    });
    locale = values.locale;
    session = values.session;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (locale !== undefined && !isLocale(locale)) {
    io.err(`winfix chat: --locale must be ja, en or ru (got "${locale}")\n${USAGE}`);
    return EXIT.usage;
  }
  if (session !== undefined && !/^[\w.@:-]{1,100}$/.test(session)) {
    io.err(`winfix chat: --session must be 1–100 letters, digits or . _ - @ : (got "${session}")\n${USAGE}`);
    return EXIT.usage;
  }
  const user = localUser();
  const storage = await openConfiguredStorage(config, io);
  try {
    const bot = createBot({
      knowledge: createKnowledge(config.kbDir),
      store: storage?.conversations ?? new InMemoryConversationStore(),
      defaultLocale: locale ?? config.defaultLocale,
      employeesAreAdmins: config.employeesAreAdmins,
      learning: configuredLearning(config, storage),
    });
    const interactive = input.isTTY === true;
    const conversationId = session ?? user;
    await runConsoleChat({
      bot,
      input,
      write: io.out,
      prompt: interactive,
      user: { id: user },
      conversationId,
      // A turn the core fails on is answered with the apology in this language.
      defaultLocale: locale ?? config.defaultLocale,
      log: { error: (message) => io.err(`winfix chat: ${message}`), debug: () => {} },
      // A kept conversation shows its open question or step again, so its numbers work after a restart.
      resume: storage !== null,
      // At a terminal: one line that says what to send, with an example, instead of a bare prompt.
      ...(interactive
        ? { welcome: createTranslator().t(locale ?? config.defaultLocale, 'chat.welcome') }
        : {}),
      ...(writePrompt ? { writePrompt } : {}),
    });
  } finally {
    await storage?.close();
  }
  return EXIT.ok;
}
