/** Errors raised by the conversation core. Each has a stable string code (`winfix_*`) and keeps its cause. */

export abstract class WinfixBotError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A save found the stored version is not the one the state was read at (someone saved in between). */
export class ConversationConflictError extends WinfixBotError {
  readonly code = 'winfix_bot_conversation_conflict';
  constructor(
    readonly key: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`conversation ${key} changed: expected version ${expectedVersion}, found ${actualVersion}`);
  }
}

/** The same conversation kept changing under a turn; the turn gave up after retrying. */
export class ConversationBusyError extends WinfixBotError {
  readonly code = 'winfix_bot_conversation_busy';
}

/** An input the bot cannot take (no conversation id, an unknown action verb …). */
export class BotInputError extends WinfixBotError {
  readonly code = 'winfix_bot_input';
}

export const BOT_ERROR_CLASSES = [ConversationConflictError, ConversationBusyError, BotInputError] as const;
