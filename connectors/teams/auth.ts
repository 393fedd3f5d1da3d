/**
 * Bot Framework authentication settings for the Agents SDK. With an app id every request must carry a
 * valid Bot Framework / Entra token (authorizeJWT answers 401 otherwise); without one the SDK accepts
 * anonymous requests, but only outside NODE_ENV=production (it refuses anonymous mode there, and so
 * does `winfix serve`, before the SDK gets the chance).
 */
import type { AuthConfiguration } from '@microsoft/agents-hosting';
import { TeamsConfigError } from './errors';

export interface TeamsAuthSettings {
  /** The bot's Microsoft Entra app (client) id. null: anonymous (development only). */
  appId: string | null;
  /** The app's client secret, used to get tokens for replies. */
  appPassword?: string | null;
  /** The app's tenant (single-tenant bots). null: the SDK's default (botframework.com). */
  tenantId?: string | null;
  /** The Entra authority, default https://login.microsoftonline.com. Tests point it at a local JWKS. */
  authority?: string | null;
}

export const ANONYMOUS: TeamsAuthSettings = { appId: null };

export type AuthMode = 'anonymous' | 'app-id';

export function authMode(settings: TeamsAuthSettings): AuthMode {
  return settings.appId ? 'app-id' : 'anonymous';
}

/** Refuses settings the SDK would refuse, with a message that says what to set. */
export function checkAuthSettings(settings: TeamsAuthSettings, production: boolean): void {
  if (!settings.appId && production)
    throw new TeamsConfigError(
      'NODE_ENV=production and no WINFIX_TEAMS_APP_ID: the Agents SDK refuses anonymous (unauthenticated) ' +
        'requests in production. Set WINFIX_TEAMS_APP_ID, WINFIX_TEAMS_APP_PASSWORD and WINFIX_TEAMS_TENANT_ID.',
    );
}

/** One line for the startup log. */
export function describeAuth(settings: TeamsAuthSettings): string {
  if (!settings.appId)
    return (
      'auth: ANONYMOUS — no WINFIX_TEAMS_APP_ID, so requests are accepted without a token. ' +
      'For local development and the Bot Framework Emulator only; refused when NODE_ENV=production.'
    );
  const tenant = settings.tenantId ? `tenant ${settings.tenantId}` : 'multi-tenant (botframework.com)';
  const secret = settings.appPassword ? 'client secret set' : 'NO client secret: replies will fail';
  return `auth: Bot Framework tokens required for app ${settings.appId}, ${tenant}, ${secret}`;
}

/**
 * The SDK configuration. Every key is given (undefined when unset) so that the SDK's own fallbacks to
 * environment variables (`clientId`, `tenantId` …) cannot switch the mode behind our back.
 */
export function authConfiguration(settings: TeamsAuthSettings): AuthConfiguration {
  return {
    clientId: settings.appId ?? undefined,
    clientSecret: settings.appPassword ?? undefined,
    tenantId: settings.tenantId ?? undefined,
    authorityEndpoint: settings.authority ?? undefined,
    // Check the token's issuer too, not only its signature and audience.
    validateIssuer: settings.appId ? true : undefined,
  };
}
