/**
 * A fake ServiceNow instance for the Table API, on a loopback port, as ServiceNow documents it:
 * - `GET /api/now/table/{table}?sysparm_query=field=value^field=value&sysparm_fields=a,b&sysparm_limit=n`
 *   → 200 `{ "result": [ … ] }` (incident and sys_user);
 * - `POST /api/now/table/incident` (JSON body) → 201 `{ "result": { …, "sys_id", "number": "INC0010001" } }`;
 * - `PATCH /api/now/table/incident/{sys_id}` (JSON body) → 200 `{ "result": { … } }`, 404 when unknown;
 * - errors as `{ "error": { "message", "detail" }, "status": "failure" }`: 401 without the right
 *   Authorization, 415 without `Content-Type: application/json` on a body, 400 for a body that is not
 *   a JSON object or names a field the incident table does not have, 405 for other methods.
 * `sysparm_fields` limits the answered fields; with `sysparm_exclude_reference_link=true` reference
 * fields are plain sys_ids, otherwise `{ link, value }` as the Table API answers them.
 * Work notes are kept as journal entries (one per PATCH or create with work_notes).
 * Faults queue per request: a status (503 with ServiceNow's error body), a dropped connection, a request
 * applied and then dropped (outcome unknown to the client), or applied and never answered.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export type SnFault =
  | { kind: 'status'; status: number; message?: string; detail?: string }
  | { kind: 'drop' }
  | { kind: 'drop-after-apply' }
  | { kind: 'hang-after-apply' };

export interface SnRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Json | null;
  contentType: string | null;
  outcome: number | 'dropped' | 'hung';
}

/** The incident table's fields this fake knows (a subset of the real dictionary). */
const INCIDENT_FIELDS = new Set([
  'short_description',
  'description',
  'caller_id',
  'category',
  'subcategory',
  'contact_type',
  'correlation_id',
  'correlation_display',
  'work_notes',
  'comments',
  'assignment_group',
  'impact',
  'urgency',
]);
const REFERENCES = new Set(['caller_id', 'assignment_group']);

export interface FakeServiceNowOptions {
  /** Basic auth user and password, or a bearer token (exactly one way is accepted). */
  basic?: { user: string; password: string };
  bearer?: string;
  /** sys_user rows: e-mail → sys_id. */
  users?: Record<string, string>;
}

export class FakeServiceNow {
  readonly requests: SnRequest[] = [];
  readonly incidents: Json[] = [];
  /** Work notes per incident sys_id, oldest first. */
  readonly workNotes = new Map<string, string[]>();
  readonly faults: SnFault[] = [];
  private server: Server | null = null;
  private next = 10001;
  private readonly hung: ServerResponse[] = [];
  url = '';

