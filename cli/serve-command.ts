/**
 * `winfix serve [--port N] [--host H]`: the Teams bot over HTTP (POST /api/messages, GET /healthz,
 * GET /readyz), and
 * Slack when configured (Socket Mode, or HTTP mode at POST /slack/events on the same server).
 * Composition root: knowledge → storage (conversations and references: PGlite, PostgreSQL or memory,
 * as configured) → bot → connectors → the app (connectors/app: one HTTP server with every connector's
 * routes, /healthz and /readyz with its named readiness checks). Runs until SIGINT/SIGTERM (or
 * `options.signal`), then closes the server, waits for late replies, and closes the storage.
 */
import { parseArgs } from 'node:util';
import type { Connections } from '@microsoft/agents-hosting';
import {
  type Bot,
  createBot,
  InMemoryConversationStore,
  InMemoryReferenceStore,
  type ReferenceStore,
} from '../bot';
import { createApp } from '../connectors/app/app';
import { createLogger, requestContext, type WinfixLogger, withTurnLogging } from '../connectors/logging';
import type { SlackConnector } from '../connectors/slack';
import { decideSlackMode } from '../connectors/slack/slack-settings';
import { describeUrl, storageReadiness } from '../connectors/storage';
import { type SeenDeliveries, SqlSeenDeliveries } from '../connectors/storage/dedup';
import { createTeamsService, describeAuth, TeamsNotifier } from '../connectors/teams';
import { createKnowledge } from '../rules/knowledge';
import { ANONYMOUS_AZURE_SLACK_ONLY, anonymousRunsVerdict, withoutTeamsRuns } from './anonymous-teams';
import type { Config } from './config';
import { configProblems, runsForReal } from './config-check';
import { EXIT, type Io } from './io';
import { configuredLearning } from './learning';
import { openConfiguredStorage } from './open-storage';
import { type RemoteWiring, type RemoteWiringOptions, wireRemote } from './remote-wiring';
import { type TicketWiring, type TicketWiringOptions, wireTickets } from './ticket-wiring';
import { startWeeklySummary, type WeeklySummaryHooks } from './weekly-summary-wiring';

const USAGE = 'usage: winfix serve [--port N] [--host H]   (PORT, default 3978; see .env.example)';

export interface ServeOptions {
  /** Stops the server when aborted. Default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Called with the base URL once listening. */
  onListening?: (url: string) => void;
  /** Test hooks for remote runs (a fake credential for the fake ARM, faster rounds). */
  remote?: RemoteWiringOptions;
  /** Test hooks for Teams: a local Entra authority (its JWKS) and token providers for replies. */
  teams?: { authority?: string; connections?: Connections };
  /** Test hooks for the weekly summary (its clock, time between rounds). */
  weeklySummary?: WeeklySummaryHooks;
  /** Test hooks for tickets on hand-off (HTTP client, rounds, backoff). */
  tickets?: TicketWiringOptions;
}

/** The server's JSON log on `io.err`, scrubbed of every configured secret (see connectors/logging). */
function serverLog(config: Config, io: Io): WinfixLogger {
  const database = config.storage.databaseUrl ? safeUrlPassword(config.storage.databaseUrl) : null;
  return createLogger({
    level: config.logLevel,
    write: (line) => io.err(line),
    secrets: [
      config.teams.appPassword,
      config.slack.botToken,
      config.slack.signingSecret,
      config.slack.appToken,
      config.executor.clientSecret?.reveal(),
      config.tickets.servicenow.password?.reveal(),
      config.tickets.servicenow.token?.reveal(),
      config.tickets.webhook.secret?.reveal(),
      database,
    ],
  });
}

