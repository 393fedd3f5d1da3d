/**
 * Where the connector may send replies. An activity's `serviceUrl` is where the bot POSTs its answers,
 * so an attacker who can reach /api/messages could otherwise make the bot POST to any host (a cloud
 * metadata address, an internal service). The policy allows:
 * - the Bot Framework / Teams channel hosts (https only): the public Teams endpoint
 *   smba.trafficmanager.net, the government clouds' smba.infra.*.teams.microsoft.{com,us}, and
 *   botframework.com and its subdomains (Web Chat, Direct Line, the Emulator's channel);
 * - loopback (http or https, any port) in anonymous mode only (the Bot Framework Emulator, local tests);
 * - every URL given in WINFIX_TEAMS_SERVICE_URLS: same scheme, host and port, path under the given one.
 * With an app id, the activity's serviceUrl must also equal the `serviceurl` claim of the caller's
 * token (as the Bot Framework requires of channel tokens).
 */

/** Hosts (and their subdomains) of the Bot Framework channels and Teams' Bot Connector service. */
export const DEFAULT_SERVICE_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  'botframework.com',
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface ServiceUrlPolicyOptions {
  /** Anonymous mode (no app id): loopback is allowed too. */
  anonymous: boolean;
  /** WINFIX_TEAMS_SERVICE_URLS: further allowed URL prefixes. Default none. */
  extra?: readonly string[];
}

export type ServiceUrlVerdict = { ok: true } | { ok: false; reason: string };

/** A value as it may be written to a log line: quoted, control characters escaped, at most 200 characters. */
export function escapedForLog(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const withSlash = (path: string) => (path.endsWith('/') ? path : `${path}/`);

/** Two service URLs name the same endpoint: case-insensitive scheme and host, a trailing slash aside. */
export function sameServiceUrl(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  return Boolean(x && y && x.origin === y.origin && withSlash(x.pathname) === withSlash(y.pathname));
}

export class ServiceUrlPolicy {
  private readonly extra: URL[];

  constructor(private readonly options: ServiceUrlPolicyOptions) {
    this.extra = (options.extra ?? []).map((raw) => {
      const url = parse(raw);
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
        throw new Error(`not an http(s) URL: ${escapedForLog(raw)}`);
      return url;
    });
  }

  /** Whether replies may go to `serviceUrl`; with `claim` (the token's serviceurl), it must match too. */
  check(serviceUrl: string, claim?: string | null): ServiceUrlVerdict {
    const url = parse(serviceUrl);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      return { ok: false, reason: 'serviceUrl is not an http(s) URL' };
    if (url.username || url.password) return { ok: false, reason: 'serviceUrl carries credentials' };
    if (!this.allowed(url))
      return {
        ok: false,
        reason:
          'serviceUrl is not a Bot Framework or Teams channel host (WINFIX_TEAMS_SERVICE_URLS adds more)',
      };
    if (claim !== undefined && (claim === null || !sameServiceUrl(claim, serviceUrl)))
      return {
        ok: false,
        reason:
          claim === null
            ? 'the token has no serviceurl claim'
            : "serviceUrl differs from the token's serviceurl claim",
      };
    return { ok: true };
  }

  private allowed(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    if (
      url.protocol === 'https:' &&
      url.port === '' &&
      DEFAULT_SERVICE_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))
    )
      return true;
    if (this.options.anonymous && LOOPBACK_HOSTS.has(host)) return true;
    return this.extra.some(
      (allowed) =>
        allowed.origin === url.origin && withSlash(url.pathname).startsWith(withSlash(allowed.pathname)),
    );
  }
}
