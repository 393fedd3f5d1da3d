/**
 * Per-user rate limits: how many messages a user may send per minute and how many remote runs they may
 * request per hour. A sliding window per user (the times of their last accepted events), kept in memory
 * by each instance (decision 0015 says why). The clock is injected so tests control time.
 *
 * A refusal tells the caller whether it is the first one since the user's last accepted event, so the
 * user is told once, not once per message of a flood.
 */
import { type Clock, systemClock } from './clock';

export interface RateLimit {
  /** Events accepted per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

export type RateVerdict =
  | { ok: true }
  | {
      ok: false;
      /** When the next event would be accepted, in whole seconds from now (at least 1). */
      retryAfterSeconds: number;
      /** The first refusal since the last accepted event: the one to answer. */
      first: boolean;
    };

interface Window {
  times: number[];
  refused: boolean;
}

/** How many users are remembered before windows that have run out are forgotten. */
const PRUNE_AT = 10_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly rule: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {
    if (!Number.isInteger(rule.limit) || rule.limit < 0) throw new RangeError('limit must be an integer ≥ 0');
    if (!(rule.windowMs > 0)) throw new RangeError('windowMs must be > 0');
  }

  /** Counts one event for `key` when the limit allows it. */
  take(key: string): RateVerdict {
    if (this.rule.limit === 0) return { ok: true };
    const now = this.clock.now().getTime();
    const since = now - this.rule.windowMs;
    let window = this.windows.get(key);
    if (!window) {
      if (this.windows.size >= PRUNE_AT) this.prune(since);
      window = { times: [], refused: false };
      this.windows.set(key, window);
    }
    while (window.times.length > 0 && (window.times[0] as number) <= since) window.times.shift();
    if (window.times.length < this.rule.limit) {
      window.times.push(now);
      window.refused = false;
      return { ok: true };
    }
    const first = !window.refused;
    window.refused = true;
    const oldest = window.times[0] as number;
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.rule.windowMs - now) / 1000)),
      first,
    };
  }

  /** How many users are remembered (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }

  private prune(since: number): void {
    for (const [key, window] of this.windows) {
      const last = window.times[window.times.length - 1];
      if (last === undefined || last <= since) this.windows.delete(key);
    }
  }
}

/** The limits `createBot` applies; each can be off (limit 0). */
export interface RateLimitSettings {
  /** Messages and button presses per user per minute (not technicians' decisions, not system events). */
  messagesPerMinute: number;
  /** Remote-run requests per user per hour. */
  runsPerHour: number;
}

export interface RateLimits {
  messages: RateLimiter;
  runs: RateLimiter;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { messagesPerMinute: 20, runsPerHour: 5 };

export function createRateLimits(settings: RateLimitSettings, clock: Clock = systemClock): RateLimits {
  return {
    messages: new RateLimiter({ limit: settings.messagesPerMinute, windowMs: 60_000 }, clock),
    runs: new RateLimiter({ limit: settings.runsPerHour, windowMs: 3_600_000 }, clock),
  };
}

/** The key of one user on one platform. */
export const rateKey = (platform: string, userId: string) => `${platform}:${userId}`;
