/**
 * The HTTP side of the Teams connector: the route `POST /api/messages` (the Bot Framework messaging
 * endpoint), mounted on the app's server (connectors/app/app.ts, which also answers `GET /healthz` and
 * `GET /readyz`; the technicians' channel is one of its readiness checks). `createTeamsHttpServer` is
 * an app with this route alone (tests, and a Teams-only server). Order on a POST: the body is read (413 over the limit), the token checked (the SDK's authorizeJWT;
 * 401 on a missing or bad token when an app id is set), the body checked (415/400 with a clear message
 * when it is not a JSON activity with type, conversation, serviceUrl …), the serviceUrl checked against
 * the allow-list and the token's claim (403; see service-urls.ts), then CloudAdapter.process, which
 * answers the request once the turn handler returns. Every refusal is `{ code, message }` JSON. Errors
 * never take the server down.
 */
import type {
  Request as AgentsRequest,
  CloudAdapter,
  TurnContext,
  WebResponse,
} from '@microsoft/agents-hosting';
import type restify from 'restify';
import { type App, createApp, type Readiness } from '../app/app';
import type { ChatRoute } from '../chat/contract';
import { TeamsBadRequestError, TeamsServiceUrlRefusedError } from './errors';
import { checkActivityBody } from './incoming';
import { stderrLog, type TeamsLog } from './log';
import { readLimitedBody } from './request-body';
import { escapedForLog, ServiceUrlPolicy } from './service-urls';

export interface TeamsHttpOptions {
  adapter: CloudAdapter;
  /** The turn handler given to CloudAdapter.process. */
  onTurn: (context: TurnContext) => Promise<void>;
  /** Default: standard error. */
  log?: TeamsLog;
  /** The largest body accepted, in bytes (413 beyond). Default 512 KiB; Teams activities are far smaller. */
  maxBodyBytes?: number;
  /** Where replies may go. Default: the Bot Framework / Teams hosts only (no loopback). */
  serviceUrls?: ServiceUrlPolicy;
  /** With an app id: the activity's serviceUrl must equal the token's `serviceurl` claim. Default false. */
  requireServiceUrlClaim?: boolean;
  /** Extra fields for the GET /healthz answer. */
  health?: () => Record<string, unknown>;
  /** What GET /readyz answers: 200 when `ready`, else 503 with the rest as the reason. Default: ready. */
  readiness?: () => Promise<Readiness>;
  /** How long close() lets requests in flight finish before cutting connections. Default 5000 ms. */
  closeGraceMs?: number;
}

export type { Readiness } from '../app/app';

