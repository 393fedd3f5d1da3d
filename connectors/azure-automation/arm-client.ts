/**
 * A small ARM REST client over axios: a bearer token from a TokenCredential, 429 `Retry-After`
 * honoured, exponential backoff with jitter on 5xx, timeouts and dropped connections, a bounded number
 * of attempts. Clock, sleep and randomness are injected. Nothing it throws carries the token: transport
 * failures are re-made as plain errors (axios errors hold the request headers), and messages are redacted.
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Clock } from '../../bot';
import {
  AutomationAuthError,
  AutomationConfigError,
  AutomationRequestError,
  AutomationThrottledError,
  AutomationUnavailableError,
} from './errors';
import type { Sleep } from './executor';

export interface ArmRetryOptions {
  /** Attempts per call, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay (default 1 s); doubles per attempt, capped at maxDelayMs (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After waited inside a call (default 120 s); longer: AutomationThrottledError. */
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
}

export interface ArmClientOptions extends ArmRetryOptions {
  /** ARM's base URL (https://management.azure.com; sovereign clouds have their own). */
  endpoint: string;
  credential: TokenCredential;
  /** The token scope (default `<endpoint origin>/.default`, as the Azure SDKs do). */
  scope?: string;
  http?: AxiosInstance;
  clock: Clock;
  sleep: Sleep;
  /** [0, 1), for jitter (default Math.random). */
  random?: () => number;
  /** Retries and waits are told here (never a token). */
  log?: (message: string) => void;
}

export interface ArmRequest {
  method: 'GET' | 'PUT' | 'POST';
  /** Path from the endpoint, starting with `/subscriptions/`, query included; or an absolute nextLink. */
  path: string;
  body?: unknown;
  /** text: the body is returned as is (job output). */
  accept?: 'json' | 'text';
  /** For messages: "GET job 0f…". */
  what: string;
  signal?: AbortSignal;
}

export type Outcome =
  | { kind: 'response'; status: number; body: unknown; text: string; headers: Record<string, string> }
  | { kind: 'transport'; error: Error };

const sanitizedTransportError = (error: unknown): Error => {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'ERR_NETWORK';
  const out = new Error(`${code}: ${typeof e?.message === 'string' ? e.message : 'request failed'}`);
  out.name = 'TransportError';
  return out;
};

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** ARM's error body, either `{code, message}` (Automation) or `{error: {code, message}}` (ARM). */
export function armError(body: unknown): { code: string | null; message: string | null } {
  const b = (body ?? {}) as Record<string, unknown>;
  const inner = (typeof b.error === 'object' && b.error !== null ? b.error : b) as Record<string, unknown>;
  return {
    code: typeof inner.code === 'string' ? inner.code : null,
    message: typeof inner.message === 'string' ? inner.message.slice(0, 500) : null,
  };
}

export class ArmClient {
  readonly endpoint: string;
  private readonly http: AxiosInstance;
  private readonly scope: string;
  private readonly random: () => number;
  private readonly retry: Required<ArmRetryOptions>;
  private cached: { token: string; expiresAt: number } | null = null;
  /** Every token handed out, so messages can be scrubbed of them. */
  private readonly seenTokens = new Set<string>();

