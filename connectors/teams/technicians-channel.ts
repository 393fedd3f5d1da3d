/**
 * The technicians' Teams channel (WINFIX_TEAMS_TECHNICIAN_CONVERSATION): where hand-off summaries and
 * approval cards go. What it adds to plain proactive messages:
 * - a reference for the channel even before the bot has seen it: its stored reference when there is
 *   one, else one built from the configured id, tenant and service URL (Teams accepts a new message
 *   POSTed to a channel's conversation id once the bot is in the team);
 * - learning the channel when the bot hears of it: a message from that channel (or a thread in it), or
 *   a `conversationUpdate` adding the bot there, stores its reference under the configured id; a
 *   `conversationUpdate` adding the bot to any team teaches the service URL to use;
 * - nothing lost: a post that fails (403/404 while the bot is not in the team, a network error) is
 *   kept, in order, and posted again as soon as the channel shows up (the next conversationUpdate or
 *   message), or with the next post; a newer version of a kept post (a redrawn approval card) replaces
 *   it, so what finally appears is current;
 * - readiness: unreachable while something is kept, the last post failed, or no reference is stored
 *   and nothing was delivered since start;
 * - the technicians' Teams user ids for the approval card's refresh (TechnicianViewers).
 * Kept posts live in this process's memory (a restart forgets them; the core's own records remain).
 */
import type { OutgoingMessage, ReferenceStore } from '../../bot';
import type { AdaptiveCardJson } from './adaptive-cards';
import type { WinfixTeamsError } from './errors';
import { PLATFORM } from './incoming';
import type { TeamsLog } from './log';
import { TechnicianViewers } from './technician-viewers';

export const DEFAULT_TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export interface TechniciansChannelSettings {
  /** WINFIX_TEAMS_TECHNICIAN_CONVERSATION: the channel's conversation id (19:…@thread.tacv2). */
  conversationId: string;
  /** WINFIX_TEAMS_TENANT_ID: put on a built reference (default: none). */
  tenantId?: string | null;
  /** WINFIX_TEAMS_SERVICE_URL: where to reach the channel before Teams has told (default DEFAULT_TEAMS_SERVICE_URL). */
  serviceUrl?: string | null;
  /**
   * WINFIX_TEAMS_TECHNICIANS (Teams user ids, Entra object ids or e-mails): whose Teams client refreshes
   * an approval card by itself (see TechnicianViewers). Default: none known (Teams then refreshes for
   * everyone in a channel of up to 60 members).
   */
  technicianIds?: readonly string[];
}

/** One thing for the technicians. A newer post with the same `key` replaces a kept one. */
export type TechnicianPost =
  | { key: string; kind: 'messages'; what: string; messages: OutgoingMessage[] }
  | { key: string; kind: 'card'; what: string; card: AdaptiveCardJson };

type SendResult = { ok: true } | { ok: false; error: WinfixTeamsError };

/** How the channel sends (the connector's proactive sends, which fall back to `reference()`). */
export interface TechniciansSender {
  send(post: TechnicianPost): Promise<SendResult>;
  /** A member's Teams user id, asked by Entra object id or e-mail; null when unknown (see TechnicianViewers). */
  member?(entry: string): Promise<string | null>;
}

export interface TechniciansReadiness {
  ready: boolean;
  conversationId: string;
  status: 'reachable' | 'reference-stored' | 'unreachable' | 'no-reference';
  /** Posts kept until the channel can be reached. */
  pending: number;
  /** The last failure's code (winfix_teams_conversation_gone …), or null. */
  error: string | null;
}

/** The fields of an incoming activity read here (the SDK's Activity has them). */
export interface ObservedActivity {
  type?: string;
  serviceUrl?: string;
  conversation?: { id?: string };
  recipient?: { id?: string };
  membersAdded?: { id?: string }[];
  from?: { id?: string; aadObjectId?: string };
  channelData?: unknown;
  getConversationReference(): Record<string, unknown>;
}

/** A channel thread's conversation id is the channel's, with `;messageid=…` after it. */
export const channelOf = (conversationId: string) => conversationId.split(';')[0] ?? conversationId;

const KEEP_LIMIT = 500;

export class TechniciansChannel {
  readonly conversationId: string;
  /** The technicians' Teams user ids, for the approval card's `refresh.userIds`. */
  readonly viewers: TechnicianViewers;
  private serviceUrl: string;
  private readonly kept: TechnicianPost[] = [];
  private chain: Promise<void> = Promise.resolve();
  private lastError: WinfixTeamsError | null = null;
  /** Something reached the channel, or came from it, since start. */
  private reached = false;

  constructor(
    private readonly settings: TechniciansChannelSettings,
    private readonly parts: {
      references: ReferenceStore;
      log: TeamsLog;
      sender: TechniciansSender;
      botId: string;
    },
  ) {
    this.conversationId = settings.conversationId;
    const member = parts.sender.member?.bind(parts.sender);
    this.viewers = new TechnicianViewers(settings.technicianIds ?? [], {
      references: parts.references,
      log: parts.log,
      ...(member ? { lookup: member } : {}),
    });
    this.serviceUrl = settings.serviceUrl || DEFAULT_TEAMS_SERVICE_URL;
  }

