/**
 * Where conversation state lives between turns. `save` is optimistic: it succeeds only when the stored
 * version is still `expectedVersion` (0 for a conversation never saved), and stores the state with the
 * version increased by one. Durable backends (issue 4) implement the same interface.
 */
import type { ConversationState } from './conversation-state';
import { ConversationConflictError } from './errors';
import type { TicketJobDraft } from './tickets-port';

/** What a turn writes besides the state, in the same save (durable stores: the same transaction). */
export interface TurnEffects {
  /** Ticket jobs for the outbox (tickets-port.ts). */
  tickets?: TicketJobDraft[];
}

export interface ConversationStore {
  /** The stored state, or null for a conversation never saved. */
  get(key: string): Promise<ConversationState | null>;
  /**
   * Saves and returns the state with its new version; throws `ConversationConflictError` on a stale
   * version. `effects` are written with it, or not at all (stores without an outbox ignore them).
   */
  save(state: ConversationState, expectedVersion: number, effects?: TurnEffects): Promise<ConversationState>;
}

/**
 * Keeps states in a Map as JSON text, so callers can never change what is stored (and a state that
 * does not survive JSON, as a durable store would need, fails here too). JSON is cheaper than
 * `structuredClone` for these many small objects.
 */
export class InMemoryConversationStore implements ConversationStore {
  private readonly states = new Map<string, { version: number; json: string }>();

  async get(key: string): Promise<ConversationState | null> {
    const stored = this.states.get(key);
    return stored ? (JSON.parse(stored.json) as ConversationState) : null;
  }

  async save(state: ConversationState, expectedVersion: number): Promise<ConversationState> {
    const actual = this.states.get(state.key)?.version ?? 0;
    if (actual !== expectedVersion) throw new ConversationConflictError(state.key, expectedVersion, actual);
    const saved = { ...state, version: expectedVersion + 1 };
    this.states.set(state.key, { version: saved.version, json: JSON.stringify(saved) });
    // The caller's own objects with the new version: nothing returned is shared with what is stored.
    return saved;
  }

  /** How many conversations are stored. */
  get size(): number {
    return this.states.size;
  }
}