  constructor(private readonly options: ArmClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    if (!URL.canParse(this.endpoint))
      throw new AutomationConfigError(`ARM endpoint "${options.endpoint}" is not a URL`);
    this.scope = options.scope ?? `${new URL(this.endpoint).origin}/.default`;
    this.http = options.http ?? axios.create({ maxRedirects: 0 });
    this.random = options.random ?? Math.random;
    this.retry = {
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
  }

  get maxAttempts(): number {
    return this.retry.maxAttempts;
  }

  /** Removes any token this client used from a text. */
  redact(text: string): string {
    let out = text.replace(/Bearer\s+[\w\-.~+/=]+/gi, 'Bearer [redacted]');
    for (const token of this.seenTokens) out = out.split(token).join('[redacted]');
    return out;
  }

  private async token(signal?: AbortSignal): Promise<string> {
    const now = this.options.clock.now().getTime();
    if (this.cached && this.cached.expiresAt - now > 120_000) return this.cached.token;
    let got: Awaited<ReturnType<TokenCredential['getToken']>>;
    try {
      got = await this.options.credential.getToken(this.scope, { abortSignal: signal });
    } catch (error) {
      signal?.throwIfAborted();
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new AutomationAuthError(this.redact(`no token for ${this.scope}: ${reason}`));
    }
    if (!got?.token) throw new AutomationAuthError(`no token for ${this.scope}: the credential gave none`);
    this.seenTokens.add(got.token);
    this.cached = { token: got.token, expiresAt: got.expiresOnTimestamp };
    return got.token;
  }

  /** One request, no retry: a response of any status, or a transport failure (outcome unknown). */
  async attempt(request: ArmRequest): Promise<Outcome> {
    const token = await this.token(request.signal);
    const url = request.path.startsWith('/') ? `${this.endpoint}${request.path}` : request.path;
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method: request.method,
        url,
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: request.accept === 'text' ? 'text/plain' : 'application/json',
          'x-ms-client-request-id': randomUUID(),
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        timeout: this.retry.requestTimeoutMs,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        signal: request.signal,
      });
    } catch (error) {
      request.signal?.throwIfAborted();
      return { kind: 'transport', error: sanitizedTransportError(error) };
    }
    if (response.status === 401) this.cached = null;
    const text = typeof response.data === 'string' ? response.data : '';
    let body: unknown = text;
    if (request.accept !== 'text' || response.status >= 300) {
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers ?? {}))
      if (typeof v === 'string') headers[k.toLowerCase()] = v;
    return { kind: 'response', status: response.status, body, text, headers };
  }

  /** How long to wait before the next attempt after `outcome`, or null when retrying will not help. */
  retryDelay(outcome: Outcome, attempt: number, what: string): number | null {
    const backoff = () => {
      const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      return Math.round(exp / 2 + (exp / 2) * this.random()); // "equal jitter": [exp/2, exp)
    };
    if (outcome.kind === 'transport') return backoff();
    const { status, headers } = outcome;
    if (status !== 429 && status !== 408 && status < 500) return null;
    const after = parseRetryAfter(headers['retry-after'], this.options.clock.now());
    if (after !== null && after > this.retry.maxRetryAfterMs)
      throw new AutomationThrottledError(
        `${what}: ARM asked to wait ${Math.ceil(after / 1000)} s (status ${status}); try again later`,
        after,
      );
    return after ?? backoff();
  }

  describe(outcome: Outcome, what: string): string {
    if (outcome.kind === 'transport') return this.redact(`${what}: ${outcome.error.message}`);
    const { code, message } = armError(outcome.body);
    const id = outcome.headers['x-ms-request-id'] ?? outcome.headers['x-ms-correlation-request-id'];
    const detail = [code, message].filter(Boolean).join(': ');
    return this.redact(
      `${what}: ARM answered ${outcome.status}${detail ? ` (${detail})` : ''}${id ? ` [request ${id}]` : ''}`,
    );
  }

  /** An error for an answer retrying will not change. */
  failure(outcome: Extract<Outcome, { kind: 'response' }>, what: string): AutomationRequestError {
    return new AutomationRequestError(
      this.describe(outcome, what),
      outcome.status,
      armError(outcome.body).code,
    );
  }

  /** Waits `ms` (told to the log first). */
  async wait(ms: number, why: string, signal?: AbortSignal): Promise<void> {
    this.options.log?.(this.redact(`${why}; retrying in ${ms} ms`));
    await this.options.sleep(ms, signal);
  }

  /**
   * A safe-to-repeat request (GET, stop) with retries. Returns the first response retrying will not
   * change (2xx, 4xx but 408/429); throws AutomationUnavailableError when every attempt failed.
   */
  async call(request: ArmRequest): Promise<Extract<Outcome, { kind: 'response' }>> {
    let refreshedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(request);
      if (outcome.kind === 'response' && outcome.status === 401 && !refreshedAfter401) {
        refreshedAfter401 = true; // an expired token: one more try with a fresh one
        attempt--;
        continue;
      }
      const ms = this.retryDelay(outcome, attempt, request.what);
      if (ms === null && outcome.kind === 'response') return outcome;
      const description = this.describe(outcome, request.what);
      if (attempt >= this.retry.maxAttempts || ms === null)
        throw new AutomationUnavailableError(`${description}; gave up after ${attempt} attempts`, {
          cause: outcome.kind === 'transport' ? outcome.error : undefined,
        });
      await this.wait(ms, description, request.signal);
    }
  }
}
