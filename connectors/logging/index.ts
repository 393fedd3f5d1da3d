/** Structured logs for `winfix serve`: the logger, the ids every line carries, and where they are set. */
export { addToLogContext, currentLogContext, type LogContext, runWithLogContext } from './log-context';
export {
  createLogger,
  LOG_LEVELS,
  type LogFields,
  type LoggerOptions,
  type LogLevel,
  scrub,
  type WinfixLogger,
} from './logger';
export { requestContext } from './request-context';
export { withTurnLogging } from './turn-logging';
