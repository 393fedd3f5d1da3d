/**
 * `winfix config check [--json]`: the effective configuration (secrets shown only as set or unset) and
 * every problem `winfix serve` would refuse to start on. Exit 0 when there is none, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { type Config, readConfig } from './config';
import { configProblems } from './config-check';
import { EXIT, type Io } from './io';

const USAGE = 'usage: winfix config check [--json]';

const secret = (value: unknown): string => (value ? 'set' : 'unset');
const orNone = (value: string | null): string => value ?? '(none)';
const names = (ids: string[] | undefined): string => (ids && ids.length > 0 ? ids.join(', ') : '(none)');

/** Name → shown value; no secret value ever appears. */
export function effectiveConfig(config: Config): Record<string, string> {
  const { storage, teams, slack, executor, remote } = config;
  return {
    NODE_ENV: config.production ? 'production' : '(not production)',
    WINFIX_LOCALE: config.defaultLocale,
    WINFIX_TECHNICIAN_LOCALE: remote.technicianLocale,
    WINFIX_EMPLOYEES_ARE_ADMINS: config.employeesAreAdmins,
    WINFIX_LEARN_MINIMUM: config.learnMinimum > 0 ? String(config.learnMinimum) : 'off',
    WINFIX_WEEKLY_SUMMARY: config.weeklySummary
      ? `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][config.weeklySummary.day]} ${String(Math.floor(config.weeklySummary.minute / 60)).padStart(2, '0')}:${String(config.weeklySummary.minute % 60).padStart(2, '0')} UTC`
      : '(off)',
    WINFIX_KB_DIR: config.kbDir,
    WINFIX_LOG_LEVEL: config.logLevel,
    PORT: String(config.port),
    WINFIX_HOST: config.host ?? (teams.appId ? '(every interface)' : '127.0.0.1 (anonymous Teams mode)'),
    WINFIX_STORAGE: storage.kind,
    WINFIX_DATA_DIR: storage.kind === 'pglite' ? storage.dataDir : '(not used)',
    DATABASE_URL: secret(storage.databaseUrl),
    WINFIX_CARD_RETENTION_DAYS:
      storage.kind === 'memory' ? '(not used)' : `${storage.cardRetentionDays} days`,
    WINFIX_TEAMS_APP_ID: teams.appId ?? '(none: anonymous Teams mode)',
    WINFIX_TEAMS_APP_PASSWORD: secret(teams.appPassword),
    WINFIX_TEAMS_TENANT_ID: teams.tenantId ?? '(none)',
    WINFIX_TEAMS_SERVICE_URL: config.teamsServiceUrl,
    WINFIX_TEAMS_SERVICE_URLS: names(config.teamsServiceUrls),
    WINFIX_TEAMS_TECHNICIANS: names(remote.technicians.teams),
    WINFIX_TEAMS_TECHNICIAN_CONVERSATION: orNone(remote.teamsTechnicianConversation),
    SLACK_BOT_TOKEN: secret(slack.botToken),
    SLACK_SIGNING_SECRET: secret(slack.signingSecret),
    SLACK_APP_TOKEN: secret(slack.appToken),
    SLACK_API_URL: slack.apiUrl,
    SLACK_TECHNICIANS: names(slack.technicians),
    SLACK_TECHNICIAN_CHANNEL: orNone(slack.technicianChannel),
    WINFIX_EXECUTOR: executor.kind,
    AZURE_SUBSCRIPTION_ID: orNone(executor.subscriptionId),
    AZURE_RESOURCE_GROUP: orNone(executor.resourceGroup),
    AZURE_AUTOMATION_ACCOUNT: orNone(executor.automationAccount),
    AZURE_CLIENT_ID: orNone(executor.clientId),
    AZURE_CLIENT_SECRET: secret(executor.clientSecret),
    WINFIX_APPROVAL_MINUTES: String(remote.approvalMinutes),
    WINFIX_DIAGNOSTICS_WITHOUT_APPROVAL: String(remote.diagnosticsWithoutApproval),
    WINFIX_RUNBOOKS_ALLOWED: remote.allowedRunbooks ? names(remote.allowedRunbooks) : '(every runbook)',
    WINFIX_TICKETS: config.tickets.system ?? '(off)',
    WINFIX_TICKET_RETENTION_DAYS: `${config.tickets.retentionDays} days`,
    WINFIX_SERVICENOW_INSTANCE: orNone(config.tickets.servicenow.instance),
    WINFIX_SERVICENOW_USER: orNone(config.tickets.servicenow.user),
    WINFIX_SERVICENOW_PASSWORD: secret(config.tickets.servicenow.password),
    WINFIX_SERVICENOW_TOKEN: secret(config.tickets.servicenow.token),
    WINFIX_SERVICENOW_CATEGORY: config.tickets.servicenow.category,
    WINFIX_SERVICENOW_ASSIGNMENT_GROUP: orNone(config.tickets.servicenow.assignmentGroup),
    WINFIX_TICKET_WEBHOOK_URL: orNone(config.tickets.webhook.url),
    WINFIX_TICKET_WEBHOOK_SECRET: secret(config.tickets.webhook.secret),
  };
}

export async function configCommand(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1 || positionals[0] !== 'check') throw new Error('expected "check"');
    json = values.json === true;
  } catch (error) {
    io.err(`winfix config: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  let settings: Record<string, string> | null = null;
  let problems: string[];
  try {
    const config = readConfig(env);
    settings = effectiveConfig(config);
    problems = configProblems(config);
  } catch (error) {
    // A variable that cannot be read at all: nothing effective to show beyond the reason.
    problems = [(error as Error).message];
  }
  if (json) {
    io.out(JSON.stringify({ ok: problems.length === 0, settings, problems }, null, 2));
  } else {
    if (settings) {
      const width = Math.max(...Object.keys(settings).map((k) => k.length));
      io.out(
        Object.entries(settings)
          .map(([name, value]) => `${name.padEnd(width)}  ${value}`)
          .join('\n'),
      );
    }
    io.out(
      problems.length === 0
        ? 'no problems: winfix serve would start with this configuration'
        : `${problems.length} problem(s): winfix serve would refuse to start\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
  return problems.length === 0 ? EXIT.ok : EXIT.problems;
}
