/**
 * The bot's `ReferenceStore` in SQL: conversation references for proactive messages, and which platform
 * message shows which card, with what the connector needs to redraw it answered (to update cards in
 * place, also after a restart). Saves are upserts: the latest wins.
 */
import type { Clock, ReferenceStore } from '../../bot';
import type { SqlExecutor } from './sql';
import { json } from './sql';

export class SqlReferenceStore implements ReferenceStore {
  constructor(
    private readonly db: SqlExecutor,
    private readonly clock: Clock,
  ) {}

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
    await this.db.query(
      `INSERT INTO card_messages (platform, card_id, message_id, updated_at, content)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (platform, card_id)
       DO UPDATE SET message_id = excluded.message_id, updated_at = excluded.updated_at,
                     content = excluded.content`,
      [platform, cardId, messageId, this.clock.now(), content == null ? null : json(content)],
    );
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
