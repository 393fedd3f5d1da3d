/** The only place that reads the environment. Every option has a documented default. */
import path from 'node:path';
import { ADMIN_POLICIES, type AdminPolicy } from '../bot/admin-rights';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../bot/rate-limit';
import { type ExecutorSettings, readExecutorSettings } from '../connectors/azure-automation/settings';
import { LOG_LEVELS, type LogLevel } from '../connectors/logging/logger';
import { DEFAULT_SLACK_API_URL, type SlackSettings } from '../connectors/slack/slack-settings';
import { retentionDaysOf, retentionProblem } from '../connectors/storage/retention';
import { DEFAULT_CARD_RETENTION_DAYS } from '../connectors/storage/sql-reference-store';
import { parseWeeklySchedule, type WeeklySchedule } from '../connectors/storage/weekly-summary';
import type { TeamsAuthSettings } from '../connectors/teams/auth';
import { DEFAULT_TEAMS_SERVICE_URL } from '../connectors/teams/technicians-channel';
import { readTicketSettings, type TicketSettings } from '../connectors/tickets/settings';
import { isLocale, type Locale } from '../rules/vocabulary';

export interface Config {
  /** WINFIX_LOCALE: locale used when neither the platform nor the message tells (default "en"). */
  defaultLocale: Locale;
  /**
   * WINFIX_EMPLOYEES_ARE_ADMINS: yes, no or ask (default ask: each user is asked once, when a plan has
   * steps that need administrator rights; those who cannot get them in the technician's part).
   */
  employeesAreAdmins: AdminPolicy;
  /** WINFIX_KB_DIR: the knowledge base folder (default: rules/kb in this checkout). */
  kbDir: string;
  /** WINFIX_SEEDS_DIR: the seed documents, for `kb check` (default: ../shared/seeds beside the checkout). */
  seedsDir: string;
  /** WINFIX_STORAGE / WINFIX_DATA_DIR / DATABASE_URL: where conversations and records are kept. */
  storage: StorageConfig;
  /** SLACK_*: the Slack connector; off when nothing is set (see connectors/slack/slack-settings.ts). */
  slack: SlackSettings;
  /** PORT: where `winfix serve` listens (default 3978, the Bot Framework convention; 0 picks a free port). */
  port: number;
  /** WINFIX_LOG_LEVEL: debug, info, warn or error (default info; message texts are logged at debug only). */
  logLevel: LogLevel;
  /** NODE_ENV is "production": the Agents SDK then refuses anonymous Teams requests, and so does `serve`. */
  production: boolean;
  /** WINFIX_TEAMS_APP_ID / _APP_PASSWORD / _TENANT_ID: the Teams bot's Entra app; anonymous when no app id. */
  teams: TeamsAuthSettings;
  /** Defaults of `winfix package teams` (the Teams app package); every one may be unset. */
  teamsPackage: TeamsPackageDefaults;
  /**
   * WINFIX_TEAMS_SERVICE_URL: the Bot Connector service URL used to reach the technicians' channel
   * before Teams has sent the bot anything from it (default https://smba.trafficmanager.net/teams/;
   * replaced by what Teams sends once the bot is added to a team).
   */
  teamsServiceUrl: string;
  /**
   * WINFIX_TEAMS_SERVICE_URLS: service URLs (comma-separated) accepted from Teams requests besides the
   * Bot Framework / Teams channel hosts (and loopback in anonymous mode). Default none.
   */
  teamsServiceUrls: string[];
  /**
   * WINFIX_HOST: the interface `serve` listens on (default: every interface with a Teams app id,
   * 127.0.0.1 in anonymous Teams mode, where nobody is authenticated). `--host` beats it.
   */
  host: string | null;
  /** WINFIX_EXECUTOR, AZURE_*, WINFIX_POLL_SECONDS: where approved runbook jobs run (default: dry run, nothing runs). */
  executor: ExecutorSettings;
  /** Who approves remote runs, where the cards go, how long requests wait (see RemoteConfig). */
  remote: RemoteConfig;
  /**
   * WINFIX_LEARN_MINIMUM: outcomes a step needs for a (code, context, OS family) before measured
   * success may move it in the employee's part (default 20; 0 or "off": the sources' order always).
   */
  learnMinimum: number;
  /**
   * WINFIX_WEEKLY_SUMMARY: when the weekly summary goes to the technicians' channels, "mon 09:00"
   * (day and time, UTC); default none (off). Needs durable storage.
   */
  weeklySummary: WeeklySchedule | null;
  /**
   * WINFIX_RATE_MESSAGES_PER_MINUTE (default 20) and WINFIX_RATE_RUNS_PER_HOUR (default 5): per-user
   * limits, per instance; 0 turns one off.
   */
  rateLimits: RateLimitSettings;
  /**
   * WINFIX_TICKETS (servicenow, webhook; default off), WINFIX_SERVICENOW_*, WINFIX_TICKET_WEBHOOK_*,
   * WINFIX_TICKET_RETENTION_DAYS: tickets on hand-off (see connectors/tickets/settings.ts). Needs
   * durable storage.
   */
  tickets: TicketSettings;
}

