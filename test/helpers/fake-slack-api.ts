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
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface SlackCall {
  method: string;
  token: string | null;
  params: Record<string, unknown>;
  /** For `response_url` calls: what the fake answered (`ok` or the error's name). */
  answer?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  locale: string;
  /** Returned as `profile.email` only to apps with the `users:read.email` scope. */
  email?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  thread_ts?: string;
}

/** The scope each method needs (Slack's method reference); null: none. */
const METHOD_SCOPES: Record<string, string | null> = {
  'auth.test': null,
  'apps.connections.open': 'connections:write',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'users.info': 'users:read',
};

const TS = /^\d{10}\.\d{6}$/;

/** Slack's documented bounds on one response_url. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

interface IssuedResponseUrl {
  channel: string;
  ts: string;
  issuedAt: number;
  uses: number;
}

/** The fakes running now: `responseUrlFor` finds the one holding a message. */
const running = new Set<FakeSlackApi>();

/**
 * A response_url for a press on `message`, from the running fake that holds it (by channel and ts, so a
 * copy of a message works too); null when no running fake holds it.
 */
export function responseUrlFor(message: Pick<PostedMessage, 'channel' | 'ts'>): string | null {
  for (const api of running)
    if (api.messages.some((m) => m.channel === message.channel && m.ts === message.ts))
      return api.responseUrl(message);
  return null;
}

type Obj = Record<string, unknown>;

function text(problems: string[], where: string, value: unknown, max: number, types: string[]): void {
  const t = value as Obj | undefined;
  if (!t || !types.includes(String(t.type)) || typeof t.text !== 'string')
    problems.push(`${where}: needs a ${types.join('/')} text object`);
  else if (t.text.length === 0 || t.text.length > max)
    problems.push(`${where}: text length ${t.text.length} not in 1..${max}`);
}

function optionalText(problems: string[], where: string, value: unknown, max: number): void {
  if (value !== undefined) text(problems, where, value, max, ['plain_text']);
}

/** Checks one interactive element's action_id: 1..255 characters, unique in the message. */
function actionId(
  problems: string[],
  where: string,
  id: unknown,
  seen: Set<string>,
  required: boolean,
): void {
  if (id === undefined && !required) return;
  if (typeof id !== 'string' || id.length === 0 || id.length > 255) problems.push(`${where}: bad action_id`);
  else if (seen.has(id)) problems.push(`${where}: action_id ${id} repeated in the message`);
  else seen.add(id);
}

/** The plain-text input element (the only input element this app uses). */
function plainTextInput(problems: string[], where: string, e: Obj, seen: Set<string>): void {
  if (e.type !== 'plain_text_input') {
    problems.push(`${where}: only plain_text_input is expected`);
    return;
  }
  actionId(problems, where, e.action_id, seen, false);
  optionalText(problems, `${where}.placeholder`, e.placeholder, 150);
  if (e.initial_value !== undefined && typeof e.initial_value !== 'string')
    problems.push(`${where}: initial_value must be a string`);
  for (const flag of ['multiline', 'focus_on_load'])
    if (e[flag] !== undefined && typeof e[flag] !== 'boolean')
      problems.push(`${where}: ${flag} must be a boolean`);
  const min = e.min_length;
  const max = e.max_length;
  if (min !== undefined && (!Number.isInteger(min) || (min as number) < 0 || (min as number) > 3000))
    problems.push(`${where}: min_length must be 0..3000`);
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 3000))
    problems.push(`${where}: max_length must be 1..3000`);
  if (Number.isInteger(min) && Number.isInteger(max) && (min as number) > (max as number))
    problems.push(`${where}: min_length above max_length`);
}