function safeUrlPassword(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

function describeStorage(config: Config): string {
  const { kind, dataDir, databaseUrl } = config.storage;
  if (kind === 'memory') return 'memory (WINFIX_STORAGE=memory: lost on restart)';
  if (kind === 'postgres') return `PostgreSQL at ${describeUrl(databaseUrl ?? '')}`;
  return `PGlite in ${dataDir}`;
}

function describeRemote(config: Config, remote: RemoteWiring | null): string {
  if (!remote) return 'remote runs are off: WINFIX_STORAGE=memory keeps no approvals or jobs';
  const who = Object.entries(config.remote.technicians)
    .map(([platform, ids]) => `${ids.length} ${platform}`)
    .join(', ');
  const runs = remote.executor.dryRun
    ? 'dry run (nothing runs; WINFIX_EXECUTOR=azure to run jobs)'
    : 'Azure Automation';
  return `remote runs: ${runs}; technicians: ${who}; requests lapse after ${config.remote.approvalMinutes} min`;
}

function untilSignal(signal: AbortSignal | undefined): Promise<void> {
  if (signal) {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Slack next to Teams on the same bot and storage: Socket Mode or HTTP mode (`/slack/events` on this
 * server), or off with one log line. Bolt is loaded only when Slack is configured.
 */
async function startSlack(
  config: Config,
  parts: { bot: Bot; references: ReferenceStore; log: WinfixLogger; seen?: SeenDeliveries },
): Promise<SlackConnector | null> {
  const decision = decideSlackMode(config.slack);
  parts.log.info(decision.reason);
  if (decision.mode === 'off') return null;
  const { createSlackConnector } = require('../connectors/slack') as typeof import('../connectors/slack');
  const slack = createSlackConnector({
    bot: parts.bot,
    config: config.slack,
    references: parts.references,
    ...(parts.seen ? { seen: parts.seen } : {}),
    logger: parts.log,
    defaultLocale: config.defaultLocale,
  });
  await slack.start();
  return slack;
}

export async function serveCommand(
  args: string[],
  config: Config,
  io: Io,
  options: ServeOptions = {},
): Promise<number> {
  let port = config.port;
  let host: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } } });
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d+$/.test(values.port) || port > 65535)
        throw new Error(`--port must be 0–65535 (got "${values.port}")`);
    }
    host = values.host ?? config.host ?? undefined;
  } catch (error) {
    io.err(`winfix serve: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const log = serverLog(config, io);
  // Incomplete or contradictory settings (cli/config-check.ts): refuse, naming every one of them.
  const problems = configProblems(config);
  if (problems.length > 0) {
    for (const problem of problems) log.error(`winfix serve: refusing to start: ${problem}`);
    log.error('winfix serve: `winfix config check` shows the effective configuration');
    return EXIT.problems;
  }

  // A real executor behind an unauthenticated Teams endpoint with Slack beside it: runs for Slack only
  // (decision 0014; without Slack, configProblems above refused to start).
  const runsVerdict = anonymousRunsVerdict({
    anonymousTeams: !config.teams.appId,
    dryRun: !runsForReal(config),
    slack: decideSlackMode(config.slack).mode !== 'off',
  });

  // Storage warnings (written as "winfix: …" lines) go to the same JSON log.
  const storageIo: Io = { out: io.out, err: (text) => log.warn(text.replace(/^winfix: /, '')) };
  const storage = await openConfiguredStorage(config, storageIo);
  let remote: RemoteWiring | null = null;
  let weekly: ReturnType<typeof startWeeklySummary> = null;
  let tickets: TicketWiring | null = null;
  try {
    const knowledge = createKnowledge(config.kbDir);
    remote = storage ? await wireRemote(config, storage, knowledge.kb, log, options.remote) : null;
    // Tickets on hand-off: the outbox lives in storage; the employee and the technicians are reached
    // through the same platform notifiers as remote runs (registered below).
    tickets = storage && remote ? wireTickets(config, storage, remote.notifier, log, options.tickets) : null;
    const bot = createBot({
      knowledge,
      store: storage?.conversations ?? new InMemoryConversationStore(),
      defaultLocale: config.defaultLocale,
      technicianLocale: config.remote.technicianLocale,
      employeesAreAdmins: config.employeesAreAdmins,
      rateLimits: config.rateLimits,
      ...(remote
        ? {
            remote:
              runsVerdict === 'slack-only'
                ? withoutTeamsRuns(remote.runs, (message) => log.warn(message))
                : remote.runs,
          }
        : {}),
      learning: configuredLearning(config, storage),
      ...(tickets ? { tickets: { system: tickets.system.kind } } : {}),
    });
    if (remote && runsVerdict === 'slack-only') log.info(`winfix serve: ${ANONYMOUS_AZURE_SLACK_ONLY}`);
    remote?.attach(bot);
    tickets?.outbox.attach(bot);
    const references = storage?.references ?? new InMemoryReferenceStore();
    const technicians = config.remote.teamsTechnicianConversation;
    // Duplicate detection in the database, shared by every instance on it (memory storage: per process).
    const seen = (namespace: string) =>
      storage ? new SqlSeenDeliveries(storage.db, { clock: storage.clock, log, namespace }) : undefined;
    // Connectors see the bot through this: each turn puts its conversation id on the log lines.
    const loggedBot = withTurnLogging(bot, log);
    // One HTTP server for every connector; each adds its routes and readiness check when mounted.
    const app = createApp({ log });
    const service = createTeamsService({
      app,
      defaultLocale: config.defaultLocale,
      bot: loggedBot,
      references,
      seen: seen('teams'),
      serviceUrls: config.teamsServiceUrls,
      // GET /readyz asks the database too: does it answer, is its schema this code's.
      readinessChecks: storage ? storageReadiness(storage.db) : [],
      auth: options.teams?.authority ? { ...config.teams, authority: options.teams.authority } : config.teams,
      ...(options.teams?.connections ? { connections: options.teams.connections } : {}),
      log,
      technicians: technicians
        ? {
            conversationId: technicians,
            tenantId: config.teams.tenantId,
            serviceUrl: config.teamsServiceUrl,
            technicianIds: config.remote.technicians.teams ?? [],
          }
        : null,
    });
    const slack = await startSlack(config, { bot: loggedBot, references, log, seen: seen('slack') });
    if (config.weeklySummary && !storage)
      log.warn('winfix serve: WINFIX_WEEKLY_SUMMARY needs durable storage (not memory); no weekly summary');
    weekly = storage
      ? startWeeklySummary(config, storage, {
          kb: knowledge.kb,
          teams: service.connector.technicians,
          slack: slack?.notifier ?? null,
          ...(options.weeklySummary ? { hooks: options.weeklySummary } : {}),
        })
      : null;
    if (remote) {
      remote.notifier.register(
        'teams',
        new TeamsNotifier({
          connector: service.connector,
          technicians: service.connector.technicians,
          log,
        }),
      );
      if (slack?.notifier) remote.notifier.register('slack', slack.notifier);
      remote.start();
    }
    log.info(`winfix serve: ${describeRemote(config, remote)}`);
    // Sends what hand-offs wrote, now (jobs left by a stopped instance) and every few seconds.
    tickets?.outbox.start();
    log.info(
      tickets
        ? `winfix serve: tickets on hand-off go to ${tickets.system.kind}`
        : 'winfix serve: tickets on hand-off are off (WINFIX_TICKETS)',
    );
    // Every request gets a request id on its log lines (and in the X-Request-Id response header).
    app.server.pre(requestContext(log));
    try {
      // Slack in HTTP mode serves POST /slack/events on the same server; in Socket Mode it has no route.
      for (const route of slack?.routes ?? []) app.mount(route);
      if (slack) app.addCheck({ name: 'slack', check: () => slack.readiness() });
      // Anonymous Teams mode authenticates nobody: unless told otherwise, only this machine may talk to it.
      const anonymous = !config.teams.appId;
      const url = await app.listen(port, host ?? (anonymous ? '127.0.0.1' : undefined));
      if (anonymous && host === undefined)
        log.info(
          'winfix serve: anonymous Teams mode (no WINFIX_TEAMS_APP_ID) listens on 127.0.0.1 only; set WINFIX_HOST or --host to listen elsewhere',
        );
      log.info(`winfix serve: listening on ${url} (POST /api/messages, GET /healthz, GET /readyz)`);
      log.info(`winfix serve: ${describeAuth(config.teams)}`);
      log.info(`winfix serve: conversations and references are kept in ${describeStorage(config)}`);
      options.onListening?.(url);
      await untilSignal(options.signal);
      log.info('winfix serve: stopping');
      await app.close();
      await service.connector.stop();
    } finally {
      await slack?.stop();
    }
  } finally {
    await tickets?.outbox.stop();
    weekly?.stop();
    await remote?.stop();
    await storage?.close();
  }
  return EXIT.ok;
}
