/**
 * The ids a log line carries without every caller passing them: the request id (set when an HTTP
 * request arrives) and the conversation id (set when the bot takes a turn). Kept in an
 * AsyncLocalStorage, so whatever runs on behalf of a request, including work that finishes after the
 * response, logs with that request's ids.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  conversationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with its own context (a copy of `fields`). */
export function runWithLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...fields }, fn);
}

/** The current context (empty outside a request or turn). */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/**
 * Adds ids to the current context, seen by every later line of the same request or turn. Outside any
 * context (Socket Mode deliveries, timers), starts one for the rest of the current async flow.
 */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
  else storage.enterWith({ ...fields });
}