/** Checks blocks against Slack's Block Kit reference (the block types this app uses). */
export function blockProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks (max 50)`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const at = `blocks[${i}] (${String(b.type)})`;
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255 || blockIds.has(b.block_id))
        problems.push(`${at}: bad or repeated block_id`);
      blockIds.add(String(b.block_id));
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: needs text or fields`);
        if (b.text !== undefined) text(problems, at, b.text, 3000, ['mrkdwn', 'plain_text']);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10)
            problems.push(`${at}: fields must be 1..10`);
          else
            for (const [j, f] of fields.entries())
              text(problems, `${at}.fields[${j}]`, f, 2000, ['mrkdwn', 'plain_text']);
        }
        break;
      }
      case 'header':
        text(problems, at, b.text, 150, ['plain_text']);
        break;
      case 'context': {
        const elements = b.elements as unknown[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
          problems.push(`${at}: elements must be 1..10`);
        else
          for (const [j, e] of elements.entries())
            text(problems, `${at}.elements[${j}]`, e, 3000, ['mrkdwn', 'plain_text']);
        break;
      }
      case 'actions': {
        const elements = b.elements as Obj[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
          problems.push(`${at}: elements must be 1..25`);
        for (const [j, e] of (elements ?? []).entries()) {
          const where = `${at}.elements[${j}]`;
          if (e.type !== 'button') problems.push(`${where}: only buttons are expected`);
          text(problems, where, e.text, 75, ['plain_text']);
          actionId(problems, where, e.action_id, actionIds, true);
          if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000))
            problems.push(`${where}: value must be a string of at most 2000 characters`);
          if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
            problems.push(`${where}: style must be primary or danger`);
        }
        break;
      }
      case 'input': {
        text(problems, `${at}.label`, b.label, 2000, ['plain_text']);
        optionalText(problems, `${at}.hint`, b.hint, 2000);
        for (const flag of ['optional', 'dispatch_action'])
          if (b[flag] !== undefined && typeof b[flag] !== 'boolean')
            problems.push(`${at}: ${flag} must be a boolean`);
        const element = b.element as Obj | undefined;
        if (!element || typeof element !== 'object') problems.push(`${at}: needs an element`);
        else plainTextInput(problems, `${at}.element`, element, actionIds);
        break;
      }
      case 'rich_text': {
        const elements = b.elements as Obj[];
        const kinds = ['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote'];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${at}: needs elements`);
        for (const e of elements ?? [])
          if (!kinds.includes(String(e.type))) problems.push(`${at}: bad element`);
        break;
      }
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

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

export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly problems: string[] = [];
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: SlackCall[] = [];
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
  private readonly responseUrls = new Map<string, IssuedResponseUrl>();
  private readonly holds = new Map<string, Promise<void>>();

  constructor(options: FakeSlackApiOptions = {}) {
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
    running.add(this);
  }

  async stop(): Promise<void> {
    running.delete(this);
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
    this.responseUrls.set(path, { channel: message.channel, ts: message.ts, issuedAt, uses: 0 });
    return `http://127.0.0.1:${address.port}${path}`;
  }

  /** The response_url calls that replaced a message in `channel` (and were answered `ok`). */
  replacedThroughResponseUrl(channel?: string): SlackCall[] {
    return this.of('response_url').filter(
      (c) =>
        c.answer === 'ok' &&
        c.params.replace_original !== undefined &&
        (channel === undefined || c.params.channel === channel),
    );
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls other than auth.test (what a request changed in Slack). */
  get effects(): SlackCall[] {
    return this.calls.filter((c) => c.method !== 'auth.test');
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

  async waitFor(method: string, count: number, timeoutMs = 5000): Promise<SlackCall[]> {
    const until = Date.now() + timeoutMs;
    while (this.of(method).length < count) {
      if (Date.now() > until)
        throw new Error(`waited for ${count} ${method} calls, saw ${this.of(method).length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.of(method);
  }

  private nextTs(): string {
    this.seq += 1;
    return `1712000000.${String(this.seq).padStart(6, '0')}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if ((req.url ?? '').startsWith('/actions/')) return this.serveResponseUrl(req, res, raw);
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
    await this.holds.get(method);
    const answer = this.answer(call);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }

  private serveResponseUrl(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const issued = this.responseUrls.get(path);
    let params: Obj = {};
    let answer: { status: number; text: string } = { status: 200, text: 'ok' };
    try {
      if ((req.headers['content-type'] ?? '').split(';')[0] !== 'application/json')
        throw new Error('not JSON');
      params = JSON.parse(raw) as Obj;
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error('not an object');
    } catch {
      this.problems.push('response_url: the body is not a JSON object');
      answer = { status: 400, text: 'invalid_payload' };
    }
    const call: SlackCall = {
      method: 'response_url',
      token: null,
      params: { ...params, ...(issued ? { channel: issued.channel, ts: issued.ts } : {}) },
    };
    this.calls.push(call);
    if (answer.status === 200) answer = this.respond(req.method ?? '', issued, params);
    call.answer = answer.text;
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end(answer.text);
  }

  private respond(
    method: string,
    issued: IssuedResponseUrl | undefined,
    params: Obj,
  ): { status: number; text: string } {
    if (method !== 'POST' || !issued) return { status: 404, text: 'no_service' };
    if (Date.now() - issued.issuedAt > RESPONSE_URL_LIFETIME_MS) return { status: 404, text: 'expired_url' };
    issued.uses += 1;
    if (issued.uses > RESPONSE_URL_USES) return { status: 404, text: 'used_url' };
    const flag = (name: string) => params[name] === true || params[name] === 'true';
    for (const name of ['replace_original', 'delete_original'])
      if (
        params[name] !== undefined &&
        typeof params[name] !== 'boolean' &&
        params[name] !== 'true' &&
        params[name] !== 'false'
      )
        return { status: 400, text: 'invalid_payload' };
    const index = this.messages.findIndex((m) => m.channel === issued.channel && m.ts === issued.ts);
    if (flag('delete_original')) {
      if (index >= 0) this.messages.splice(index, 1);
      return { status: 200, text: 'ok' };
    }
    const blocks = this.blocksOf('response_url', params);
    if (!Array.isArray(blocks)) return { status: 400, text: String(blocks.error) };
    const textValue = typeof params.text === 'string' ? params.text : '';
    if (!textValue && blocks.length === 0) {
      this.problems.push('response_url: neither text nor blocks');
      return { status: 400, text: 'invalid_payload' };
    }
    if (blocks.length > 0 && !textValue) this.problems.push('response_url: blocks without fallback text');
    const message = this.messages[index];
    if (!flag('replace_original')) {
      this.ephemerals.push({ method: 'response_url', token: null, params });
      return { status: 200, text: 'ok' };
    }
    if (!message) return { status: 404, text: 'message_not_found' };
    message.text = textValue;
    message.blocks = blocks;
    return { status: 200, text: 'ok' };
  }

  private fail(method: string, error: string, problem?: string): Obj {
    if (problem) this.problems.push(`${method}: ${problem}`);
    return { ok: false, error };
  }

  private blocksOf(method: string, params: Obj): Obj[] | Obj {
    if (params.blocks === undefined) return [];
    let blocks: unknown = params.blocks;
    if (typeof blocks === 'string') {
      try {
        blocks = JSON.parse(blocks);
      } catch {
        return this.fail(method, 'invalid_blocks_format', 'blocks is not JSON');
      }
    }
    const problems = blockProblems(blocks);
    if (problems.length > 0) {
      this.problems.push(...problems.map((p) => `${method}: ${p}`));
      return { ok: false, error: 'invalid_blocks' };
    }
    return blocks as Obj[];
  }

  private answer({ method, token, params }: SlackCall): Obj {
    if (!(method in METHOD_SCOPES))
      return this.fail(method, 'unknown_method', 'method not implemented by the fake');
    const appLevel = method === 'apps.connections.open';
    if (!token) return this.fail(method, 'not_authed', 'no token');
    if (appLevel ? !token.startsWith('xapp-') : !token.startsWith('xoxb-'))
      return this.fail(method, 'invalid_auth', `wrong kind of token ${token.slice(0, 5)}…`);
    if (!appLevel && this.botToken && token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    const scope = METHOD_SCOPES[method];
    if (scope && !appLevel && !this.scopes.has(scope))
      return { ok: false, error: 'missing_scope', needed: scope, provided: [...this.scopes].join(',') };

    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://winfix-test.slack.com/',
          team: 'winfix test',
          user: 'winfix',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: 'B0001',
        };
      case 'apps.connections.open':
        if (!this.socketUrl) return this.fail(method, 'internal_error', 'no socket URL configured');
        return { ok: true, url: this.socketUrl };
      case 'users.info': {
        if (typeof params.user !== 'string') return this.fail(method, 'user_not_found', 'user missing');
        const user = this.users.get(params.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        const withLocale = params.include_locale === 'true' || params.include_locale === true;
        const { locale, email, ...rest } = user;
        const profile = {
          display_name: '',
          ...(email && this.scopes.has('users:read.email') ? { email } : {}),
        };
        return { ok: true, user: { ...rest, profile, ...(withLocale ? { locale } : {}) } };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update':
        return this.chat(method, params);
    }
    return this.fail(method, 'unknown_method');
  }

  private chat(method: string, params: Obj): Obj {
    if (typeof params.channel !== 'string' || !params.channel)
      return this.fail(method, 'channel_not_found', 'channel missing');
    const blocks = this.blocksOf(method, params);
    if (!Array.isArray(blocks)) return blocks;
    const textValue = typeof params.text === 'string' ? params.text : '';
    if (!textValue && blocks.length === 0 && params.attachments === undefined)
      return this.fail(method, 'no_text', 'neither text nor blocks');
    if (blocks.length > 0 && !textValue) this.problems.push(`${method}: blocks without fallback text`);
    if (params.thread_ts !== undefined && !TS.test(String(params.thread_ts)))
      return this.fail(method, 'invalid_thread_ts', `thread_ts ${String(params.thread_ts)}`);
    const channel = params.channel;
    if (this.missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (this.notInChannels.has(channel)) return { ok: false, error: 'not_in_channel' };

    if (method === 'chat.update') {
      const message = this.messages.find((m) => m.channel === channel && m.ts === params.ts);
      if (!message)
        return this.fail(method, 'message_not_found', `no message ${String(params.ts)} in ${channel}`);
      message.text = textValue;
      if (params.blocks !== undefined) message.blocks = blocks;
      return { ok: true, channel, ts: message.ts, text: message.text };
    }
    if (method === 'chat.postEphemeral') {
      if (typeof params.user !== 'string') return this.fail(method, 'user_not_found', 'user missing');
      this.ephemerals.push({ method, token: null, params });
      return { ok: true, message_ts: this.nextTs() };
    }
    const ts = this.nextTs();
    const message: PostedMessage = { channel, ts, text: textValue, blocks };
    if (typeof params.thread_ts === 'string') message.thread_ts = params.thread_ts;
    this.messages.push(message);
    return {
      ok: true,
      channel,
      ts,
      message: { type: 'message', user: this.botUserId, bot_id: 'B0001', ...message },
    };
  }
}
