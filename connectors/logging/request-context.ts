/**
 * Gives every HTTP request a request id (the caller's `X-Request-Id` when it is a plain token, else a
 * new UUID), answers it in the `X-Request-Id` response header, runs the request's handlers with the id
 * in the log context, and writes one line when the response is finished (method, path without the
 * query, status, milliseconds). Mounted with restify's `server.pre`.
 */
import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithLogContext } from './log-context';
import type { WinfixLogger } from './logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

type Listener = (...args: unknown[]) => void;

/**
 * Body readers call their next handler from the request's 'data'/'end' events, which Node emits outside
 * the request's async context: listeners added to this request are bound to the context they were added in.
 */
function bindListeners(req: IncomingMessage): void {
  const bound = new WeakMap<Listener, Listener>();
  const target = req as unknown as Record<string, (event: string | symbol, listener: Listener) => unknown>;
  const wrapAdd = (name: 'on' | 'once' | 'addListener' | 'prependListener' | 'prependOnceListener') => {
    const original = target[name] as (event: string | symbol, listener: Listener) => unknown;
    target[name] = function (this: unknown, event, listener) {
      let wrapped = bound.get(listener);
      if (!wrapped) {
        wrapped = AsyncResource.bind(listener);
        bound.set(listener, wrapped);
      }
      return original.call(this, event, wrapped);
    };
  };
  const wrapRemove = (name: 'off' | 'removeListener') => {
    const original = target[name] as (event: string | symbol, listener: Listener) => unknown;
    target[name] = function (this: unknown, event, listener) {
      return original.call(this, event, bound.get(listener) ?? listener);
    };
  };
  for (const name of ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'] as const)
    wrapAdd(name);
  for (const name of ['off', 'removeListener'] as const) wrapRemove(name);
}

/** A restify `pre` handler (plain Node request/response types, so it fits any server). */
export function requestContext(log: WinfixLogger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    runWithLogContext({ requestId }, () => {
      bindListeners(req);
      res.once(
        'finish',
        AsyncResource.bind(() =>
          log.info('request', {
            method: req.method,
            path: (req.url ?? '').split('?')[0],
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          }),
        ),
      );
      next();
    });
  };
}