  is(conversationId: string): boolean {
    return conversationId === this.conversationId;
  }

  /** A reference built from the settings, for when none is stored. */
  reference(): Record<string, unknown> {
    const tenantId = this.settings.tenantId ?? null;
    return {
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      conversation: {
        id: this.conversationId,
        isGroup: true,
        conversationType: 'channel',
        ...(tenantId ? { tenantId } : {}),
      },
      agent: { id: this.parts.botId },
    };
  }

  /**
   * Posts now, after whatever is kept (order is kept). Resolves with null once delivered, or with the
   * failure; a failed post is kept and posted again later. Never throws.
   */
  async post(post: TechnicianPost): Promise<WinfixTeamsError | null> {
    const entry = this.keep(post);
    await this.flush();
    if (!this.kept.includes(entry)) return null;
    return this.lastError;
  }

  /** Whether a post with this key is kept (not delivered yet). */
  isKept(key: string): boolean {
    return this.kept.some((p) => p.key === key);
  }

  /** Posts everything kept, in order, stopping at the first failure. Never throws. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.drain());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Looks at an incoming activity: one from the channel stores the channel's reference; one adding
   * the bot to a team or channel teaches the service URL. Either posts what is kept. Never throws.
   */
  async observe(activity: ObservedActivity): Promise<void> {
    // Wherever a technician writes from, Teams tells their user id.
    await this.viewers.observe(activity);
    try {
      const conversationId = activity.conversation?.id ?? '';
      const channelData = (activity.channelData ?? {}) as { channel?: { id?: string } };
      const here =
        channelOf(conversationId) === this.conversationId || channelData.channel?.id === this.conversationId;
      const botId = activity.recipient?.id;
      const added =
        activity.type === 'conversationUpdate' &&
        !!botId &&
        (activity.membersAdded ?? []).some((member) => member.id === botId);
      if (!here && !added) return;
      if (activity.serviceUrl) this.serviceUrl = activity.serviceUrl;
      if (here) {
        const reference = activity.getConversationReference();
        delete reference.activityId;
        delete reference.user;
        const conversation = (reference.conversation ?? {}) as Record<string, unknown>;
        reference.conversation = { ...conversation, id: this.conversationId, conversationType: 'channel' };
        await this.parts.references.saveReference(PLATFORM, this.conversationId, reference);
        this.reached = true;
        if (this.kept.length === 0) this.lastError = null;
        this.parts.log.info(`technicians' channel ${this.conversationId}: conversation reference stored`);
      }
      if (this.kept.length > 0) {
        this.parts.log.info(
          `technicians' channel ${this.conversationId}: ${added ? 'the bot was added to a team' : 'heard from the channel'}; posting ${this.kept.length} kept message(s)`,
        );
        await this.flush();
      }
    } catch (error) {
      this.parts.log.warn(
        `technicians' channel ${this.conversationId}: could not use an incoming activity: ${(error as Error).message}`,
      );
    }
  }

  /** What /readyz reports. */
  async readiness(): Promise<TechniciansReadiness> {
    const base = {
      conversationId: this.conversationId,
      pending: this.kept.length,
      error: this.lastError?.code ?? null,
    };
    if (this.kept.length > 0 || this.lastError) return { ...base, ready: false, status: 'unreachable' };
    if (this.reached) return { ...base, ready: true, status: 'reachable' };
    let stored = false;
    try {
      stored = (await this.parts.references.getReference(PLATFORM, this.conversationId)) !== null;
    } catch {
      stored = false;
    }
    return stored
      ? { ...base, ready: true, status: 'reference-stored' }
      : { ...base, ready: false, status: 'no-reference' };
  }

  /** Records the outcome of a post made outside the queue (an in-place card update). */
  noteOutcome(error: WinfixTeamsError | null): void {
    this.lastError = error;
    if (!error) this.reached = true;
  }

  private keep(post: TechnicianPost): TechnicianPost {
    const existing = this.kept.find((p) => p.key === post.key);
    if (existing) {
      Object.assign(existing, post);
      return existing;
    }
    this.kept.push(post);
    if (this.kept.length > KEEP_LIMIT) {
      const dropped = this.kept.shift();
      this.parts.log.error(
        `technicians' channel ${this.conversationId}: more than ${KEEP_LIMIT} messages waiting; dropped ${dropped?.what}`,
      );
    }
    return post;
  }

  private async drain(): Promise<void> {
    while (this.kept.length > 0) {
      const post = this.kept[0] as TechnicianPost;
      const result = await this.parts.sender.send(post);
      if (!result.ok) {
        const first = this.lastError === null;
        this.lastError = result.error;
        const line = `winfix_teams_technicians_unreachable: ${post.what} not delivered to the technicians' channel ${this.conversationId} (${result.error.code}); ${this.kept.length} kept, posted again when the bot is added to the team or someone writes to it there`;
        if (first) this.parts.log.error(line);
        else this.parts.log.warn(line);
        return;
      }
      if (this.kept[0] === post) this.kept.shift();
      if (this.lastError) this.parts.log.info(`technicians' channel ${this.conversationId} reachable again`);
      this.lastError = null;
      this.reached = true;
    }
  }
}