/** What `winfix package teams` fills the manifest with when no flag says otherwise (checked there). */
export interface TeamsPackageDefaults {
  /** WINFIX_TEAMS_PACKAGE_ID: the Teams app id (default: the bot id, WINFIX_TEAMS_APP_ID). */
  appId: string | null;
  /** WINFIX_TEAMS_DOMAIN: the bot's public host name, for validDomains and the default website. */
  domain: string | null;
  /** WINFIX_TEAMS_DEVELOPER_NAME (default "winfix"). */
  developerName: string | null;
  /** WINFIX_TEAMS_WEBSITE_URL (default https://<domain>/), _PRIVACY_URL and _TERMS_URL (default the website). */
  websiteUrl: string | null;
  privacyUrl: string | null;
  termsUrl: string | null;
}

/** Remote runs: the approval policy and where approval cards go. */
export interface RemoteConfig {
  /** WINFIX_TEAMS_TECHNICIANS / SLACK_TECHNICIANS: technicians per platform (ids or e-mails, comma-separated). */
  technicians: Record<string, string[]>;
  /** WINFIX_TEAMS_TECHNICIAN_CONVERSATION: the Teams conversation id of the technicians' channel (default none). */
  teamsTechnicianConversation: string | null;
  /** WINFIX_APPROVAL_MINUTES: how long a request waits for a decision, 1–1440 (default 30). */
  approvalMinutes: number;
  /** WINFIX_DIAGNOSTICS_WITHOUT_APPROVAL: read-only diagnostics start without a decision (default false). */
  diagnosticsWithoutApproval: boolean;
  /** WINFIX_RUNBOOKS_ALLOWED: runbooks that may run, comma-separated (default: every runbook in the catalog). */
  allowedRunbooks: string[] | null;
  /** WINFIX_TECHNICIAN_LOCALE: the language of approval cards and hand-off copies (default en). */
  technicianLocale: Locale;
}

/** PostgreSQL when DATABASE_URL is set, else PGlite in a folder; "memory" keeps nothing (demos, tests). */
export interface StorageConfig {
  /** WINFIX_STORAGE: pglite, postgres or memory (default: postgres when DATABASE_URL is set, else pglite). */
  kind: 'pglite' | 'postgres' | 'memory';
  /** WINFIX_DATA_DIR: PGlite's folder (default ./data, from the working directory). */
  dataDir: string;
  /** DATABASE_URL: PostgreSQL connection string, e.g. postgres://winfix@db:5432/winfix (default none). */
  databaseUrl: string | null;
  /** WINFIX_CARD_RETENTION_DAYS: a card not shown for this many days is forgotten, 1–3650 (default 90). */
  cardRetentionDays: number;
}

