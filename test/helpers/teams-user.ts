/**
 * Plays a Teams user over HTTP: posts the activities Teams would deliver to the bot's /api/messages
 * (with `serviceUrl` pointing at the fake channel), and presses Adaptive Card buttons the way Teams
 * does: an Action.Execute as an `adaptiveCard/action` invoke whose answer (a card shown in place of the
 * pressed one, or a message) the fake channel applies; an Action.Submit (older clients, older cards) as
 * a message activity whose `value` is the button's `data`. A card with `refresh` (Universal Actions user
 * specific views) is refreshed as Teams does: when the user is listed in its `userIds` (or it lists
 * none: the fake's channels have fewer than 60 members), the client sends the refresh's Action.Execute
 * as an `adaptiveCard/action` invoke with `trigger: "automatic"` and shows this user the answered card;
 * anyone can ask for it with the message menu's Refresh (`refreshCard`, `trigger: "manual"`).
 */
import {
  ADAPTIVE_CARD,
  type ChannelCall,
  type FakeBotConnector,
  type InvokeAnswer,
} from './fake-bot-connector';

type Json = Record<string, unknown>;

export interface PostResult {
  status: number;
  body: string;
  /** Time until the HTTP response came back. */
  ms: number;
}

export async function postToBot(
  botUrl: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<PostResult> {
  const start = performance.now();
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - start };
}

export interface CardButton {
  title: string;
  data: unknown;
  type: 'Action.Execute' | 'Action.Submit';
  /** An Action.Execute's verb. */
  verb?: string;
}

/** Every button (Action.Execute or Action.Submit) in a card, wherever it sits (ActionSets, containers). */
export function submitActions(card: unknown): CardButton[] {
  const found: CardButton[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Json;
    if (element.type === 'Action.Submit')
      found.push({ title: String(element.title), data: element.data, type: 'Action.Submit' });
    if (element.type === 'Action.Execute')
      found.push({
        title: String(element.title),
        data: element.data,
        type: 'Action.Execute',
        verb: String(element.verb),
      });
    for (const key of ['body', 'items', 'actions', 'columns']) if (key in element) walk(element[key]);
  };
  walk(card);
  return found;
}

/** The Adaptive Card in an activity, or null. */
export function cardOf(activity: Json | undefined): Json | null {
  const attachment = ((activity?.attachments ?? []) as Json[]).find((a) => a.contentType === ADAPTIVE_CARD);
  return (attachment?.content as Json | undefined) ?? null;
}

/** All the text a card shows (TextBlocks, TextRuns, facts), joined by newlines. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Json;
    if ((element.type === 'TextBlock' || element.type === 'TextRun') && typeof element.text === 'string')
      parts.push(element.text);
    if (element.type === 'FactSet')
      for (const f of element.facts as { title: string; value: string }[])
        parts.push(`${f.title}: ${f.value}`);
    // Teams' CodeBlock shows its code (its fallback is for other clients).
    if (element.type === 'CodeBlock' && typeof element.codeSnippet === 'string')
      parts.push(element.codeSnippet);
    for (const key of ['body', 'items', 'inlines', 'columns']) if (key in element) walk(element[key]);
  };
  walk(card);
  return parts.join('\n');
}

export interface TeamsUserOptions {
  userId?: string;
  name?: string;
  locale?: string;
  /** Authorization header value for every post (e.g. "Bearer …"). */
  authorization?: string | null;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  /** The user's Entra object id (default "aad-user-1"). */
  aadObjectId?: string;
  /**
   * A Teams client without Universal Actions: it shows each Action.Execute's Action.Submit fallback,
   * so a press is a message activity with the data as `value` (default false).
   */
  legacyClient?: boolean;
}

export class TeamsUser {
  constructor(
    private readonly channel: FakeBotConnector,
    private readonly botUrl: string,
    readonly conversationId: string,
    private readonly options: TeamsUserOptions = {},
  ) {}

  /** A complete activity as Teams would deliver it, with `extra` on top. */
  activity(extra: Json): Json {
    return {
      type: 'message',
      id: this.channel.newIncomingId(),
      timestamp: new Date().toISOString(),
      serviceUrl: this.channel.serviceUrl,
      channelId: 'msteams',
      from: {
        id: this.options.userId ?? '29:user-1',
        name: this.options.name ?? 'Aiko Tanaka',
        aadObjectId: this.options.aadObjectId ?? 'aad-user-1',
      },
      recipient: { id: '28:winfix-bot', name: 'winfix' },
      conversation: {
        id: this.conversationId,
        conversationType: this.options.conversationType ?? 'personal',
        tenantId: 'tenant-1',
      },
      locale: this.options.locale ?? 'en-US',
      channelData: { tenant: { id: 'tenant-1' } },
      ...extra,
    };
  }

