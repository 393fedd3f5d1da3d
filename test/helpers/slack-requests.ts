/**
 * Builds what Slack sends to an app: Events API callbacks (JSON) and block_actions payloads (a form
 * with `payload=`), signed with `v0` HMAC-SHA256 like Slack signs them, and posts them over real HTTP.
 */
import { createHmac } from 'node:crypto';
import { type PostedMessage, responseUrlFor } from './fake-slack-api';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackPost {
  body: string;
  contentType: string;
}

export interface PostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Replaces the signature (or removes it with null). */
  signature?: string | null;
  secret?: string;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  body: string;
  ms: number;
}

export async function postToSlackEndpoint(
  url: string,
  post: SlackPost,
  options: PostOptions = {},
): Promise<PostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': post.contentType, ...options.headers };
  if (options.signature !== null) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = options.signature ?? sign(post.body, timestamp, options.secret);
  }
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body: post.body });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

export interface EventSpec {
  eventId: string;
  team?: string;
  event: Record<string, unknown>;
}

export function eventCallback(spec: EventSpec): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: spec.team ?? 'T0001',
    api_app_id: 'A0001',
    event: spec.event,
    type: 'event_callback',
    event_id: spec.eventId,
    event_time: 1712000000,
    authorizations: [{ team_id: spec.team ?? 'T0001', user_id: 'UBOT0001', is_bot: true }],
  };
}

export function eventPost(spec: EventSpec): SlackPost {
  return { body: JSON.stringify(eventCallback(spec)), contentType: 'application/json' };
}

let tsCounter = 0;
/** A fresh Slack message timestamp. */
export function nextTs(): string {
  tsCounter += 1;
  return `1712100000.${String(tsCounter).padStart(6, '0')}`;
}

export function directMessage(user: string, channel: string, text: string, ts = nextTs()) {
  return { type: 'message', channel, user, text, ts, event_ts: ts, channel_type: 'im', team: 'T0001' };
}

export function mention(user: string, channel: string, text: string, ts = nextTs(), threadTs?: string) {
  return {
    type: 'app_mention',
    channel,
    user,
    text,
    ts,
    event_ts: ts,
    team: 'T0001',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

interface ButtonBlockElement {
  type: string;
  action_id: string;
  text: { text: string };
  value: string;
}

/** The buttons of a posted message, in order. */
export function buttonsOf(message: PostedMessage): ButtonBlockElement[] {
  return message.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as ButtonBlockElement[])
    .filter((e) => e.type === 'button');
}

/**
 * A block_actions payload for pressing the button labelled `label` on `message`, as Slack sends it. Its
 * `response_url` is one issued by the running fake Slack API that holds the message (never a real Slack
 * host); `options.responseUrl` gives another (null: none).
 */
export function buttonPress(
  message: PostedMessage,
  label: string,
  user: string,
  options: { actionTs?: string; team?: string; responseUrl?: string | null } = {},
): SlackPost {
  const button = buttonsOf(message).find((b) => b.text.text === label);
  if (!button)
    throw new Error(
      `no button "${label}" on ${message.ts}: ${buttonsOf(message)
        .map((b) => b.text.text)
        .join(' | ')}`,
    );
  const team = options.team ?? 'T0001';
  const responseUrl = options.responseUrl === undefined ? responseUrlFor(message) : options.responseUrl;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0001',
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: '1234.5678.abcd',
    team: { id: team, domain: 'winfix-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'directmessage' },
    message: {
      type: 'message',
      user: 'UBOT0001',
      ts: message.ts,
      bot_id: 'B0001',
      text: message.text,
      blocks: message.blocks,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    state: { values: {} },
    ...(responseUrl ? { response_url: responseUrl } : {}),
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b1',
        text: { type: 'plain_text', text: button.text.text, emoji: true },
        value: button.value,
        action_ts: options.actionTs ?? nextTs(),
      },
    ],
  };
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  };
}
