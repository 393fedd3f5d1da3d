/**
 * The terminal chat: reads lines, hands them to the bot, prints its answers. Typing the number of a
 * choice presses that button; "/quit" or end of input leaves. Works with piped (non-TTY) input.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Bot, IncomingMessage } from '../../bot';
import type { Locale } from '../../rules/vocabulary';
import { ConsoleConnector } from './console-connector';

export interface ConsoleChatOptions {
  bot: Bot;
  input: Readable;
  /** Prints one block of text; the writer ends it with a newline. */
  write: (text: string) => void;
  /** Show a prompt (for an interactive terminal). Default false. */
  prompt?: boolean;
  user?: { id: string; name?: string | null; locale?: string | null };
  /** The apology's language when the user has no locale the bot speaks. Default en. */
  defaultLocale?: Locale;
  /** Where problems are told (a failed turn is also answered with an apology). Default: nowhere. */
  log?: { error(message: string): void; debug(message: string): void };
  conversationId?: string;
  /** Show the open question or step of a kept conversation before reading input. Default false. */
  resume?: boolean;
  /** One line said on start when there is no open question or step to show again (e.g. a greeting). */
  welcome?: string;
  /** Where the prompt goes. Default: process.stdout (without a newline). */
  writePrompt?: (text: string) => void;
}

const QUIT = new Set(['/quit', '/exit', '/q']);

export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { bot, write } = options;
  const user = options.user ?? { id: 'local' };
  const base = { platform: 'console', conversationId: options.conversationId ?? 'console', user };
  const lines = createInterface({
    input: options.input,
    terminal: false,
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const connector = new ConsoleConnector({
    bot,
    write,
    ...(options.log ? { log: options.log } : {}),
    ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}),
  });
  const conversationId = base.conversationId;
  const writePrompt = options.writePrompt ?? ((text: string) => process.stdout.write(text));
  const showPrompt = () => {
    if (options.prompt) writePrompt('> ');
  };
  const send = async (input: IncomingMessage) => {
    await connector.take(input);
  };

  // Take the iterator before the first await: lines read while the resume turn runs are buffered by it,
  // not dropped.
  const iterator = lines[Symbol.asyncIterator]();
  if (options.resume) await send({ ...base, kind: 'action', action: { verb: 'resume' } });
  if (options.welcome && connector.shown === 0) write(`${options.welcome}\n`);
  showPrompt();
  for await (const raw of { [Symbol.asyncIterator]: () => iterator }) {
    const line = raw.trim();
    if (QUIT.has(line.toLowerCase())) break;
    if (!line) {
      showPrompt();
      continue;
    }
    const number = /^\d{1,2}$/.test(line) ? Number(line) : null;
    const { choices, cardId } = connector.choices(conversationId);
    const chosen = number === null ? undefined : choices[number - 1];
    if (number !== null && !chosen && choices.length > 0) {
      // With buttons on screen a number is a button press: say which numbers there are.
      write(`(1–${choices.length})\n`);
      showPrompt();
      continue;
    }
    const input: IncomingMessage = chosen
      ? { ...base, kind: 'action', action: chosen.action, cardId }
      : { ...base, kind: 'text', text: line };
    await send(input);
    showPrompt();
  }
  lines.close();
}
