/**
 * The Web API methods the fake Slack API answers: auth.test, apps.connections.open, users.info and the
 * chat methods (chat.postMessage, chat.update, chat.postEphemeral). Each call is checked against the
 * method's token kind and scope, and its arguments against Slack's method reference; every departure
 * is recorded in `problems` and answered with Slack's error.
 */
import { parseBlocks } from './fake-slack-api-blocks';
import {
  type FakeUser,
  failure,
  type Obj,
  type PostedMessage,
  type SlackCall,
} from './fake-slack-api-records';

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

/** The workspace the methods act on (the fake Slack API itself). */
export interface SlackWorkspace {
  readonly problems: string[];
  readonly messages: PostedMessage[];
  readonly ephemerals: SlackCall[];
  readonly scopes: Set<string>;
  readonly users: Map<string, FakeUser>;
  readonly teamId: string;
  readonly botUserId: string;
  readonly notInChannels: Set<string>;
  readonly missingChannels: Set<string>;
  readonly botToken: string | null;
  readonly socketUrl: string | null;
  /** A new message ts, as Slack issues them. */
  nextTs(): string;
}

/** Slack's answer to one Web API call. */
export function answerMethod(ws: SlackWorkspace, { method, token, params }: SlackCall): Obj {
  const fail = (error: string, problem?: string) => failure(ws.problems, method, error, problem);
  if (!(method in METHOD_SCOPES)) return fail('unknown_method', 'method not implemented by the fake');
  const appLevel = method === 'apps.connections.open';
  if (!token) return fail('not_authed', 'no token');
  if (appLevel ? !token.startsWith('xapp-') : !token.startsWith('xoxb-'))
    return fail('invalid_auth', `wrong kind of token ${token.slice(0, 5)}…`);
  if (!appLevel && ws.botToken && token !== ws.botToken) return { ok: false, error: 'invalid_auth' };
  const scope = METHOD_SCOPES[method];
  if (scope && !appLevel && !ws.scopes.has(scope))
    return { ok: false, error: 'missing_scope', needed: scope, provided: [...ws.scopes].join(',') };

  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://winfix-test.slack.com/',
        team: 'winfix test',
        user: 'winfix',
        team_id: ws.teamId,
        user_id: ws.botUserId,
        bot_id: 'B0001',
      };
    case 'apps.connections.open':
      if (!ws.socketUrl) return fail('internal_error', 'no socket URL configured');
      return { ok: true, url: ws.socketUrl };
    case 'users.info': {
      if (typeof params.user !== 'string') return fail('user_not_found', 'user missing');
      const user = ws.users.get(params.user);
      if (!user) return { ok: false, error: 'user_not_found' };
      const withLocale = params.include_locale === 'true' || params.include_locale === true;
      const { locale, email, ...rest } = user;
      const profile = {
        display_name: '',
        ...(email && ws.scopes.has('users:read.email') ? { email } : {}),
      };
      return { ok: true, user: { ...rest, profile, ...(withLocale ? { locale } : {}) } };
    }
    case 'chat.postMessage':
    case 'chat.postEphemeral':
    case 'chat.update':
      return chat(ws, method, params);
  }
  return fail('unknown_method');
}

/** chat.postMessage, chat.update and chat.postEphemeral, over the messages the workspace holds. */
function chat(ws: SlackWorkspace, method: string, params: Obj): Obj {
  const fail = (error: string, problem?: string) => failure(ws.problems, method, error, problem);
  if (typeof params.channel !== 'string' || !params.channel)
    return fail('channel_not_found', 'channel missing');
  const blocks = parseBlocks(ws.problems, method, params);
  if (!Array.isArray(blocks)) return blocks;
  const textValue = typeof params.text === 'string' ? params.text : '';
  if (!textValue && blocks.length === 0 && params.attachments === undefined)
    return fail('no_text', 'neither text nor blocks');
  if (blocks.length > 0 && !textValue) ws.problems.push(`${method}: blocks without fallback text`);
  if (params.thread_ts !== undefined && !TS.test(String(params.thread_ts)))
    return fail('invalid_thread_ts', `thread_ts ${String(params.thread_ts)}`);
  const channel = params.channel;
  if (ws.missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
  if (ws.notInChannels.has(channel)) return { ok: false, error: 'not_in_channel' };

  if (method === 'chat.update') {
    const message = ws.messages.find((m) => m.channel === channel && m.ts === params.ts);
    if (!message) return fail('message_not_found', `no message ${String(params.ts)} in ${channel}`);
    message.text = textValue;
    if (params.blocks !== undefined) message.blocks = blocks;
    return { ok: true, channel, ts: message.ts, text: message.text };
  }
  if (method === 'chat.postEphemeral') {
    if (typeof params.user !== 'string') return fail('user_not_found', 'user missing');
    ws.ephemerals.push({ method, token: null, params });
    return { ok: true, message_ts: ws.nextTs() };
  }
  const ts = ws.nextTs();
  const message: PostedMessage = { channel, ts, text: textValue, blocks };
  if (typeof params.thread_ts === 'string') message.thread_ts = params.thread_ts;
  ws.messages.push(message);
  return {
    ok: true,
    channel,
    ts,
    message: { type: 'message', user: ws.botUserId, bot_id: 'B0001', ...message },
  };
}
