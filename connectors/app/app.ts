/**
 * The app: what the composition root (cli/serve-command.ts) builds and runs. It owns the one HTTP
 * server (restify 11) and mounts every connector's routes on it (Teams' POST /api/messages, Slack's
 * POST /slack/events in HTTP mode, a new platform's own), plus `GET /healthz` (liveness: the process
 * answers) and `GET /readyz` (readiness: a list of named checks; 503 with the first failing check's
 * code and reason while any fails). Connectors only do transport and acknowledgement on their routes.
 * Errors never take the server down.
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { ChatRoute } from '../chat/contract';

/** One check's answer: `ready`, else a code and a sentence saying why not; other fields are shown as they are. */
export interface Readiness {
  ready: boolean;
  code?: string;
  reason?: string;
  [detail: string]: unknown;
}

/** A named readiness check (the technicians' channel, the database …). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<Readiness>;
}

export interface AppLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface AppOptions {
  /** Default: standard error. */
  log?: AppLog;
  /** Fields added to the GET /healthz answer. */
  health?: () => Record<string, unknown>;
  /** The readiness checks, in order (more can be added with `addCheck`). Default none: ready. */
  checks?: ReadinessCheck[];
  /** How long close() lets requests in flight finish before cutting connections. Default 5000 ms. */
  closeGraceMs?: number;
}

export interface App {
  readonly server: restify.Server;
  /** Serves a connector's route. The handler reads the body itself (raw bytes for signatures). */
  mount(route: ChatRoute): void;
  addCheck(check: ReadinessCheck): void;
  /** Adds fields to the GET /healthz answer. */
  addHealth(fields: () => Record<string, unknown>): void;
  /** What GET /readyz answers: every check, the first failing one's code and reason on top. */
  readiness(): Promise<Readiness>;
  /** Starts listening; resolves with the base URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections and resolves when the server is closed. */
  close(): Promise<void>;
}

/** Runs the checks in order; a check that throws is not ready, with its message as the reason. */
async function runChecks(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  let verdict: Readiness = { ready: true };
  for (const { check } of checks) {
    let result: Readiness;
    try {
      result = await check();
    } catch (error) {
      result = { ready: false, code: 'winfix_internal', reason: (error as Error).message };
    }
    const { ready, code, reason, ...details } = result;
    verdict = { ...verdict, ...details };
    if (!ready && verdict.ready) verdict = { ...verdict, ready: false, code, reason };
  }
  return verdict;
}

export function createApp(options: AppOptions = {}): App {
  const server = restify.createServer({ name: 'winfix' });
  const log = options.log ?? { warn: console.warn, error: console.error };
  const checks: ReadinessCheck[] = [...(options.checks ?? [])];
  const health: (() => Record<string, unknown>)[] = options.health ? [options.health] : [];

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const fields = Object.assign({}, ...health.map((more) => more()));
    res.send(200, { status: 'ok', ...fields });
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const { ready, ...rest } = await runChecks(checks);
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'unready', ...rest });
  });

  const http = (server as unknown as { server: HttpServer }).server;
  return {
    server,
    mount(route) {
      // restify wants (req, res, next) from a callback handler; the route ends the response itself. An
      // error it lets escape is a 500 with a JSON body, never a crash.
      const handler = (req: restify.Request, res: restify.Response, _next: restify.Next) => {
        Promise.resolve()
          .then(() => route.handle(req, res))
          .catch((error: unknown) => {
            log.error(`${route.method} ${route.path} failed: ${(error as Error).stack ?? error}`);
            if (!res.headersSent)
              res.send(500, { code: 'winfix_internal', message: 'the request could not be processed' });
            else if (!res.writableEnded) res.end();
          });
      };
      if (route.method === 'GET') server.get(route.path, handler);
      else server.post(route.path, handler);
    },
    addCheck: (check) => checks.push(check),
    addHealth: (fields) => health.push(fields),
    readiness: () => runChecks(checks),
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        http.once('error', onError);
        server.listen(port, host, () => {
          http.off('error', onError);
          const address = http.address() as AddressInfo;
          const shown = !host || host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host;
          resolve(`http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!http.listening) return resolve();
        const force = setTimeout(() => http.closeAllConnections(), options.closeGraceMs ?? 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        http.closeIdleConnections();
      });
    },
  };
}
