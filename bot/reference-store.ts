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
  /** Remembers which platform message (activity id, Slack ts) shows a card. */
  saveCardMessage(platform: string, cardId: string, messageId: string): Promise<void>;
  getCardMessage(platform: string, cardId: string): Promise<string | null>;
}

export class InMemoryReferenceStore implements ReferenceStore {
  private readonly references = new Map<string, unknown>();
  private readonly cards = new Map<string, string>();

  async saveReference(platform: string, conversationId: string, reference: unknown): Promise<void> {
    this.references.set(`${platform}:${conversationId}`, structuredClone(reference));
  }

  async getReference(platform: string, conversationId: string): Promise<unknown | null> {
    const reference = this.references.get(`${platform}:${conversationId}`);
    return reference === undefined ? null : structuredClone(reference);
  }

  async saveCardMessage(platform: string, cardId: string, messageId: string): Promise<void> {
    this.cards.set(`${platform}:${cardId}`, messageId);
  }

  async getCardMessage(platform: string, cardId: string): Promise<string | null> {
    return this.cards.get(`${platform}:${cardId}`) ?? null;
  }
}
