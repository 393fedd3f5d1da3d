/**
 * A generic signed webhook for any helpdesk: every ticket and note is a JSON POST to one URL (the exact
 * contract is in the README, "Tickets on hand-off").
 *
 * Headers: `Content-Type: application/json`, `Idempotency-Key: <case id>/<hand-off>` (the same for
 * every retry of one job: the receiver must answer a repeated key as it answered the first time),
 * `X-Winfix-Timestamp: <unix seconds>` and `X-Winfix-Signature: v1=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>" with WINFIX_TICKET_WEBHOOK_SECRET>`.
 * Body: `{ "kind": "open" | "note", "idempotencyKey", "caseId", "handoff", "ticket": {…} }`, a note also
 * with `"number"` and `"id"` of the ticket. Answer: 2xx; for "open", `{ "number": "…", "url"?: "…",
 * "id"?: "…" }`. 408, 429 and 5xx (and timeouts) are retried with backoff; any other status is final.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../../bot/clock';
import type { TicketDescription, TicketRef, TicketSystem } from '../../bot/tickets-port';
import type { SecretString } from '../azure-automation/settings';
import { TicketSystemError } from './errors';
import { type FetchLike, requestJson, transientStatus } from './http';

export interface WebhookOptions {
  url: string;
  secret: SecretString;
  /** Default: the system clock (the timestamp that is signed). */
  clock?: Clock;
  fetch?: FetchLike;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = 'x-winfix-signature';
export const TIMESTAMP_HEADER = 'x-winfix-timestamp';

/** "v1=<hex>": the signature of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookTickets implements TicketSystem {
  readonly kind = 'webhook' as const;
  private readonly fetch: FetchLike;

  constructor(private readonly options: WebhookOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private async post(what: string, key: string, payload: unknown): Promise<unknown> {
    const body = JSON.stringify(payload);
    const now = this.options.clock?.now() ?? new Date();
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const answer = await requestJson(
      this.fetch,
      `ticket webhook ${what}`,
      this.options.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': key,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.options.secret.reveal(), timestamp, body),
        },
        body,
      },
      this.options.timeoutMs ?? 30_000,
    );
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    const error = (answer.body as { error?: unknown } | null)?.error;
    const detail = typeof error === 'string' ? ` (${error.slice(0, 200)})` : '';
    throw new TicketSystemError(
      `ticket webhook ${what}: HTTP ${answer.status}${detail}`,
      !transientStatus(answer.status),
      answer.status,
    );
  }

  async open(ticket: TicketDescription, key: string): Promise<TicketRef> {
    const answer = (await this.post('open', key, {
      kind: 'open',
      idempotencyKey: key,
      caseId: ticket.caseId,
      handoff: ticket.handoff,
      ticket,
    })) as { number?: unknown; url?: unknown; id?: unknown } | null;
    if (typeof answer?.number !== 'string' || !answer.number)
      // The receiver took it but said no number: retrying with the same key gives it the chance to.
      throw new TicketSystemError('ticket webhook open: the answer has no "number"', false);
    return {
      system: 'webhook',
      id: typeof answer.id === 'string' && answer.id ? answer.id : answer.number,
      number: answer.number,
      url: typeof answer.url === 'string' && /^https?:\/\//.test(answer.url) ? answer.url : null,
    };
  }

  async addNote(ref: TicketRef, note: TicketDescription, key: string): Promise<void> {
    await this.post('note', key, {
      kind: 'note',
      idempotencyKey: key,
      caseId: note.caseId,
      handoff: note.handoff,
      number: ref.number,
      id: ref.id,
      ticket: note,
    });
  }
}