export interface TeamsHttpServer {
  readonly server: restify.Server;
  /** The app the route is mounted on. */
  readonly app: App;
  /** Starts listening; resolves with the base URL (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections and resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * The SDK expects Express-like chaining (`res.status(401).send(…)`); restify's `status()` returns the
 * code instead of the response, so the SDK gets this wrapper. `send` ends the response, like Express.
 */
export function webResponse(res: restify.Response): WebResponse {
  const wrapper: WebResponse = {
    status(code: number) {
      res.statusCode = code;
      if (code === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      return wrapper;
    },
    setHeader(name: string, value: string) {
      res.setHeader(name, value);
      return wrapper;
    },
    send(body?: unknown) {
      if (res.writableEnded) return wrapper;
      if (body === undefined || body === null) res.end();
      else res.send(res.statusCode, body);
      return wrapper;
    },
    end() {
      if (!res.writableEnded) res.end();
      return wrapper;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return wrapper;
}

function sendError(res: restify.Response, status: number, code: string, message: string): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.send(status, { code, message });
}

const isZodError = (error: unknown) => (error as { name?: string } | null)?.name === 'ZodError';

/** The route options: everything but the app's own (health, readiness, close grace). */
export type TeamsRouteOptions = Omit<TeamsHttpOptions, 'health' | 'readiness' | 'closeGraceMs'>;

/** `POST /api/messages`, for the app to mount (see the file's comment for what it checks, in order). */
export function teamsMessagesRoute(options: TeamsRouteOptions): ChatRoute {
  const { adapter, onTurn } = options;
  const log = options.log ?? stderrLog;
  const maxBodyBytes = options.maxBodyBytes ?? 512 * 1024;
  const serviceUrls = options.serviceUrls ?? new ServiceUrlPolicy({ anonymous: false });

  // The app serves on restify: the request and response are restify's. Only this route reads the
  // body: other routes on the server (Slack's signed requests) need the raw stream.
  const handle = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const request = req as unknown as AgentsRequest;
    let raw: Buffer;
    try {
      raw = await readLimitedBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof TeamsBadRequestError)) throw error;
      log.warn(`rejected a request to /api/messages: ${error.message}`);
      sendError(res, error.status, error.code, error.message);
      return;
    }
    let authorized = false;
    try {
      await adapter.authorizeRequest(request, webResponse(res), () => {
        authorized = true;
      });
    } catch (error) {
      log.error(`token check failed: ${(error as Error).message}`);
      sendError(res, 401, 'winfix_teams_unauthorized', 'the token could not be checked');
      return;
    }
    if (!authorized) {
      log.warn(`rejected a request to /api/messages without a valid token (${res.statusCode})`);
      if (!res.writableEnded)
        sendError(res, 401, 'winfix_teams_unauthorized', 'a valid Bot Framework token is required');
      return;
    }
    try {
      request.body = checkActivityBody(req.header('content-type'), raw);
    } catch (error) {
      const bad = error as TeamsBadRequestError;
      if (!(error instanceof TeamsBadRequestError)) throw error;
      log.warn(`rejected a request to /api/messages: ${bad.message}`);
      sendError(res, bad.status, bad.code, bad.message);
      return;
    }
    const serviceUrl = String(request.body.serviceUrl);
    const claim = (request as { user?: { serviceurl?: unknown } }).user?.serviceurl;
    const verdict = serviceUrls.check(
      serviceUrl,
      options.requireServiceUrlClaim ? (typeof claim === 'string' ? claim : null) : undefined,
    );
    if (!verdict.ok) {
      const refused = new TeamsServiceUrlRefusedError(`${verdict.reason}; nothing is sent there`);
      log.warn(
        `rejected an activity (${refused.code}): ${verdict.reason}: serviceUrl ${escapedForLog(serviceUrl)}`,
      );
      sendError(res, refused.status, refused.code, refused.message);
      return;
    }
    try {
      await adapter.process(request, webResponse(res), onTurn);
    } catch (error) {
      if (isZodError(error)) {
        log.warn(
          `rejected an activity that does not match the Bot Framework schema: ${(error as Error).message}`,
        );
        sendError(
          res,
          400,
          'winfix_teams_bad_request',
          `activity does not match the Bot Framework schema: ${(error as Error).message}`,
        );
        return;
      }
      log.error(`processing an activity failed: ${(error as Error).stack ?? error}`);
      sendError(res, 500, 'winfix_teams_internal', 'the activity could not be processed');
    }
  };
  return {
    method: 'POST',
    path: '/api/messages',
    handle: (req, res) => handle(req as restify.Request, res as restify.Response),
  };
}

/** An app serving the Teams route, with the given health fields and readiness. */
export function createTeamsHttpServer(options: TeamsHttpOptions): TeamsHttpServer {
  const readiness = options.readiness;
  const app = createApp({
    log: options.log ?? stderrLog,
    ...(options.health ? { health: options.health } : {}),
    ...(options.closeGraceMs !== undefined ? { closeGraceMs: options.closeGraceMs } : {}),
    checks: readiness ? [teamsReadinessCheck(readiness)] : [],
  });
  app.mount(teamsMessagesRoute(options));
  return {
    server: app.server,
    app,
    listen: (port, host) => app.listen(port, host),
    close: () => app.close(),
  };
}

/** The Teams connector's readiness as a named check (an error in it is not ready, with its message). */
export function teamsReadinessCheck(readiness: () => Promise<Readiness>) {
  return {
    name: 'teams',
    async check(): Promise<Readiness> {
      try {
        return await readiness();
      } catch (error) {
        return { ready: false, code: 'winfix_teams_internal', reason: (error as Error).message };
      }
    },
  };
}
