/**
 * Where a connector keeps what it needs to message a conversation later (proactive messages: approvals,
 * job results) and which platform message shows which card (to update answered cards in place).
 * The reference is the platform's own JSON (a Bot Framework ConversationReference, a Slack channel…),
 * opaque to the core. Durable backends (storage issue) implement the same interface.
 */

export interface ReferenceStore {
  /** Saves or replaces the reference for a conversation. */
  saveReference(platform: string, conversationId: string, reference: unknown): Promise<void>;
  getReference(platform: string, conversationId: string): Promise<unknown | null>;
  /**
   * Remembers which platform message (activity id, Slack ts) shows a card, and optionally what the
   * connector needs to redraw it answered (JSON; opaque to the core), so that works after a restart.
   */
  saveCardMessage(platform: string, cardId: string, messageId: string, content?: unknown): Promise<void>;
  getCardMessage(platform: string, cardId: string): Promise<string | null>;
  /** The content saved with the card's message, or null. */
  getCardContent(platform: string, cardId: string): Promise<unknown | null>;
}

export class InMemoryReferenceStore implements ReferenceStore {
  private readonly references = new Map<string, unknown>();
  private readonly cards = new Map<string, { messageId: string; content: string | null }>();

  async saveReference(platform: string, conversationId: string, reference: unknown): Promise<void> {
    this.references.set(`${platform}:${conversationId}`, structuredClone(reference));
  }

  async getReference(platform: string, conversationId: string): Promise<unknown | null> {
    const reference = this.references.get(`${platform}:${conversationId}`);
    return reference === undefined ? null : structuredClone(reference);
  }

  async saveCardMessage(
    platform: string,
    cardId: string,
    messageId: string,
    content?: unknown,
  ): Promise<void> {
    this.cards.set(`${platform}:${cardId}`, {
      messageId,
      content: content === undefined || content === null ? null : JSON.stringify(content),
    });
  }

  async getCardMessage(platform: string, cardId: string): Promise<string | null> {
    return this.cards.get(`${platform}:${cardId}`)?.messageId ?? null;
  }

  async getCardContent(platform: string, cardId: string): Promise<unknown | null> {
    const content = this.cards.get(`${platform}:${cardId}`)?.content;
    return content ? (JSON.parse(content) as unknown) : null;
  }
}
