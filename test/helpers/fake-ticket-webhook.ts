/**
 * A helpdesk's receiver of winfix's ticket webhook, on a loopback port, written from the contract in the
 * README (not from winfix's code): it recomputes `X-Winfix-Signature` as
 * `v1=` + hex HMAC-SHA256(secret, timestamp + "." + raw body), compares in constant time, refuses a
 * timestamp more than 5 minutes away (401), needs `Idempotency-Key` (400) and JSON, answers a repeated
 * key with the first answer (no second ticket), and answers an open with `{ number, url, id }`.
 * Faults queue per request: a status, a dropped connection, or applied then dropped.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export type WebhookFault =
  | { kind: 'status'; status: number }
  | { kind: 'drop' }
  | { kind: 'drop-after-apply' };

export interface ReceivedTicket {
  key: string;
  kind: 'open' | 'note';
  body: Json;
  /** The ticket number it made or noted. */
  number: string;
}

export class FakeTicketWebhook {
  /** Every request, with whether its signature checked out. */
  readonly requests: { key: string | null; verified: boolean; status: number | 'dropped' }[] = [];
  /** What was applied, once per idempotency key. */
  readonly received: ReceivedTicket[] = [];
  readonly faults: WebhookFault[] = [];
  /** While set, every request is answered with this status (the helpdesk is down). */
  down: number | null = null;
  private readonly answers = new Map<string, { status: number; body: Json }>();
  private server: Server | null = null;
  private next = 1001;
  url = '';

  constructor(
    private readonly secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/winfix`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private verify(timestamp: string | undefined, signature: string | undefined, raw: string): boolean {
    if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
    if (Math.abs(this.now().getTime() / 1000 - Number(timestamp)) > 300) return false;
    const expected = Buffer.from(
      `v1=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`,
    );
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const verified = this.verify(
      req.headers['x-winfix-timestamp'] as string | undefined,
      req.headers['x-winfix-signature'] as string | undefined,
      raw,
    );
    const entry: (typeof this.requests)[number] = { key, verified, status: 0 };
    this.requests.push(entry);
    const reply = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      entry.status = status;
    };
    const fault = this.faults.shift();
    if (fault?.kind === 'drop') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') return reply(fault.status, { error: 'injected' });
    if (this.down !== null) return reply(this.down, { error: 'down' });
    if (req.method !== 'POST') return reply(405, { error: 'POST only' });
    if (!verified) return reply(401, { error: 'bad signature' });
    if (!key) return reply(400, { error: 'Idempotency-Key is required' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return reply(415, { error: 'JSON only' });
    const seen = this.answers.get(key);
    if (seen) return reply(seen.status, seen.body);
    const body = JSON.parse(raw) as Json;
    let answer: Json;
    if (body.kind === 'open') {
      const number = `HD-${this.next++}`;
      answer = { number, id: `id-${number}`, url: `https://helpdesk.example/tickets/${number}` };
      this.received.push({ key, kind: 'open', body, number });
    } else if (body.kind === 'note' && typeof body.number === 'string') {
      answer = { ok: true };
      this.received.push({ key, kind: 'note', body, number: body.number });
    } else return reply(400, { error: 'kind must be open or note' });
    const status = body.kind === 'open' ? 201 : 200;
    this.answers.set(key, { status, body: answer });
    if (fault?.kind === 'drop-after-apply') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    reply(status, answer);
  }
}
