/**
 * The user's Slack locale, name and e-mail, from `users.info` with `include_locale=true` (scope
 * `users:read`; the e-mail only when the app also has `users:read.email`, else Slack leaves it out).
 * Looked up once per user and kept for an hour. Without the scope (or on any error) all are unknown:
 * the core takes the language from the message itself, and matches enrollments and technicians by the
 * Slack user id alone. `missing_scope` stops the look-ups.
 */
import type { webApi } from '@slack/bolt';
import type { Clock } from '../../bot';
import type { ConnectorLogger } from './connector-logger';

export interface SlackProfile {
  locale: string | null;
  name: string | null;
  /** `profile.email`: only with the `users:read.email` scope. */
  email: string | null;
}

export interface UserProfilesOptions {
  clock: Clock;
  logger: ConnectorLogger;
  /** How long a profile is kept. Default one hour. */
  ttlMs?: number;
  /** How many profiles at most. Default 5,000. */
  maxEntries?: number;
}

const UNKNOWN: SlackProfile = { locale: null, name: null, email: null };

function errorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

export class UserProfiles {
  private readonly cache = new Map<string, { profile: SlackProfile; until: number }>();
  private scopeMissing = false;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: UserProfilesOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 5000;
  }

  async lookup(client: webApi.WebClient, userId: string): Promise<SlackProfile> {
    if (this.scopeMissing) return UNKNOWN;
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.profile;
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      const profile: SlackProfile = {
        locale: typeof user?.locale === 'string' && user.locale ? user.locale : null,
        name: user?.profile?.display_name || user?.real_name || user?.name || null,
        email: typeof user?.profile?.email === 'string' && user.profile.email ? user.profile.email : null,
      };
      this.remember(userId, profile, now);
      return profile;
    } catch (error) {
      if (errorCode(error) === 'missing_scope') {
        this.scopeMissing = true;
        this.options.logger.info('Slack: no users:read scope; the language is taken from what users write');
      } else {
        this.options.logger.warn(`Slack: users.info failed for ${userId}: ${(error as Error).message}`);
        // Do not ask again for every message while Slack has trouble.
        this.remember(userId, UNKNOWN, now - this.ttlMs + 60_000);
      }
      return UNKNOWN;
    }
  }

  private remember(userId: string, profile: SlackProfile, now: number): void {
    this.cache.delete(userId);
    this.cache.set(userId, { profile, until: now + this.ttlMs });
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
