/**
 * The cards with live buttons the Teams connector has posted, kept to redraw them answered (without
 * buttons, with the answer): in this process's memory, and the same shape stored with the card's
 * activity id for cards from before a restart.
 */
import type { CardMessage } from './adaptive-cards';

/** An open card's message, and the texts drawn on top of it (see deliveryPlan). */
export interface OpenCard {
  message: CardMessage;
  lead: readonly string[];
}

/** A stored open card, if it has the shape this connector saves (anything else: null). */
export function openCardOf(value: unknown): OpenCard | null {
  if (!value || typeof value !== 'object') return null;
  const { message, lead } = value as Partial<OpenCard>;
  if (!message || typeof message !== 'object' || typeof (message as { kind?: unknown }).kind !== 'string')
    return null;
  if (!Array.isArray(lead) || !lead.every((line) => typeof line === 'string')) return null;
  return { message, lead };
}

/** The open cards' messages, most recent last; the oldest are forgotten beyond the limit. */
export class OpenCards {
  private readonly cards = new Map<string, OpenCard>();
  constructor(private readonly limit: number) {}

  remember(key: string, message: CardMessage, lead: readonly string[] = []): void {
    this.cards.delete(key);
    this.cards.set(key, { message, lead });
    if (this.cards.size > this.limit) {
      const oldest = this.cards.keys().next().value;
      if (oldest !== undefined) this.cards.delete(oldest);
    }
  }

  take(key: string): OpenCard | null {
    const card = this.cards.get(key) ?? null;
    this.cards.delete(key);
    return card;
  }

  get size(): number {
    return this.cards.size;
  }
}