  post(activity: Json): Promise<PostResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.authorization) headers.authorization = this.options.authorization;
    return postToBot(this.botUrl, activity, headers);
  }

  say(text: string, extra: Json = {}): Promise<PostResult> {
    return this.post(this.activity({ text, textFormat: 'plain', ...extra }));
  }

  get userId(): string {
    return this.options.userId ?? '29:user-1';
  }

  /**
   * What the bot sent to this conversation (sends and replies), current versions, in order, as this
   * user's client shows them (their own view of a card with refresh, once they have one).
   */
  sent(): { call: ChannelCall; activity: Json }[] {
    return this.channel.sentTo(this.conversationId).map((call) => ({
      call,
      activity: this.channel.seenBy(call.id as string, this.userId) ?? call.activity,
    }));
  }

  /**
   * Shows the conversation as this user's Teams client does: every card with a `refresh` that lists
   * this user (or lists nobody) and that they have no current view of is refreshed automatically.
   * Clients without Universal Actions never refresh. Returns the answers, in order.
   */
  async look(): Promise<InvokeAnswer[]> {
    if (this.options.legacyClient) return [];
    const answers: InvokeAnswer[] = [];
    for (const call of this.channel.sentTo(this.conversationId)) {
      const id = call.id as string;
      const refresh = this.channel.baseCardOf(id)?.refresh as
        | { action?: { verb?: string; data?: unknown }; userIds?: string[] }
        | undefined;
      if (!refresh || this.channel.views.get(id)?.has(this.userId)) continue;
      if (refresh.userIds && !refresh.userIds.includes(this.userId)) continue;
      answers.push(
        (await this.execute(id, refresh.action?.verb ?? '', refresh.action?.data, 'automatic')).invoke,
      );
    }
    return answers;
  }

  /** Refresh from the card's message menu (any user, listed or not): a `manual` refresh invoke. */
  async refreshCard(activityId: string): Promise<PostResult & { incomingId: string; invoke: InvokeAnswer }> {
    const refresh = this.channel.baseCardOf(activityId)?.refresh as
      | { action?: { verb?: string; data?: unknown } }
      | undefined;
    if (!refresh) throw new Error(`the card of ${activityId} has no refresh`);
    return this.execute(activityId, refresh.action?.verb ?? '', refresh.action?.data, 'manual');
  }

  /** The latest card (current version) with a button labelled `label`. */
  findButton(label: string | RegExp): ({ activityId: string } & CardButton) | null {
    const sent = this.sent();
    for (let i = sent.length - 1; i >= 0; i--) {
      const entry = sent[i];
      const card = cardOf(entry?.activity);
      const action = submitActions(card).find((a) =>
        typeof label === 'string' ? a.title === label : label.test(a.title),
      );
      if (entry && action) return { activityId: entry.call.id as string, ...action };
    }
    return null;
  }

  /**
   * Presses the button labelled `label` on the latest card that has one, as Teams does; `inputs` is
   * what was typed into the card's inputs (Teams merges them into the submit value by input id).
   * `incomingId` is the id of the activity delivered to the bot (its replies name it).
   */
  async press(
    label: string | RegExp,
    inputs: Record<string, string> = {},
  ): Promise<PostResult & { activityId: string; incomingId: string; invoke: InvokeAnswer | null }> {
    // The user sees the cards as their client shows them (refreshed where Teams refreshes them).
    await this.look();
    const button = this.findButton(label);
    if (!button) {
      const last = cardOf(this.sent().at(-1)?.activity);
      throw new Error(
        `no button ${label}; the last card has: ${submitActions(last)
          .map((a) => a.title)
          .join(' | ')}`,
      );
    }
    const value = { ...(button.data as Json), ...inputs };
    if (button.type === 'Action.Execute' && !this.options.legacyClient) {
      const result = await this.execute(button.activityId, button.verb ?? '', value);
      return { ...result, activityId: button.activityId };
    }
    const result = await this.submit(button.activityId, value);
    return { ...result, activityId: button.activityId, invoke: null };
  }

  /**
   * An Action.Execute from the card activity `activityId`, as Teams sends it: an `adaptiveCard/action`
   * invoke whose `value.action.data` is the button's data with the inputs merged in. The answer is
   * applied by the fake channel (a card answer replaces the pressed card) and returned as `invoke`.
   */
  async execute(
    activityId: string,
    verb: string,
    data: unknown,
    trigger: 'manual' | 'automatic' = 'manual',
  ): Promise<PostResult & { incomingId: string; invoke: InvokeAnswer }> {
    const activity = this.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: activityId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger },
    });
    const result = await this.post(activity);
    const invoke = this.channel.showInvokeAnswer(activityId, result.status, result.body, this.userId);
    return { ...result, incomingId: activity.id as string, invoke };
  }

  /**
   * An Action.Submit from the card activity `activityId` with exactly this `value`: what a client
   * (or someone forging one) can send. `incomingId` is the id of the activity delivered to the bot.
   */
  async submit(activityId: string, value: unknown): Promise<PostResult & { incomingId: string }> {
    const activity = this.activity({ replyToId: activityId, value });
    return { ...(await this.post(activity)), incomingId: activity.id as string };
  }

  /** Presses a button from a specific (possibly old) card activity, whatever it shows now. */
  pressStale(activityId: string, data: unknown): Promise<PostResult> {
    return this.post(this.activity({ replyToId: activityId, value: data }));
  }
}
