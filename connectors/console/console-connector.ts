/**
 * The terminal as a chat connector (the same contract as Teams and Slack): each line or numbered
 * choice goes through the shared turn (connectors/chat: order, duplicates, the apology when the core
 * fails), and the core's messages are rendered as plain text. A terminal cannot edit what it printed:
 * an answered card's update takes its numbered choices away instead.
 */
import type { Bot, Choice, IncomingMessage, OutgoingMessage, Sender } from '../../bot';
import type { Locale } from '../../rules/vocabulary';
import { ChatTurns, type TurnOutcome } from '../chat/chat-turns';
import type { ChatConnector, DeliveryFailureListener, DeliveryOutcome } from '../chat/contract';
import type { SeenDeliveries } from '../chat/seen-deliveries';
import { renderText } from './render-text';

export const CONSOLE_PLATFORM = 'console';

export interface ConsoleConnectorOptions {
  bot: Bot;
  /** Prints one block of text; the writer ends it with a newline. */
  write: (text: string) => void;
  /** Where problems are told (default: nowhere; the chat command passes standard error). */
  log?: { error(message: string): void; debug(message: string): void };
  seen?: SeenDeliveries;
  /** The apology's language when the user's locale is not one the bot speaks. Default en. */
  defaultLocale?: Locale;
}

/** The buttons on screen in one conversation: typing a number presses one. */
export interface ConsoleChoices {
  cardId: string | null;
  choices: Choice[];
}

const quiet = { error: () => {}, debug: () => {} };

export class ConsoleConnector implements ChatConnector {
  readonly platform = CONSOLE_PLATFORM;
  readonly routes = [];
  private readonly turns: ChatTurns;
  private readonly screens = new Map<string, ConsoleChoices>();
  /** How many of the core's messages were printed (a greeting is only said to an empty screen). */
  shown = 0;

  constructor(private readonly options: ConsoleConnectorOptions) {
    this.turns = new ChatTurns({
      bot: options.bot,
      platform: 'console',
      log: options.log ?? quiet,
      ...(options.seen ? { seen: options.seen } : {}),
      ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}),
    });
  }

  /** One input through the shared turn; `deliveryId` tells a repeated delivery from a new one. */
  take(input: IncomingMessage, deliveryId?: string): Promise<TurnOutcome> {
    return this.turns.take({
      conversationId: input.conversationId,
      keys: [deliveryId ? `console:${input.conversationId}:${deliveryId}` : null],
      what: input.kind === 'text' ? 'a message' : 'a choice',
      transport: {
        input: async () => input,
        deliver: async (messages) => this.print(input.conversationId, messages),
      },
    });
  }

  /** A typed line from `user`. */
  say(conversationId: string, user: Sender, text: string, deliveryId?: string): Promise<TurnOutcome> {
    return this.take({ kind: 'text', platform: CONSOLE_PLATFORM, conversationId, user, text }, deliveryId);
  }

  /** The choices on screen in a conversation. */
  choices(conversationId: string): ConsoleChoices {
    return this.screens.get(conversationId) ?? { cardId: null, choices: [] };
  }

  async sendProactive(conversationId: string, messages: OutgoingMessage[]): Promise<DeliveryOutcome> {
    try {
      this.print(conversationId, messages);
      return { ok: true, delivered: messages.length };
    } catch (error) {
      const failure = {
        platform: CONSOLE_PLATFORM,
        conversationId,
        code: 'winfix_console_write_failed',
        message: (error as Error).message,
      };
      this.turns.failures.report(failure);
      return { ok: false, delivered: 0, failure };
    }
  }

  onDeliveryFailure(listener: DeliveryFailureListener): void {
    this.turns.failures.on(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.turns.queue.idle();
  }

  idle(): Promise<void> {
    return this.turns.queue.idle();
  }

  private print(conversationId: string, messages: OutgoingMessage[]): void {
    const screen = this.choices(conversationId);
    this.shown += messages.length;
    for (const message of messages) {
      const rendered = renderText(message);
      if (message.kind === 'card-update' && message.cardId === screen.cardId) {
        screen.choices = [];
        screen.cardId = null;
      }
      if (rendered.text !== null) this.options.write(rendered.text);
      if (rendered.choices.length > 0) {
        screen.choices = rendered.choices;
        screen.cardId = message.id;
      }
    }
    this.screens.set(conversationId, screen);
    this.options.write('');
  }
}
