/**
 * One turn, the same on every platform once the connector has acknowledged the delivery: skip it when
 * it was seen before (any instance on the database), run it after the conversation's earlier turns,
 * hand the input to the core, and send its answer; when the core throws, the user gets the localized
 * apology instead of silence. A reply that cannot be delivered is reported (DeliveryFailures).
 */
import type { Bot, OutgoingMessage } from '../../bot';
import type { Locale } from '../../rules/vocabulary';
import { apologyFor } from './apology';
import type { TurnTransport } from './contract';
import { ConversationQueue } from './conversation-queue';
import { DeliveryFailures } from './delivery-failures';
import { firstDelivery, type SeenDeliveries, seenDeliveries } from './seen-deliveries';

export interface ChatTurnLog {
  error(message: string): void;
  debug(message: string): void;
}

export interface ChatTurnsOptions {
  bot: Bot;
  platform: string;
  log: ChatTurnLog;
  /** Which deliveries were handled. Default: in memory. */
  seen?: SeenDeliveries;
  /** Default: a new queue. */
  queue?: ConversationQueue;
  /** Default: failures are logged only. */
  failures?: DeliveryFailures;
  /** The apology's language when the client's locale is not one the bot speaks. Default en. */
  defaultLocale?: Locale;
}

export interface TurnDeliveryRequest {
  conversationId: string;
  /** The delivery's keys for duplicate detection (event id, message id, press id …). */
  keys: readonly (string | null | undefined)[];
  /** For log lines: "a message", "a button press". */
  what: string;
  transport: TurnTransport;
}

/** What became of a delivery: a duplicate, answered by the core, or answered with the apology. */
export type TurnOutcome = 'duplicate' | 'answered' | 'apologized';

export class ChatTurns {
  readonly queue: ConversationQueue;
  readonly failures: DeliveryFailures;
  private readonly seen: SeenDeliveries;

  constructor(private readonly options: ChatTurnsOptions) {
    this.queue = options.queue ?? new ConversationQueue();
    this.failures = options.failures ?? new DeliveryFailures(options.log);
    this.seen = seenDeliveries(options.seen);
  }

  /** Handles one delivery (see the file's comment). Never throws. */
  async take(request: TurnDeliveryRequest): Promise<TurnOutcome> {
    const { conversationId, transport, what } = request;
    if (!(await firstDelivery(this.seen, ...request.keys))) {
      this.options.log.debug(
        `${this.options.platform}: ${what} in ${conversationId} was delivered before: ignored`,
      );
      return 'duplicate';
    }
    let outcome: TurnOutcome = 'answered';
    await this.queue.enqueue(
      conversationId,
      async () => {
        let locale: string | null | undefined = null;
        let messages: OutgoingMessage[];
        try {
          const input = await transport.input();
          locale = input.user.locale;
          messages = await this.options.bot.handle(input);
        } catch (error) {
          this.options.log.error(
            `${this.options.platform}: ${what} in ${conversationId} failed: ${(error as Error).message}`,
          );
          outcome = 'apologized';
          messages = [apologyFor(locale, this.options.defaultLocale)];
        }
        try {
          await transport.deliver(messages);
        } catch (error) {
          this.reportFailure(conversationId, error);
        }
      },
      (error) => this.reportFailure(conversationId, error),
    );
    return outcome;
  }

  private reportFailure(conversationId: string, error: unknown): void {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    this.failures.report({
      platform: this.options.platform,
      conversationId,
      code: (error as { code?: string }).code ?? 'winfix_delivery_failed',
      message: `${(error as Error).message}${detail}`,
    });
  }
}
