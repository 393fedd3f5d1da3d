/**
 * A fake Slack Web API on a local port: auth.test, apps.connections.open, chat.postMessage,
 * chat.update, chat.postEphemeral and users.info. It records every call, keeps the messages posted
 * (so chat.update of an unknown message fails like Slack's), enforces each method's scope against the
 * scopes the app was given (users.info gives `profile.email` only with `users:read.email`, as Slack
 * does), and checks arguments and Block Kit against Slack's documented fields and limits: every
 * departure is kept in `problems` and answered with Slack's error.
 *
 * It also serves the `response_url` of button presses (`responseUrl(message)` issues one, on this
 * server: `http://127.0.0.1:<port>/actions/<team>/<n>/<secret>`; `buttonPress` in slack-requests.ts puts
 * one in every press on a message this fake holds). As Slack documents it: a JSON POST; with
 * `replace_original: true` the message is replaced (same ts, in place), with `delete_original: true`
 * deleted, otherwise the text is shown to the presser alone (ephemeral); usable 5 times within 30
 * minutes of the press. It answers 200 `ok` (text/plain), or an error status with the error's name as
 * text: 404 `expired_url`, 404 `used_url`, 404 `no_service` (no such URL), 400 `invalid_payload`,
 * 400 `invalid_blocks` (and 404 `message_not_found`, the fake's own name, when the message is gone). Each POST is recorded as a call with method `response_url` (its params: the
 * body, and the message's `channel` and `ts`).
 *
 * This module is the HTTP server and its routing; the parts live beside it: what is recorded
 * (fake-slack-api-records.ts), the Web API methods (fake-slack-api-methods.ts), the Block Kit checks
 * (fake-slack-api-blocks.ts) and the response_urls (fake-slack-api-response-url.ts).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { answerMethod, type SlackWorkspace } from './fake-slack-api-methods';
import {
  type FakeUser,
  type Obj,
  type PostedMessage,
  type SlackCall,
  SlackRecords,
} from './fake-slack-api-records';
import { ResponseUrls, runningFakes } from './fake-slack-api-response-url';

export { blockProblems } from './fake-slack-api-blocks';
export type { FakeUser, PostedMessage, SlackCall } from './fake-slack-api-records';
export {
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_USES,
  responseUrlFor,
} from './fake-slack-api-response-url';

export interface FakeSlackApiOptions {
  /** The bot token's scopes. Default: chat:write and users:read. */
  scopes?: string[];
  users?: FakeUser[];
  teamId?: string;
  botUserId?: string;
  /** The one bot token that works (default: any `xoxb-` token). */
  botToken?: string;
  /** Channels the bot is not a member of: posting there fails with `not_in_channel`. */
  notInChannels?: string[];
  /** Channels that do not exist (deleted, or a DM the bot cannot see): posting there fails with `channel_not_found`. */
  missingChannels?: string[];
}

export class FakeSlackApi extends SlackRecords implements SlackWorkspace {
  scopes: Set<string>;
  readonly users = new Map<string, FakeUser>();
  readonly teamId: string;
  readonly botUserId: string;
  readonly notInChannels: Set<string>;
  readonly missingChannels: Set<string>;
  readonly botToken: string | null;
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl: string | null = null;
  private server: Server | null = null;
  private seq = 100;
  private readonly responseUrls = new ResponseUrls(this);
  private readonly holds = new Map<string, Promise<void>>();
  private readonly swallowed = new Map<string, number>();

  constructor(options: FakeSlackApiOptions = {}) {
    super();
    this.scopes = new Set(options.scopes ?? ['chat:write', 'users:read']);
    for (const user of options.users ?? []) this.users.set(user.id, user);
    this.teamId = options.teamId ?? 'T0001';
    this.botUserId = options.botUserId ?? 'UBOT0001';
    this.notInChannels = new Set(options.notInChannels ?? []);
    this.missingChannels = new Set(options.missingChannels ?? []);
    this.botToken = options.botToken ?? null;
  }

  /** The base URL to give the client as `slackApiUrl`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake Slack API not started');
    return `http://127.0.0.1:${address.port}/api/`;
  }

  async start(): Promise<void> {
    // Slack's servers keep connections open far longer than Node's default 5 s; with the default, a busy
    // machine lets the client reuse a socket the server is closing ("fetch failed", retried with a warning).
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void this.serve(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    runningFakes.add(this);
  }

  async stop(): Promise<void> {
    runningFakes.delete(this);
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  /**
   * Issues a response_url for a press on `message`, as Slack puts one in a block_actions payload.
   * `issuedAt` (ms since the epoch, default now) lets a test hand over one that has expired.
   */
  responseUrl(message: Pick<PostedMessage, 'channel' | 'ts'>, issuedAt = Date.now()): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake Slack API not started');
    this.seq += 1;
    const path = `/actions/${this.teamId}/${this.seq}/${randomBytes(12).toString('hex')}`;
    this.responseUrls.issue(path, message, issuedAt);
    return `http://127.0.0.1:${address.port}${path}`;
  }

  /** Holds answers to `method` until the returned function is called. */
  hold(method: string): () => void {
    let release = () => {};
    this.holds.set(
      method,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  /**
   * The next `count` calls to `method` are taken (recorded) and never answered nor applied, as when
   * Slack's answer is lost on a connection that stays open; later calls are answered as usual.
   */
  swallow(method: string, count = 1): void {
    this.swallowed.set(method, (this.swallowed.get(method) ?? 0) + count);
  }

  /** A new message ts, as Slack issues them. */
  nextTs(): string {
    this.seq += 1;
    return `1712000000.${String(this.seq).padStart(6, '0')}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if ((req.url ?? '').startsWith('/actions/')) return this.responseUrls.serve(req, res, raw);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const type = (req.headers['content-type'] ?? '').split(';')[0];
    const params: Obj = type === 'application/json' ? JSON.parse(raw || '{}') : { ...parseQuery(raw) };
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof params.token === 'string'
        ? params.token
        : null;
    const call: SlackCall = { method, token, params };
    this.calls.push(call);
    const swallow = this.swallowed.get(method) ?? 0;
    if (swallow > 0) {
      this.swallowed.set(method, swallow - 1);
      return;
    }
    await this.holds.get(method);
    const answer = answerMethod(this, call);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }
}
