/**
 * Remembers which Slack deliveries were already taken (event ids, message timestamps, action presses)
 * for a while, so a retried or duplicated delivery changes nothing. Bounded and in memory: a durable,
 * shared dedup (several instances) comes with the storage backend.
 */
import type { Clock } from '../../bot';

export interface DeliveryDedupOptions {
  clock: Clock;
  /** How long a key is remembered. Default 15 minutes (Slack retries after ~1 and ~5 minutes). */
  ttlMs?: number;
  /** How many keys at most; the oldest go first. Default 10,000. */
  maxEntries?: number;
}

export class DeliveryDedup {
  private readonly seen = new Map<string, number>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: DeliveryDedupOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * Records the keys and says whether this delivery is new: false when any of them was seen within the
   * TTL (then nothing is recorded anew). Empty or missing keys are ignored.
   */
  firstTime(...keys: (string | null | undefined)[]): boolean {
    const now = this.clock.now().getTime();
    this.expire(now);
    const present = keys.filter((k): k is string => typeof k === 'string' && k.length > 0);
    if (present.some((k) => this.seen.has(k))) return false;
    for (const key of present) {
      this.seen.set(key, now + this.ttlMs);
      if (this.seen.size > this.maxEntries) {
        const oldest = this.seen.keys().next().value;
        if (oldest !== undefined) this.seen.delete(oldest);
      }
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    // Keys are kept in insertion order and share one TTL, so expired ones are at the front.
    for (const [key, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(key);
    }
  }
}
