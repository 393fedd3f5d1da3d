/** The Teams connector's public surface: the connector, its HTTP server, and one call that wires both. */
import type { App, Readiness } from '../app/app';
import { authMode } from './auth';
import {
  createTeamsHttpServer,
  type TeamsHttpOptions,
  type TeamsHttpServer,
  teamsMessagesRoute,
  teamsReadinessCheck,
} from './http-server';
import { ServiceUrlPolicy } from './service-urls';
import { TeamsConnector, type TeamsConnectorOptions } from './teams-connector';

export { type AuthMode, authMode, checkAuthSettings, describeAuth, type TeamsAuthSettings } from './auth';
export * from './errors';
export {
  createTeamsHttpServer,
  type Readiness,
  type TeamsHttpOptions,
  type TeamsHttpServer,
  teamsMessagesRoute,
} from './http-server';
export { PLATFORM } from './incoming';
export { stderrLog, type TeamsLog } from './log';
export { DEFAULT_SERVICE_HOSTS, escapedForLog, ServiceUrlPolicy } from './service-urls';
export { type ProactiveResult, TeamsConnector, type TeamsConnectorOptions } from './teams-connector';
export { TeamsNotifier, type TeamsNotifierOptions } from './teams-notifier';
export {
  DEFAULT_TEAMS_SERVICE_URL,
  type TechnicianPost,
  TechniciansChannel,
  type TechniciansChannelSettings,
  type TechniciansReadiness,
} from './technicians-channel';

export interface TeamsService {
  connector: TeamsConnector;
  /** The app serving the Teams route (the one passed in, or one of its own). */
  http: TeamsHttpServer;
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Closes the server, then waits for turns still sending proactively. */
  close(): Promise<void>;
}

/** One more thing /readyz asks (the database, its migrations …): named in the body, 503 when not ok. */
export interface ReadinessCheck {
  name: string;
  run(): Promise<{ ok: boolean; code?: string; reason?: string; [detail: string]: unknown }>;
}

export type TeamsServiceOptions = TeamsConnectorOptions &
  Pick<TeamsHttpOptions, 'maxBodyBytes' | 'closeGraceMs'> & {
    /**
     * Checks /readyz runs besides the technicians' channel, given by the composition root (the
     * database's from cli/serve-command.ts). Each appears under `checks` by name. Default none.
     */
    readinessChecks?: readonly ReadinessCheck[];
    /**
     * WINFIX_TEAMS_SERVICE_URLS: service URLs allowed besides the Bot Framework / Teams hosts (and
     * loopback in anonymous mode). Default none.
     */
    serviceUrls?: readonly string[];
    /**
     * The app to mount POST /api/messages on (with the Teams health fields and readiness check).
     * Default: an app of its own (createTeamsHttpServer).
     */
    app?: App;
  };

export function createTeamsService(options: TeamsServiceOptions): TeamsService {
  const connector = new TeamsConnector(options);
  const mode = authMode(options.auth ?? { appId: null });
  const serviceUrls = new ServiceUrlPolicy({
    anonymous: mode === 'anonymous',
    extra: options.serviceUrls ?? [],
  });
  const route = {
    adapter: connector.adapter,
    onTurn: connector.onTurn,
    log: options.log,
    serviceUrls,
    requireServiceUrlClaim: mode === 'app-id',
    maxBodyBytes: options.maxBodyBytes,
  };
  const health = () => ({ auth: mode });
  // The technicians' channel and the composition root's checks (the database's), as one named check.
  const readiness = async (): Promise<Readiness> => {
    const [technicians, checks] = await Promise.all([
      connector.technicians?.readiness(),
      runChecks(options.readinessChecks ?? []),
    ]);
    const failed = checks ? Object.values(checks).find((c) => !c.ok) : undefined;
    const named = checks ? { checks } : {};
    if (!technicians)
      return failed
        ? {
            ready: false,
            code: failed.code,
            reason: failed.reason,
            technicians: 'not configured',
            ...named,
          }
        : { ready: true, technicians: 'not configured', ...named };
    const { ready, ...detail } = technicians;
    if (ready)
      return failed
        ? { ready: false, code: failed.code, reason: failed.reason, technicians: detail, ...named }
        : { ready, technicians: detail, ...named };
    return {
      ready,
      code: 'winfix_teams_technicians_unreachable',
      reason:
        detail.status === 'no-reference'
          ? "technicians' channel unreachable: no conversation reference stored and nothing delivered there yet (add the bot to the technicians' team)"
          : "technicians' channel unreachable: the last post there failed; kept messages are posted once the bot is in the team",
      technicians: detail,
      ...named,
    };
  };
  let http: TeamsHttpServer;
  if (options.app) {
    const app = options.app;
    app.mount(teamsMessagesRoute(route));
    app.addHealth(health);
    app.addCheck(teamsReadinessCheck(readiness));
    http = {
      server: app.server,
      app,
      listen: (port, host) => app.listen(port, host),
      close: () => app.close(),
    };
  } else http = createTeamsHttpServer({ ...route, closeGraceMs: options.closeGraceMs, health, readiness });
  return {
    connector,
    http,
    listen: (port, host) => http.listen(port, host),
    async close() {
      await http.close();
      await connector.idle();
    },
  };
}

/** Runs the checks side by side; a check that throws counts as failed. Null when there are none. */
async function runChecks(
  checks: readonly ReadinessCheck[],
): Promise<Record<string, Awaited<ReturnType<ReadinessCheck['run']>>> | null> {
  if (checks.length === 0) return null;
  const outcomes = await Promise.all(
    checks.map(async (check) => {
      try {
        return [check.name, await check.run()] as const;
      } catch (error) {
        const reason = `${check.name}: ${(error as Error).message}`;
        return [check.name, { ok: false, code: 'winfix_readiness_check_failed', reason }] as const;
      }
    }),
  );
  return Object.fromEntries(outcomes);
}