/** Where the code runs from: the checkout's root, or dist/ when compiled (`npm run build`, data copied). */
const ROOT = path.resolve(__dirname, '..');
/** The checkout or installation itself: dist/'s parent when compiled. */
const CHECKOUT = path.basename(ROOT) === 'dist' ? path.dirname(ROOT) : ROOT;

function readStorage(env: NodeJS.ProcessEnv): StorageConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  const kind = env.WINFIX_STORAGE?.trim() || (databaseUrl ? 'postgres' : 'pglite');
  if (kind !== 'pglite' && kind !== 'postgres' && kind !== 'memory')
    throw new Error(`WINFIX_STORAGE must be pglite, postgres or memory (got "${kind}")`);
  if (kind === 'postgres' && !databaseUrl) throw new Error('WINFIX_STORAGE=postgres needs DATABASE_URL');
  return {
    kind,
    dataDir: path.resolve(env.WINFIX_DATA_DIR?.trim() || 'data'),
    databaseUrl,
    cardRetentionDays: readDays(env, 'WINFIX_CARD_RETENTION_DAYS', DEFAULT_CARD_RETENTION_DAYS),
  };
}

function readDays(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = optional(env[name]) ?? String(fallback);
  const days = retentionDaysOf(raw);
  if (days === null) throw new Error(retentionProblem(name, raw));
  return days;
}

