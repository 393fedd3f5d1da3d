/**
 * The Teams user ids (29:…, what Teams calls user MRIs) of the configured technicians, for the approval
 * card's `refresh.userIds`: Teams refreshes the card by itself only for those users, and takes no Entra
 * object ids or e-mails there. WINFIX_TEAMS_TECHNICIANS may list either:
 * - a Teams user id (29:…) is used as it is;
 * - an Entra object id is learnt the first time that person's Teams client sends the bot anything (a
 *   message, a press, a Refresh from the card's menu): Teams puts both ids on every activity (`from.id`,
 *   `from.aadObjectId`). What was learnt is kept in the reference store (`technician-user:<entry>`), so
 *   every instance and a restart know it;
 * - before that, and for e-mails (Teams puts no e-mail on activities), the technicians' conversation's
 *   roster is asked (GET /v3/conversations/{id}/members/{entra id or e-mail}, `lookup`), at most once
 *   every 10 minutes per entry that is not found; what it finds is kept as above. A technician found
 *   neither way (not a member of the channel) gets their view with Refresh in the card's menu.
 */
import type { ReferenceStore } from '../../bot';
import { REFRESH_USER_LIMIT } from './card-actions';
import { PLATFORM } from './incoming';
import type { TeamsLog } from './log';

/** The fields of an incoming activity read here. */
export interface ActivityFrom {
  from?: { id?: string; aadObjectId?: string };
}

const keyOf = (entry: string) => `technician-user:${entry}`;
/** How long an entry the roster did not have is not asked again. */
const LOOKUP_AGAIN_MS = 10 * 60_000;
const isTeamsUserId = (id: string) => id.startsWith('29:');

export class TechnicianViewers {
  /** The configured entries, lowercased, that are not Teams user ids (Entra object ids, e-mails). */
  private readonly toLearn: string[];
  private readonly configured: string[];
  /** Entry → Teams user id, as learnt or read from the store. */
  private readonly known = new Map<string, string>();
  /** Entry → when the roster last did not have it. */
  private readonly missed = new Map<string, number>();

  constructor(
    entries: readonly string[],
    private readonly parts: {
      references: ReferenceStore;
      log: TeamsLog;
      /** The Teams user id of a member of the technicians' conversation, or null. */
      lookup?: (entry: string) => Promise<string | null>;
      now?: () => number;
    },
  ) {
    this.configured = entries.filter(isTeamsUserId);
    this.toLearn = entries.filter((e) => !isTeamsUserId(e)).map((e) => e.toLowerCase());
  }

  /** Learns a technician's Teams user id from an activity they sent. Never throws. */
  async observe(activity: ActivityFrom): Promise<void> {
    const userId = activity.from?.id;
    const entry = activity.from?.aadObjectId?.toLowerCase();
    if (!userId || !isTeamsUserId(userId) || !entry || !this.toLearn.includes(entry)) return;
    if (this.known.get(entry) === userId) return;
    await this.learn(entry, userId, 'from their activity');
  }

  private async learn(entry: string, userId: string, how: string): Promise<void> {
    this.known.set(entry, userId);
    this.missed.delete(entry);
    try {
      await this.parts.references.saveReference(PLATFORM, keyOf(entry), { id: userId });
      this.parts.log.info(
        `technician ${entry}: Teams user id learnt ${how} (their approval cards refresh by themselves)`,
      );
    } catch (error) {
      this.parts.log.warn(`could not store a technician's Teams user id: ${(error as Error).message}`);
    }
  }

  /** Asks the roster for an entry not known yet (not again within LOOKUP_AGAIN_MS of a miss). */
  private async lookedUp(entry: string): Promise<string | null> {
    const lookup = this.parts.lookup;
    if (!lookup) return null;
    const now = (this.parts.now ?? Date.now)();
    const missedAt = this.missed.get(entry);
    if (missedAt !== undefined && now - missedAt < LOOKUP_AGAIN_MS) return null;
    let id: string | null = null;
    try {
      id = await lookup(entry);
    } catch {
      id = null;
    }
    if (!id || !isTeamsUserId(id)) {
      this.missed.set(entry, now);
      return null;
    }
    await this.learn(entry, id, "from the technicians' channel roster");
    return id;
  }

  /** The ids for `refresh.userIds` (at most 60), or null when none is known. Never throws. */
  async userIds(): Promise<string[] | null> {
    const ids = new Set(this.configured);
    for (const entry of this.toLearn) {
      if (ids.size >= REFRESH_USER_LIMIT) break;
      const id = this.known.get(entry) ?? (await this.stored(entry)) ?? (await this.lookedUp(entry));
      if (id) ids.add(id);
    }
    return ids.size > 0 ? [...ids].slice(0, REFRESH_USER_LIMIT) : null;
  }

  private async stored(entry: string): Promise<string | null> {
    try {
      const found = (await this.parts.references.getReference(PLATFORM, keyOf(entry))) as {
        id?: unknown;
      } | null;
      if (typeof found?.id !== 'string' || !isTeamsUserId(found.id)) return null;
      this.known.set(entry, found.id);
      return found.id;
    } catch (error) {
      this.parts.log.warn(`could not read a technician's Teams user id: ${(error as Error).message}`);
      return null;
    }
  }
}
