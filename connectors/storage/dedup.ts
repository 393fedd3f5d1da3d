/**
 * Duplicate detection for chat deliveries (a retried Slack event, the same message under two events, a
 * button press delivered twice, a Teams activity posted again): `firstTime(...keys)` says whether a
 * delivery is new and takes its keys in the same step.
 *
 * - `SqlSeenDeliveries` keeps the keys in the `delivery_keys` table, so every instance on one database
 *   shares them: one INSERT … ON CONFLICT per delivery, and only the instance whose insert took every
 *   key handles it. A key lives for a TTL; the conflict clause takes over an expired row atomically,
 *   and expired rows are purged now and then.
 * - `MemorySeenDeliveries` is the same in one process's memory (bounded), for WINFIX_STORAGE=memory.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../bot';
import { type StorageLog, silentLog } from './bad-rows';
import type { Queryable } from './sql';

/** What a connector asks before handling a delivery. */
export interface SeenDeliveries {
  /**
   * True when none of the keys was taken within the TTL: the delivery is new, and its keys are taken
   * now. False when any of them was (a duplicate: change nothing). Empty or missing keys are ignored;
   * with no key at all the delivery counts as new.
   */
  firstTime(...keys: (string | null | undefined)[]): boolean | Promise<boolean>;
}

/** Slack retries after about 1 and 5 minutes; the Bot Framework within seconds. */
export const DEFAULT_DELIVERY_TTL_MS = 15 * 60_000;

/** Keys longer than this are stored as their SHA-256, so a delivery cannot grow the index without bound. */
const MAX_KEY_LENGTH = 200;

function presentKeys(keys: (string | null | undefined)[], prefix = ''): string[] {
  const present = keys.filter((k): k is string => typeof k === 'string' && k.length > 0);
  const stored = present
    .map((key) => `${prefix}${key}`)
    .map((k) => (k.length > MAX_KEY_LENGTH ? `sha256:${createHash('sha256').update(k).digest('hex')}` : k));
  // Sorted: concurrent inserts of overlapping key sets take their row locks in one order (no deadlock).
  return [...new Set(stored)].sort();
}

export interface SqlSeenDeliveriesOptions {
  clock: Clock;
  /** How long a key is remembered. Default 15 minutes. */
  ttlMs?: number;
  /** Expired rows are deleted at most this often per instance (on a delivery). Default 1 minute. */
  purgeEveryMs?: number;
  /** Where a failed check is reported. Default: silent. */
  log?: StorageLog;
  /** Put before every key ("slack", "teams"), so platforms sharing the table never collide. Default: none. */
  namespace?: string;
}

export class SqlSeenDeliveries implements SeenDeliveries {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly purgeEveryMs: number;
  private readonly log: StorageLog;
  private readonly prefix: string;
  private nextPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Queryable,
    options: SqlSeenDeliveriesOptions,
  ) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_DELIVERY_TTL_MS;
    this.purgeEveryMs = options.purgeEveryMs ?? 60_000;
    this.log = options.log ?? silentLog;
    this.prefix = options.namespace ? `${options.namespace}:` : '';
  }

  /**
   * When the database cannot be asked, the delivery is handled (and the failure logged): answering a
   * retry twice is better than leaving the user without an answer.
   */
  async firstTime(...keys: (string | null | undefined)[]): Promise<boolean> {
    const present = presentKeys(keys, this.prefix);
    if (present.length === 0) return true;
    const now = this.clock.now();
    try {
      if (now.getTime() >= this.nextPurgeAt) {
        this.nextPurgeAt = now.getTime() + this.purgeEveryMs;
        await this.purgeExpired(now);
      }
      const { rows } = await this.db.query<{ key: string }>(
        `INSERT INTO delivery_keys (key, seen_at, expires_at)
         SELECT k, $2, $3 FROM unnest($1::text[]) AS k
         ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at
           WHERE delivery_keys.expires_at <= excluded.seen_at
         RETURNING key`,
        [present, now, new Date(now.getTime() + this.ttlMs)],
      );
      return rows.length === present.length;
    } catch (error) {
      this.log.warn(
        `duplicate check failed, handling the delivery anyway (${present[0]}): ${(error as Error).message}`,
      );
      return true;
    }
  }

  /** Deletes the keys whose TTL has passed; returns how many. */
  async purgeExpired(now: Date = this.clock.now()): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM delivery_keys WHERE expires_at <= $1', [now]);
    return rowCount;
  }
}

export interface MemorySeenDeliveriesOptions {
  clock: Clock;
  /** How long a key is remembered. Default 15 minutes. */
  ttlMs?: number;
  /** How many keys at most; the oldest go first. Default 10,000. */
  maxEntries?: number;
}

/** The same in one process's memory, bounded: for running without a database. */
export class MemorySeenDeliveries implements SeenDeliveries {
  private readonly seen = new Map<string, number>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: MemorySeenDeliveriesOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_DELIVERY_TTL_MS;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  firstTime(...keys: (string | null | undefined)[]): boolean {
    const now = this.clock.now().getTime();
    this.expire(now);
    const present = presentKeys(keys);
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
