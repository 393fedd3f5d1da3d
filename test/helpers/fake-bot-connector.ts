/**
 * A local fake of the Bot Connector channel (the service Teams runs at `serviceUrl`): a real HTTP server
 * on port 0 implementing what the bot calls — POST /v3/conversations/{id}/activities (send; also what
 * continueConversation uses), POST …/activities/{activityId} (reply) and PUT …/activities/{activityId}
 * (update). It records every call, keeps the current version of every activity, and checks each body
 * against the spec's `Activity` definition and each Adaptive Card attachment with the real parser; a
 * body with problems gets a 400 and its problems are kept in `problems` (tests assert it stays empty).
 * It can also answer 403/404 like Teams does when the bot was removed, take a conversation's calls and
 * never answer them (`hangs`: a channel that hangs), require a bearer token, add latency, and serve a JWKS (the identity provider's keys, for the token tests). Answers to
 * Action.Execute invokes come back on the invoke's own HTTP request: `showInvokeAnswer` checks them and
 * shows a card answer in place of the pressed card, as the Teams client does. A card with `refresh`
 * has user-specific views (Universal Actions): an answer to one user's invoke on it is shown to that
 * user only (`views`), and a message update (PUT) drops every view, so each client refreshes again.
 */
import type { JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAdaptiveCard } from './adaptive-card-check';
import { checkAgainstSpec } from './bot-framework-schema';

type Json = Record<string, unknown>;

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export interface ChannelCall {
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  /** The activity replied to (reply) or replaced (update); null for a send. */
  activityId: string | null;
  activity: Json;
  authorization: string | null;
  status: number;
  /** The id of the activity created or updated (null when refused). */
  id: string | null;
  at: number;
}

/**
 * What the bot answered to an `adaptiveCard/action` invoke (Universal Actions), as Teams reads it: the
 * HTTP status and the AdaptiveCardInvokeResponse body. A card answer replaces the pressed card in place.
 */
export interface InvokeAnswer {
  /** The activity whose card was pressed. */
  activityId: string;
  httpStatus: number;
  statusCode: number | null;
  type: string | null;
  value: unknown;
}

export interface ChannelFailure {
  status: 403 | 404 | 429 | 500 | 502;
  /** Only for this conversation (default: every conversation). */
  conversationId?: string;
}

const ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  429: 'Throttled',
  500: 'ServiceError',
  502: 'ServiceError',
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function errorBody(status: number, message: string) {
  return { error: { code: ERROR_CODES[status] ?? 'ServiceError', message } };
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const MEMBER_ROUTE = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/;

/** A member as Teams answers GET …/members/{id} (a TeamsChannelAccount). */
export interface RosterMember {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName?: string;
}

export class FakeBotConnector {
  readonly calls: ChannelCall[] = [];
  /** Contract problems found in what the bot sent (schema, Adaptive Cards, routing). */
  readonly problems: string[] = [];
  /** The current version of every activity the bot created, by id. */
  readonly activities = new Map<string, { conversationId: string; activity: Json }>();
  /** Keys served at GET …/discovery/v2.0/keys (any prefix), like an Entra authority. */
  jwks: { keys: JsonWebKey[] } = { keys: [] };
  /** Answer every activity call with this failure (null: work normally). */
  failure: ChannelFailure | null = null;
  /** Conversations whose activity calls are taken and never answered (until the channel stops). */
  readonly hangs = new Set<string>();
  /** The calls `hangs` holds unanswered, in order. */
  readonly held: ChannelCall[] = [];
  /** When set, calls without `Authorization: Bearer <token>` get 401. */
  requiredToken: string | null = null;
  /**
   * Members of conversations, by conversation id (a channel's id, without `;messageid=`): GET
   * /v3/conversations/{id}/members/{member} finds one by Teams user id, Entra object id, e-mail or
   * UPN, as Teams does; anything else is 404 MemberNotFoundInConversation.
   */
  readonly roster = new Map<string, RosterMember[]>();
  /** Every member asked for: `conversationId member`. */
  readonly memberLookups: string[] = [];
  /** Simulated channel latency per call, in ms. */
  latencyMs = 0;
  /** Keep `calls` and the content of activities (benchmarks turn it off to save memory). */
  record = true;
  /** Check each body against the spec and the Adaptive Card parser (benchmarks turn it off). */
  checkContracts = true;
  /** Every answer to an Action.Execute press, in order (see showInvokeAnswer). */
  readonly invokeAnswers: InvokeAnswer[] = [];
  /**
   * User-specific views: per card activity with a `refresh`, per user id, the card that user's client
   * shows (the answer to their last refresh or press), until the activity is updated.
   */
  readonly views = new Map<string, Map<string, Json>>();
  /** Called after every activity call has been answered. */
  onCall: ((call: ChannelCall) => void) | null = null;

  /** Ids of the activities the channel delivered to the bot (replies may name them). */
  private readonly incomingIds = new Set<string>();
  private server: Server | null = null;
  private nextId = 1;
  private waiters: (() => void)[] = [];
  baseUrl = '';

  /** The serviceUrl to put on incoming activities. */
  get serviceUrl(): string {
    return `${this.baseUrl}/`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => answer(res, 500, errorBody(500, String(error))));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** A new id for an activity the channel delivers to the bot. */
  newIncomingId(): string {
    const id = `in-${this.nextId++}`;
    this.incomingIds.add(id);
    return id;
  }

  /**
   * What Teams does with the HTTP answer to an `adaptiveCard/action` invoke: checks it is an
   * AdaptiveCardInvokeResponse (JSON, statusCode, type; a card answer with a valid Adaptive Card), keeps
   * it in `invokeAnswers`, and for a card answer (statusCode 200, type card) shows that card in place of
   * the pressed one. No call to the channel is made: the card came back in the invoke's answer.
   */
  showInvokeAnswer(
    activityId: string,
    httpStatus: number,
    body: string,
    viewerId: string | null = null,
  ): InvokeAnswer {
    let parsed: Json | null = null;
    try {
      parsed = JSON.parse(body) as Json;
    } catch {
      this.problems.push(`invoke answer for ${activityId} is not JSON: ${body.slice(0, 200)}`);
    }
    const answer: InvokeAnswer = {
      activityId,
      httpStatus,
      statusCode: typeof parsed?.statusCode === 'number' ? parsed.statusCode : null,
      type: typeof parsed?.type === 'string' ? parsed.type : null,
      value: parsed?.value,
    };
    if (parsed && (answer.statusCode === null || answer.type === null))
      this.problems.push(`invoke answer for ${activityId} has no statusCode or type: ${body.slice(0, 200)}`);
    this.invokeAnswers.push(answer);
    if (httpStatus !== 200 || answer.statusCode !== 200 || answer.type !== ADAPTIVE_CARD) return answer;
    for (const p of checkAdaptiveCard(answer.value))
      this.problems.push(`invoke answer for ${activityId}: ${p}`);
    const shown = this.activities.get(activityId);
    if (!shown) this.problems.push(`invoke answer for ${activityId}: no such card activity`);
    else if (viewerId && this.baseCardOf(activityId)?.refresh) {
      // A card with refresh: the answer is this user's own view; everyone else still sees theirs.
      const views = this.views.get(activityId) ?? new Map<string, Json>();
      views.set(viewerId, answer.value as Json);
      this.views.set(activityId, views);
    } else
      shown.activity = {
        ...shown.activity,
        attachments: [{ contentType: ADAPTIVE_CARD, content: answer.value }],
      };
    this.notify();
    return answer;
  }

  /** The card of an activity as the bot last sent or updated it (what users without a view see). */
  baseCardOf(activityId: string): Json | null {
    const activity = this.activities.get(activityId)?.activity;
    const attachment = ((activity?.attachments ?? []) as Json[]).find((a) => a.contentType === ADAPTIVE_CARD);
    return (attachment?.content as Json | undefined) ?? null;
  }

  /** The activity as one user's client shows it: their own view of its card when they have one. */
  seenBy(activityId: string, userId: string): Json | undefined {
    const activity = this.activities.get(activityId)?.activity;
    const view = this.views.get(activityId)?.get(userId);
    if (!activity || !view) return activity;
    return { ...activity, attachments: [{ contentType: ADAPTIVE_CARD, content: view }] };
  }

  /** Sends and replies (not updates) to a conversation, in order. */
  sentTo(conversationId: string): ChannelCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && c.kind !== 'update' && c.id);
  }

  updatesOf(activityId: string): ChannelCall[] {
    return this.calls.filter((c) => c.kind === 'update' && c.activityId === activityId);
  }

  /** Resolves once `predicate` holds (checked after every call), or fails after `timeoutMs`. */
  async waitFor(
    predicate: () => boolean,
    timeoutMs = 5000,
    what = 'the expected channel calls',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Problems with one activity body: the spec's schema, the Adaptive Cards in it, routing. */
  private check(activity: Json, conversationId: string, updatedId: string | null): string[] {
    const problems = checkAgainstSpec('Activity', activity);
    if (typeof activity.type !== 'string') problems.push('activity has no type');
    const conversation = activity.conversation as Json | undefined;
    if (conversation?.id !== conversationId)
      problems.push(
        `activity.conversation.id ${JSON.stringify(conversation?.id)} is not the URL's ${conversationId}`,
      );
    if (updatedId !== null && activity.id !== updatedId)
      problems.push(`updated activity has id ${JSON.stringify(activity.id)}, not the URL's ${updatedId}`);
    const attachments = (activity.attachments ?? []) as Json[];
    attachments.forEach((attachment, i) => {
      if (attachment.contentType !== ADAPTIVE_CARD) return;
      for (const p of checkAdaptiveCard(attachment.content)) problems.push(`attachments[${i}]: ${p}`);
    });
    return problems;
  }

  private member(req: IncomingMessage, res: ServerResponse, conversation: string, asked: string): void {
    const conversationId = decodeURIComponent(conversation);
    const wanted = decodeURIComponent(asked).toLowerCase();
    this.memberLookups.push(`${conversationId} ${wanted}`);
    if (this.requiredToken && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
      answer(res, 401, errorBody(401, 'missing or wrong bearer token'));
      return;
    }
    const found = (this.roster.get(conversationId) ?? []).find((m) =>
      [m.id, m.aadObjectId, m.email, m.userPrincipalName].some((v) => v?.toLowerCase() === wanted),
    );
    if (!found) {
      answer(res, 404, {
        error: {
          code: 'MemberNotFoundInConversation',
          message: 'The member was not found in the conversation.',
        },
      });
      return;
    }
    answer(res, 200, { userPrincipalName: found.email, ...found, userRole: 'user', tenantId: 'tenant-1' });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'GET' && url.pathname.endsWith('/discovery/v2.0/keys'))
      return answer(res, 200, this.jwks);
    const member = req.method === 'GET' ? MEMBER_ROUTE.exec(url.pathname) : null;
    if (member) return this.member(req, res, member[1] as string, member[2] as string);
    const match = ROUTE.exec(url.pathname);
    const method = req.method ?? '';
    if (!match || !(method === 'POST' || (method === 'PUT' && match[2])))
      return answer(res, 404, errorBody(404, `no route ${method} ${url.pathname}`));
    const conversationId = decodeURIComponent(match[1] as string);
    const activityId = match[2] ? decodeURIComponent(match[2]) : null;
    const kind: ChannelCall['kind'] = method === 'PUT' ? 'update' : activityId ? 'reply' : 'send';
    const raw = await readBody(req);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const authorization = req.headers.authorization ?? null;
    const call: ChannelCall = {
      kind,
      conversationId,
      activityId,
      activity: {},
      authorization,
      status: 0,
      id: null,
      at: Date.now(),
    };
    const finish = (status: number, body: unknown) => {
      call.status = status;
      if (this.record) this.calls.push(call);
      answer(res, status, body);
      this.onCall?.(call);
      this.notify();
    };
    try {
      call.activity = JSON.parse(raw) as Json;
    } catch {
      this.problems.push(`${kind} ${conversationId}: body is not JSON`);
      return finish(400, errorBody(400, 'body is not JSON'));
    }
    if (!/^application\/json/i.test(req.headers['content-type'] ?? ''))
      this.problems.push(`${kind} ${conversationId}: Content-Type is ${req.headers['content-type']}`);
    if (this.requiredToken && authorization !== `Bearer ${this.requiredToken}`)
      return finish(401, errorBody(401, 'missing or wrong bearer token'));
    if (this.hangs.has(conversationId)) {
      this.held.push(call);
      this.notify();
      return;
    }
    const failure = this.failure;
    if (failure && (!failure.conversationId || failure.conversationId === conversationId))
      return finish(failure.status, errorBody(failure.status, `the fake channel answers ${failure.status}`));
    const problems = this.checkContracts
      ? this.check(call.activity, conversationId, kind === 'update' ? activityId : null)
      : [];
    if (problems.length > 0) {
      this.problems.push(...problems.map((p) => `${kind} ${conversationId}: ${p}`));
      return finish(400, errorBody(400, problems.join('; ')));
    }
    if (kind === 'update') {
      const existing = this.activities.get(activityId as string);
      if (!existing || existing.conversationId !== conversationId)
        return finish(404, { error: { code: 'ActivityNotFound', message: `no activity ${activityId}` } });
      if (this.record) existing.activity = call.activity;
      // A message update makes every client show the new card (and refresh it again where it may).
      this.views.delete(activityId as string);
      call.id = activityId;
      return finish(200, { id: activityId });
    }
    if (
      kind === 'reply' &&
      !this.activities.has(activityId as string) &&
      !this.incomingIds.has(activityId as string)
    )
      this.problems.push(`reply to unknown activity ${activityId}`);
    call.id = `out-${this.nextId++}`;
    this.activities.set(call.id, { conversationId, activity: this.record ? call.activity : {} });
    return finish(201, { id: call.id });
  }
}
