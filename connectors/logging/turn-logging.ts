/**
 * The bot as the connectors see it in `winfix serve`: each turn adds its conversation id to the log
 * context (so every later line of the request or delivery carries it), and the text of a message is
 * logged at debug only, scrubbed like every line.
 */
import type { Bot } from '../../bot';
import { addToLogContext } from './log-context';
import type { WinfixLogger } from './logger';

export function withTurnLogging(bot: Bot, log: WinfixLogger): Bot {
  return {
    handle(input) {
      addToLogContext({ conversationId: input.conversationId });
      if (log.enabled('debug'))
        log.debug(
          'turn',
          input.kind === 'text'
            ? { platform: input.platform, kind: input.kind, text: input.text }
            : { platform: input.platform, kind: input.kind },
        );
      return bot.handle(input);
    },
  };
}
