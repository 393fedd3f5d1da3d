/**
 * One JSON request to a ticket system, with a timeout, turned into a `TicketSystemError` that says
 * whether a retry can help. Only the status, the method and the path get into messages: never headers.
 */
import { TicketSystemError } from './errors';

export type FetchLike = typeof fetch;

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** Statuses a retry may cure: timeouts, rate limits, server errors. */
export const transientStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export async function requestJson(
  fetchFn: FetchLike,
  what: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? 'failed');
    throw new TicketSystemError(`${what}: ${why}`, false, null, { cause: new Error(String(why)) });
  }
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: response.status, body };
}
