/**
 * ServiceNow through its Table API: a hand-off opens an incident, a later hand-off of the same case adds
 * work notes to it.
 *
 * - Open: `GET /api/now/table/incident?sysparm_query=correlation_id=<key>` first (a retry after a timeout
 *   or a crash finds the incident the first try made), then `POST /api/now/table/incident` with
 *   short_description, description (the hand-off summary), caller_id (the employee's sys_user, found by
 *   e-mail when the chat platform gave one), category, correlation_id / correlation_display (the job's
 *   idempotency key, hashed, and "winfix"), work_notes, and the assignment group when configured.
 *   201 `{ "result": { "sys_id", "number" } }`.
 * - Note: `PATCH /api/now/table/incident/<sys_id>` with `{ "work_notes": … }`; 200 `{ "result": … }`.
 * - Errors: `{ "error": { "message", "detail" }, "status": "failure" }`; 4xx is permanent, 5xx/429/408
 *   and transport failures are retried by the outbox.
 */
import { createHash } from 'node:crypto';
import type { TicketDescription, TicketRef, TicketSystem } from '../../bot/tickets-port';
import type { SecretString } from '../azure-automation/settings';
import { TicketSystemError } from './errors';
import { type FetchLike, type JsonAnswer, requestJson, transientStatus } from './http';

export interface ServiceNowOptions {
  /** https://<instance>.service-now.com */
  instance: string;
  auth: { kind: 'basic'; user: string; password: SecretString } | { kind: 'bearer'; token: SecretString };
  /** The incident's category (default "software"). */
  category?: string;
  /** An assignment group's sys_id, or null (the instance's assignment rules decide). */
  assignmentGroup?: string | null;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

const FIELDS = 'sysparm_fields=sys_id,number&sysparm_exclude_reference_link=true';
/** ServiceNow's short_description is 160 characters. */
const SHORT = 160;

/** The correlation id of a job: its idempotency key, hashed (ServiceNow keeps 100 characters). */
export const correlationId = (key: string): string =>
  `winfix-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

function failure(answer: JsonAnswer): string {
  const error = (answer.body as { error?: { message?: unknown; detail?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : '';
  const detail = typeof error?.detail === 'string' ? error.detail : '';
  return [message, detail].filter(Boolean).join(': ').slice(0, 300) || 'no detail';
}

export class ServiceNowTickets implements TicketSystem {
  readonly kind = 'servicenow' as const;
  private readonly fetch: FetchLike;

  constructor(private readonly options: ServiceNowOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private headers(json: boolean): Record<string, string> {
    const auth = this.options.auth;
    const authorization =
      auth.kind === 'basic'
        ? `Basic ${Buffer.from(`${auth.user}:${auth.password.reveal()}`).toString('base64')}`
        : `Bearer ${auth.token.reveal()}`;
    return {
      accept: 'application/json',
      authorization,
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  private async call(what: string, method: string, path: string, body?: unknown): Promise<JsonAnswer> {
    const answer = await requestJson(
      this.fetch,
      `ServiceNow ${what}`,
      `${this.options.instance}${path}`,
      {
        method,
        headers: this.headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
      this.options.timeoutMs ?? 30_000,
    );
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw new TicketSystemError(
      `ServiceNow ${what}: HTTP ${answer.status} (${failure(answer)})`,
      !transientStatus(answer.status),
      answer.status,
    );
  }

  private url(sysId: string): string {
    return `${this.options.instance}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${sysId}`)}`;
  }

  private ref(result: unknown, what: string): TicketRef {
    const r = result as { sys_id?: unknown; number?: unknown } | null;
    if (typeof r?.sys_id !== 'string' || typeof r.number !== 'string')
      throw new TicketSystemError(`ServiceNow ${what}: the answer has no sys_id and number`, false);
    return { system: 'servicenow', id: r.sys_id, number: r.number, url: this.url(r.sys_id) };
  }

  /** The employee's sys_user by e-mail, or null (no e-mail, no match, or no right to read sys_user). */
  private async caller(email: string | null): Promise<string | null> {
    if (!email || !/^[^\s@^=]+@[^\s@^=]+$/.test(email)) return null;
    const query = encodeURIComponent(`email=${email}^active=true`);
    try {
      const answer = await this.call(
        'caller lookup',
        'GET',
        `/api/now/table/sys_user?sysparm_query=${query}&sysparm_fields=sys_id&sysparm_limit=1`,
      );
      const first = (answer.body as { result?: { sys_id?: unknown }[] } | null)?.result?.[0];
      return typeof first?.sys_id === 'string' ? first.sys_id : null;
    } catch (error) {
      // Without the caller the incident still opens (the summary names the employee); a server
      // error here is left for the create call to meet.
      if (error instanceof TicketSystemError && !error.permanent) throw error;
      return null;
    }
  }

  async open(ticket: TicketDescription, key: string): Promise<TicketRef> {
    const correlation = correlationId(key);
    const found = await this.call(
      'incident lookup',
      'GET',
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(`correlation_id=${correlation}`)}&${FIELDS}&sysparm_limit=1`,
    );
    const existing = (found.body as { result?: unknown[] } | null)?.result?.[0];
    if (existing) return this.ref(existing, 'incident lookup');
    const callerId = await this.caller(ticket.caller.email);
    const body: Record<string, string> = {
      short_description: ticket.title.slice(0, SHORT),
      description: ticket.summary,
      category: this.options.category ?? 'software',
      correlation_id: correlation,
      correlation_display: 'winfix',
      work_notes: `winfix case ${ticket.caseId}, hand-off ${ticket.handoff} (${ticket.reason}).`,
      ...(callerId ? { caller_id: callerId } : {}),
      ...(this.options.assignmentGroup ? { assignment_group: this.options.assignmentGroup } : {}),
    };
    const created = await this.call('incident create', 'POST', `/api/now/table/incident?${FIELDS}`, body);
    return this.ref((created.body as { result?: unknown } | null)?.result, 'incident create');
  }

  async addNote(ref: TicketRef, note: TicketDescription, key: string): Promise<void> {
    await this.call('work note', 'PATCH', `/api/now/table/incident/${encodeURIComponent(ref.id)}?${FIELDS}`, {
      work_notes: `[winfix ${correlationId(key)}] ${note.title}\n\n${note.summary}`,
    });
  }
}
