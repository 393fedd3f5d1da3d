/**
 * What a card showed: the cards with live buttons a connector has posted, kept to redraw them answered
 * (without buttons, with the answer): in this process's memory, and the same shape stored with the
 * card's message id (ReferenceStore.saveCardMessage) for cards from before a restart. The message is
 * the core's card message; `lead` is what the connector drew on top of it.
 */

/** An open card's message, and the texts drawn on top of it. */
export interface OpenCard<M> {
  message: M;
  lead: readonly string[];
}

/** A stored open card, if it has the shape connectors save (anything else: null). */
export function openCardOf<M>(
  value: unknown,
  isMessage: (message: unknown) => message is M,
): OpenCard<M> | null {
  if (!value || typeof value !== 'object') return null;
  const { message, lead } = value as Partial<OpenCard<unknown>>;
  if (!isMessage(message)) return null;
  if (!Array.isArray(lead) || !lead.every((line) => typeof line === 'string')) return null;
  return { message, lead };
}

/** The open cards' messages, most recent last; the oldest are forgotten beyond the limit. */
export class OpenCards<M> {
  private readonly cards = new Map<string, OpenCard<M>>();
  constructor(private readonly limit: number) {}

  remember(key: string, message: M, lead: readonly string[] = []): void {
    this.cards.delete(key);
    this.cards.set(key, { message, lead });
    if (this.cards.size > this.limit) {
      const oldest = this.cards.keys().next().value;
      if (oldest !== undefined) this.cards.delete(oldest);
    }
  }

  take(key: string): OpenCard<M> | null {
    const card = this.cards.get(key) ?? null;
    this.cards.delete(key);
    return card;
  }

  get size(): number {
    return this.cards.size;
  }
}
