/**
 * The `response_url` of button presses, as the fake Slack API serves it (see fake-slack-api.ts for the
 * contract): the URLs issued, and the answer to each POST to one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBlocks } from './fake-slack-api-blocks';
import type { Obj, PostedMessage, SlackCall, SlackRecords } from './fake-slack-api-records';

/** Slack's documented bounds on one response_url. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

interface IssuedResponseUrl {
  channel: string;
  ts: string;
  issuedAt: number;
  uses: number;
}

interface Answer {
  status: number;
  text: string;
}

/** A fake that holds messages and issues response_urls for presses on them. */
interface ResponseUrlIssuer {
  readonly messages: readonly PostedMessage[];
  responseUrl(message: Pick<PostedMessage, 'channel' | 'ts'>): string;
}

/** The fakes running now (added on start, removed on stop): `responseUrlFor` finds the one holding a message. */
export const runningFakes = new Set<ResponseUrlIssuer>();

/**
 * A response_url for a press on `message`, from the running fake that holds it (by channel and ts, so a
 * copy of a message works too); null when no running fake holds it.
 */
export function responseUrlFor(message: Pick<PostedMessage, 'channel' | 'ts'>): string | null {
  for (const api of runningFakes)
    if (api.messages.some((m) => m.channel === message.channel && m.ts === message.ts))
      return api.responseUrl(message);
  return null;
}

/** The response_urls one fake issued, and their answers, over that fake's records. */
export class ResponseUrls {
  private readonly issued = new Map<string, IssuedResponseUrl>();

  constructor(private readonly records: SlackRecords) {}

  /** Makes `path` a response_url for a press on `message`, issued at `issuedAt` (ms since the epoch). */
  issue(path: string, message: Pick<PostedMessage, 'channel' | 'ts'>, issuedAt: number): void {
    this.issued.set(path, { channel: message.channel, ts: message.ts, issuedAt, uses: 0 });
  }

  /** Answers a request to a response_url (`raw`: its body), recording it as a `response_url` call. */
  serve(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const issued = this.issued.get(path);
    let params: Obj = {};
    let answer: Answer = { status: 200, text: 'ok' };
    try {
      if ((req.headers['content-type'] ?? '').split(';')[0] !== 'application/json')
        throw new Error('not JSON');
      params = JSON.parse(raw) as Obj;
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error('not an object');
    } catch {
      this.records.problems.push('response_url: the body is not a JSON object');
      answer = { status: 400, text: 'invalid_payload' };
    }
    const call: SlackCall = {
      method: 'response_url',
      token: null,
      params: { ...params, ...(issued ? { channel: issued.channel, ts: issued.ts } : {}) },
    };
    this.records.calls.push(call);
    if (answer.status === 200) answer = this.respond(req.method ?? '', issued, params);
    call.answer = answer.text;
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end(answer.text);
  }

  private respond(method: string, issued: IssuedResponseUrl | undefined, params: Obj): Answer {
    const { messages, problems, ephemerals } = this.records;
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
    const index = messages.findIndex((m) => m.channel === issued.channel && m.ts === issued.ts);
    if (flag('delete_original')) {
      if (index >= 0) messages.splice(index, 1);
      return { status: 200, text: 'ok' };
    }
    const blocks = parseBlocks(problems, 'response_url', params);
    if (!Array.isArray(blocks)) return { status: 400, text: String(blocks.error) };
    const textValue = typeof params.text === 'string' ? params.text : '';
    if (!textValue && blocks.length === 0) {
      problems.push('response_url: neither text nor blocks');
      return { status: 400, text: 'invalid_payload' };
    }
    if (blocks.length > 0 && !textValue) problems.push('response_url: blocks without fallback text');
    const message = messages[index];
    if (!flag('replace_original')) {
      ephemerals.push({ method: 'response_url', token: null, params });
      return { status: 200, text: 'ok' };
    }
    if (!message) return { status: 404, text: 'message_not_found' };
    message.text = textValue;
    message.blocks = blocks;
    return { status: 200, text: 'ok' };
  }
}