  constructor(private readonly options: FakeServiceNowOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Requests of a method to a table ("POST incident"), in order. */
  calls(method: string, table: string): SnRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(`/api/now/table/${table}`));
  }

  private authorized(header: string | undefined): boolean {
    const { basic, bearer } = this.options;
    if (basic) return header === `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`;
    return !!bearer && header === `Bearer ${bearer}`;
  }

  private send(res: ServerResponse, status: number, body: Json): number {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
    return status;
  }

  private error(res: ServerResponse, status: number, message: string, detail: string): number {
    return this.send(res, status, { error: { message, detail }, status: 'failure' });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'] ?? null;
    let body: Json | null = null;
    let badJson = false;
    if (raw) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Json;
        else badJson = true;
      } catch {
        badJson = true;
      }
    }
    const entry: SnRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      body,
      contentType,
      outcome: 0,
    };
    this.requests.push(entry);
    const fault = this.faults.shift();
    if (fault?.kind === 'drop') {
      entry.outcome = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      entry.outcome = this.error(
        res,
        fault.status,
        fault.message ?? 'Service Unavailable',
        fault.detail ?? 'The instance is temporarily unavailable',
      );
      return;
    }
    if (!this.authorized(req.headers.authorization)) {
      entry.outcome = this.error(res, 401, 'User Not Authenticated', 'Required to provide Auth information');
      return;
    }
    const answer = (status: number, json: Json) => {
      if (fault?.kind === 'drop-after-apply') {
        entry.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'hang-after-apply') {
        entry.outcome = 'hung';
        this.hung.push(res);
        return;
      }
      entry.outcome = this.send(res, status, json);
    };
    const match = /^\/api\/now\/table\/([a-z_]+)(?:\/([0-9a-f]{32}))?$/.exec(url.pathname);
    if (!match) {
      entry.outcome = this.error(res, 400, 'Requested URI does not represent any resource', url.pathname);
      return;
    }
    const [, table, sysId] = match;
    if (
      (req.method === 'POST' || req.method === 'PATCH') &&
      !/^application\/json\b/.test(contentType ?? '')
    ) {
      entry.outcome = this.error(res, 415, 'Unsupported Media Type', `content type ${contentType}`);
      return;
    }
    if (badJson) {
      entry.outcome = this.error(
        res,
        400,
        'Exception while reading request',
        'The payload is not valid JSON.',
      );
      return;
    }
    if (req.method === 'GET' && !sysId) {
      answer(200, { result: this.query(table ?? '', query).map((r) => this.shape(r, query)) });
      return;
    }
    if (table !== 'incident') {
      entry.outcome = this.error(
        res,
        403,
        'User Not Authorized',
        `Failed API level ACL Validation on ${table}`,
      );
      return;
    }
    if (req.method === 'POST' && !sysId) {
      const unknown = Object.keys(body ?? {}).filter((k) => !INCIDENT_FIELDS.has(k));
      if (!body || unknown.length > 0) {
        entry.outcome = this.error(res, 400, 'Invalid field', `unknown fields: ${unknown.join(', ')}`);
        return;
      }
      const record: Json = {
        ...body,
        sys_id: randomBytes(16).toString('hex'),
        number: `INC${String(this.next++).padStart(7, '0')}`,
        state: '1',
      };
      delete record.work_notes;
      this.incidents.push(record);
      if (typeof body.work_notes === 'string') this.workNotes.set(record.sys_id as string, [body.work_notes]);
      answer(201, { result: this.shape(record, query) });
      return;
    }
    if (req.method === 'PATCH' && sysId) {
      const record = this.incidents.find((i) => i.sys_id === sysId);
      if (!record) {
        entry.outcome = this.error(
          res,
          404,
          'No Record found',
          "Record doesn't exist or ACL restricts the record retrieval",
        );
        return;
      }
      const unknown = Object.keys(body ?? {}).filter((k) => !INCIDENT_FIELDS.has(k));
      if (!body || unknown.length > 0) {
        entry.outcome = this.error(res, 400, 'Invalid field', `unknown fields: ${unknown.join(', ')}`);
        return;
      }
      const { work_notes, ...rest } = body;
      Object.assign(record, rest);
      if (typeof work_notes === 'string')
        this.workNotes.set(sysId, [...(this.workNotes.get(sysId) ?? []), work_notes]);
      answer(200, { result: this.shape(record, query) });
      return;
    }
    entry.outcome = this.error(res, 405, 'Method not Supported', `${req.method} is not allowed here`);
  }

  /** Rows of `table` matching an encoded query of `field=value` terms joined by `^`. */
  private query(table: string, query: Record<string, string>): Json[] {
    const rows: Json[] =
      table === 'incident'
        ? this.incidents
        : table === 'sys_user'
          ? Object.entries(this.options.users ?? {}).map(([email, sys_id]) => ({
              email,
              sys_id,
              active: 'true',
            }))
          : [];
    const terms = (query.sysparm_query ?? '')
      .split('^')
      .filter(Boolean)
      .map((t) => t.split('=') as [string, string]);
    const limit = Number(query.sysparm_limit ?? '10000');
    return rows.filter((r) => terms.every(([f, v]) => String(r[f] ?? '') === v)).slice(0, limit);
  }

  private shape(record: Json, query: Record<string, string>): Json {
    const fields = query.sysparm_fields ? query.sysparm_fields.split(',') : Object.keys(record);
    const plain = query.sysparm_exclude_reference_link === 'true';
    const out: Json = {};
    for (const f of fields) {
      const value = record[f] ?? '';
      out[f] =
        REFERENCES.has(f) && value && !plain
          ? { link: `${this.url}/api/now/table/sys_user/${value}`, value }
          : value;
    }
    return out;
  }
}