/** Empty or blank counts as unset. */
function optional(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function readSlack(env: NodeJS.ProcessEnv): SlackSettings {
  return {
    botToken: optional(env.SLACK_BOT_TOKEN),
    signingSecret: optional(env.SLACK_SIGNING_SECRET),
    appToken: optional(env.SLACK_APP_TOKEN),
    apiUrl: optional(env.SLACK_API_URL) ?? DEFAULT_SLACK_API_URL,
    technicians: (env.SLACK_TECHNICIANS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    technicianChannel: optional(env.SLACK_TECHNICIAN_CHANNEL),
  };
}

function readPort(env: NodeJS.ProcessEnv): number {
  const raw = optional(env.PORT) ?? '3978';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new Error(`PORT must be a port number 0–65535 (got "${raw}")`);
  return port;
}

function readLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (optional(env.WINFIX_LOG_LEVEL) ?? 'info').toLowerCase();
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new Error(`WINFIX_LOG_LEVEL must be debug, info, warn or error (got "${raw}")`);
  return level;
}

function readServiceUrl(env: NodeJS.ProcessEnv): string {
  const raw = optional(env.WINFIX_TEAMS_SERVICE_URL) ?? DEFAULT_TEAMS_SERVICE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`WINFIX_TEAMS_SERVICE_URL must be an http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`WINFIX_TEAMS_SERVICE_URL must be an http(s) URL (got "${raw}")`);
  return raw.endsWith('/') ? raw : `${raw}/`;
}

function readServiceUrls(env: NodeJS.ProcessEnv): string[] {
  return list(env.WINFIX_TEAMS_SERVICE_URLS).map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`WINFIX_TEAMS_SERVICE_URLS must list http(s) URLs, comma-separated (got "${raw}")`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error(`WINFIX_TEAMS_SERVICE_URLS must list http(s) URLs, comma-separated (got "${raw}")`);
    return raw;
  });
}

function readTeamsPackage(env: NodeJS.ProcessEnv): TeamsPackageDefaults {
  return {
    appId: optional(env.WINFIX_TEAMS_PACKAGE_ID),
    domain: optional(env.WINFIX_TEAMS_DOMAIN),
    developerName: optional(env.WINFIX_TEAMS_DEVELOPER_NAME),
    websiteUrl: optional(env.WINFIX_TEAMS_WEBSITE_URL),
    privacyUrl: optional(env.WINFIX_TEAMS_PRIVACY_URL),
    termsUrl: optional(env.WINFIX_TEAMS_TERMS_URL),
  };
}

function readTeams(env: NodeJS.ProcessEnv): TeamsAuthSettings {
  return {
    appId: optional(env.WINFIX_TEAMS_APP_ID),
    appPassword: optional(env.WINFIX_TEAMS_APP_PASSWORD),
    tenantId: optional(env.WINFIX_TEAMS_TENANT_ID),
    authority: null,
  };
}

/** The variables are picked here and validated by the executor's settings (AZURE_CLIENT_SECRET only from here). */
function readExecutor(env: NodeJS.ProcessEnv): ExecutorSettings {
  return readExecutorSettings({
    WINFIX_EXECUTOR: env.WINFIX_EXECUTOR,
    AZURE_SUBSCRIPTION_ID: env.AZURE_SUBSCRIPTION_ID,
    AZURE_RESOURCE_GROUP: env.AZURE_RESOURCE_GROUP,
    AZURE_AUTOMATION_ACCOUNT: env.AZURE_AUTOMATION_ACCOUNT,
    AZURE_ARM_ENDPOINT: env.AZURE_ARM_ENDPOINT,
    AZURE_AUTHORITY_HOST: env.AZURE_AUTHORITY_HOST,
    AZURE_TENANT_ID: env.AZURE_TENANT_ID,
    AZURE_CLIENT_ID: env.AZURE_CLIENT_ID,
    AZURE_CLIENT_SECRET: env.AZURE_CLIENT_SECRET,
    WINFIX_POLL_SECONDS: env.WINFIX_POLL_SECONDS,
  });
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function readRemote(env: NodeJS.ProcessEnv): RemoteConfig {
  const minutesRaw = optional(env.WINFIX_APPROVAL_MINUTES) ?? '30';
  const approvalMinutes = Number(minutesRaw);
  if (!/^\d+$/.test(minutesRaw) || approvalMinutes < 1 || approvalMinutes > 1440)
    throw new Error(`WINFIX_APPROVAL_MINUTES must be 1–1440 (got "${minutesRaw}")`);
  const flag = (optional(env.WINFIX_DIAGNOSTICS_WITHOUT_APPROVAL) ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(flag))
    throw new Error(`WINFIX_DIAGNOSTICS_WITHOUT_APPROVAL must be true or false (got "${flag}")`);
  const technicianLocale = optional(env.WINFIX_TECHNICIAN_LOCALE) ?? 'en';
  if (!isLocale(technicianLocale))
    throw new Error(`WINFIX_TECHNICIAN_LOCALE must be ja, en or ru (got "${technicianLocale}")`);
  const allowed = list(env.WINFIX_RUNBOOKS_ALLOWED);
  return {
    technicians: { teams: list(env.WINFIX_TEAMS_TECHNICIANS), slack: list(env.SLACK_TECHNICIANS) },
    teamsTechnicianConversation: optional(env.WINFIX_TEAMS_TECHNICIAN_CONVERSATION),
    approvalMinutes,
    diagnosticsWithoutApproval: ['true', '1', 'yes'].includes(flag),
    allowedRunbooks: allowed.length > 0 ? allowed : null,
    technicianLocale,
  };
}

export const DEFAULT_LEARN_MINIMUM = 20;

function readLearnMinimum(env: NodeJS.ProcessEnv): number {
  const raw = (optional(env.WINFIX_LEARN_MINIMUM) ?? String(DEFAULT_LEARN_MINIMUM)).toLowerCase();
  if (raw === 'off') return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 1_000_000)
    throw new Error(`WINFIX_LEARN_MINIMUM must be a whole number of outcomes, 0 or off (got "${raw}")`);
  return n;
}

function readRate(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = optional(env[name]) ?? String(fallback);
  if (!/^\d{1,6}$/.test(raw))
    throw new Error(`${name} must be a whole number ≥ 0, 0 for no limit (got "${raw}")`);
  return Number(raw);
}

function readRateLimits(env: NodeJS.ProcessEnv): RateLimitSettings {
  return {
    messagesPerMinute: readRate(
      env,
      'WINFIX_RATE_MESSAGES_PER_MINUTE',
      DEFAULT_RATE_LIMITS.messagesPerMinute,
    ),
    runsPerHour: readRate(env, 'WINFIX_RATE_RUNS_PER_HOUR', DEFAULT_RATE_LIMITS.runsPerHour),
  };
}

function readWeeklySummary(env: NodeJS.ProcessEnv): WeeklySchedule | null {
  const raw = optional(env.WINFIX_WEEKLY_SUMMARY);
  if (!raw || raw.toLowerCase() === 'off') return null;
  const schedule = parseWeeklySchedule(raw);
  if (!schedule)
    throw new Error(`WINFIX_WEEKLY_SUMMARY must be a day and a UTC time, e.g. "mon 09:00" (got "${raw}")`);
  return schedule;
}

function readAdminPolicy(env: NodeJS.ProcessEnv): AdminPolicy {
  const raw = (optional(env.WINFIX_EMPLOYEES_ARE_ADMINS) ?? 'ask').toLowerCase();
  const policy = ADMIN_POLICIES.find((p) => p === raw);
  if (!policy) throw new Error(`WINFIX_EMPLOYEES_ARE_ADMINS must be yes, no or ask (got "${raw}")`);
  return policy;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const locale = env.WINFIX_LOCALE ?? 'en';
  if (!isLocale(locale)) throw new Error(`WINFIX_LOCALE must be ja, en or ru (got "${locale}")`);
  return {
    defaultLocale: locale,
    employeesAreAdmins: readAdminPolicy(env),
    kbDir: path.resolve(env.WINFIX_KB_DIR ?? path.join(ROOT, 'rules', 'kb')),
    seedsDir: path.resolve(env.WINFIX_SEEDS_DIR ?? path.join(CHECKOUT, '..', 'shared', 'seeds')),
    storage: readStorage(env),
    slack: readSlack(env),
    port: readPort(env),
    logLevel: readLogLevel(env),
    production: (env.NODE_ENV ?? '').trim().toLowerCase() === 'production',
    teams: readTeams(env),
    teamsPackage: readTeamsPackage(env),
    teamsServiceUrl: readServiceUrl(env),
    teamsServiceUrls: readServiceUrls(env),
    host: optional(env.WINFIX_HOST),
    executor: readExecutor(env),
    remote: readRemote(env),
    learnMinimum: readLearnMinimum(env),
    weeklySummary: readWeeklySummary(env),
    rateLimits: readRateLimits(env),
    tickets: readTickets(env),
  };
}

/** The variables are picked here and checked by the ticket settings (secrets only from here). */
function readTickets(env: NodeJS.ProcessEnv): TicketSettings {
  return readTicketSettings({
    WINFIX_TICKETS: env.WINFIX_TICKETS,
    WINFIX_TICKET_RETENTION_DAYS: env.WINFIX_TICKET_RETENTION_DAYS,
    WINFIX_SERVICENOW_INSTANCE: env.WINFIX_SERVICENOW_INSTANCE,
    WINFIX_SERVICENOW_USER: env.WINFIX_SERVICENOW_USER,
    WINFIX_SERVICENOW_PASSWORD: env.WINFIX_SERVICENOW_PASSWORD,
    WINFIX_SERVICENOW_TOKEN: env.WINFIX_SERVICENOW_TOKEN,
    WINFIX_SERVICENOW_CATEGORY: env.WINFIX_SERVICENOW_CATEGORY,
    WINFIX_SERVICENOW_ASSIGNMENT_GROUP: env.WINFIX_SERVICENOW_ASSIGNMENT_GROUP,
    WINFIX_TICKET_WEBHOOK_URL: env.WINFIX_TICKET_WEBHOOK_URL,
    WINFIX_TICKET_WEBHOOK_SECRET: env.WINFIX_TICKET_WEBHOOK_SECRET,
  });
}
