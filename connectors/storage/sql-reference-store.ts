/**
 * The bot's `ReferenceStore` in SQL: conversation references for proactive messages, and which platform
 * message shows which card, with what the connector needs to redraw it answered (to update cards in
 * place, also after a restart). Saves are upserts: the latest wins.
 *
 * Card rows carry the whole card, one per card shown, so they are not kept forever: a card not shown
 * or redrawn for `cardRetentionDays` is forgotten (pressed after that, it is answered by the core as
 * any stale card is, and closed with the answer alone). Pruning rides on saving a card, at most once
 * per `pruneEveryMs` per instance, oldest first and at most `pruneLimit` rows, skipping rows another
 * instance holds; a failure is logged and the save goes on.
 */
import type { Clock, ReferenceStore } from '../../bot';
import { type StorageLog, silentLog } from './bad-rows';
import type { SqlExecutor } from './sql';
import { json } from './sql';

/** Default days a card is remembered after it was last shown (WINFIX_CARD_RETENTION_DAYS). */
export const DEFAULT_CARD_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CardRetention {
  /** Cards not saved for this many days are deleted. Default 90. */
  cardRetentionDays?: number;
  /** At most one pruning per this interval per instance. Default one hour. */
  pruneEveryMs?: number;
  /** Rows deleted per pruning at most. Default 500. */
  pruneLimit?: number;
  log?: StorageLog;
}

export class SqlReferenceStore implements ReferenceStore {
  private readonly retentionMs: number;
  private readonly pruneEveryMs: number;
  private readonly pruneLimit: number;
  private readonly log: StorageLog;
  private nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
    retention: CardRetention = {},
  ) {
    this.retentionMs = (retention.cardRetentionDays ?? DEFAULT_CARD_RETENTION_DAYS) * DAY_MS;
    this.pruneEveryMs = retention.pruneEveryMs ?? 60 * 60 * 1000;
    this.pruneLimit = retention.pruneLimit ?? 500;
    this.log = retention.log ?? silentLog;
  }

  async saveReference(platform: string, conversationId: string, reference: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_references (platform, conversation_id, reference, updated_at)
       VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (platform, conversation_id)
       DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
      [platform, conversationId, json(reference), this.clock.now()],
    );
  }

  async getReference(platform: string, conversationId: string): Promise<unknown | null> {
    const { rows } = await this.db.query<{ reference: unknown }>(
      'SELECT reference FROM conversation_references WHERE platform = $1 AND conversation_id = $2',
      [platform, conversationId],
    );
    return rows[0]?.reference ?? null;
  }

  async saveCardMessage(
    platform: string,
    cardId: string,
    messageId: string,
    content?: unknown,
  ): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() >= this.nextPruneAt) {
      this.nextPruneAt = now.getTime() + this.pruneEveryMs;
      try {
        await this.pruneCards(new Date(now.getTime() - this.retentionMs));
      } catch (error) {
        this.log.warn(`old card messages could not be pruned: ${(error as Error).message}`);
      }
    }
    await this.db.query(
      `INSERT INTO card_messages (platform, card_id, message_id, updated_at, content)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (platform, card_id)
       DO UPDATE SET message_id = excluded.message_id, updated_at = excluded.updated_at,
                     content = excluded.content`,
      [platform, cardId, messageId, now, content == null ? null : json(content)],
    );
  }

  /** Deletes up to `limit` cards last saved before `before`, oldest first; how many. */
  async pruneCards(before: Date, limit: number = this.pruneLimit): Promise<number> {
    const { rowCount } = await this.db.query(
      `WITH old AS (
         SELECT platform, card_id FROM card_messages
          WHERE updated_at < $1
          ORDER BY updated_at LIMIT $2
          FOR UPDATE SKIP LOCKED
       )
       DELETE FROM card_messages c USING old
        WHERE c.platform = old.platform AND c.card_id = old.card_id AND c.updated_at < $1`,
      [before, limit],
    );
    return rowCount;
  }

  async getCardContent(platform: string, cardId: string): Promise<unknown | null> {
    const { rows } = await this.db.query<{ content: unknown }>(
      'SELECT content FROM card_messages WHERE platform = $1 AND card_id = $2',
      [platform, cardId],
    );
    return rows[0]?.content ?? null;
  }

  async getCardMessage(platform: string, cardId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ message_id: string }>(
      'SELECT message_id FROM card_messages WHERE platform = $1 AND card_id = $2',
      [platform, cardId],
    );
    return rows[0]?.message_id ?? null;
  }
}
