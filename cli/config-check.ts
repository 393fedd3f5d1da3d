/**
 * Settings that are each valid alone but incomplete or contradictory together. `winfix serve` refuses to
 * start on any of them (naming what is missing), and `winfix config check` lists them all with the
 * effective configuration. Single variables are validated where they are read (cli/config.ts).
 */
import { decideSlackMode } from '../connectors/slack/slack-settings';
import { dataDirHolder } from '../connectors/storage/data-dir-lock';
import { ticketProblems } from '../connectors/tickets/settings';
import { ANONYMOUS_AZURE_REFUSAL, anonymousRunsVerdict } from './anonymous-teams';
import type { Config } from './config';

/** Every problem of the configuration, one sentence each naming the variables to set or clear. */
export function configProblems(config: Config): string[] {
  const slack = slackProblems(config);
  return [
    ...teamsProblems(config),
    ...slack,
    ...storageProblems(config),
    ...(slack.length === 0 ? anonymousRunProblems(config) : []),
    ...ticketProblems(config.tickets, config.storage.kind !== 'memory'),
  ];
}

/** True when `winfix serve` would run remote jobs for real (the Azure executor on a database). */
export function runsForReal(config: Config): boolean {
  return config.executor.kind === 'azure' && config.storage.kind !== 'memory';
}

/** A real executor behind an unauthenticated Teams endpoint with no Slack beside it (decision 0014). */
function anonymousRunProblems(config: Config): string[] {
  const verdict = anonymousRunsVerdict({
    anonymousTeams: !config.teams.appId,
    dryRun: !runsForReal(config),
    slack: decideSlackMode(config.slack).mode !== 'off',
  });
  return verdict === 'refuse' ? [ANONYMOUS_AZURE_REFUSAL] : [];
}

function teamsProblems(config: Config): string[] {
  const { appId, appPassword, tenantId } = config.teams;
  const problems: string[] = [];
  if (!appId && config.production)
    problems.push(
      'NODE_ENV=production and no WINFIX_TEAMS_APP_ID: the Agents SDK refuses anonymous (unauthenticated) ' +
        'requests in production. Set WINFIX_TEAMS_APP_ID, WINFIX_TEAMS_APP_PASSWORD and WINFIX_TEAMS_TENANT_ID.',
    );
  if (appId && !appPassword)
    problems.push(
      'WINFIX_TEAMS_APP_ID is set but WINFIX_TEAMS_APP_PASSWORD is not: the bot could check tokens but ' +
        'not send a single reply. Set the Entra app client secret.',
    );
  if (!appId && appPassword)
    problems.push('WINFIX_TEAMS_APP_PASSWORD is set but WINFIX_TEAMS_APP_ID is not: set the app id too.');
  if (!appId && tenantId)
    problems.push('WINFIX_TEAMS_TENANT_ID is set but WINFIX_TEAMS_APP_ID is not: set the app id too.');
  const technicians = config.remote.technicians.teams ?? [];
  if (config.remote.teamsTechnicianConversation && technicians.length === 0)
    problems.push(
      'WINFIX_TEAMS_TECHNICIAN_CONVERSATION is set but WINFIX_TEAMS_TECHNICIANS is empty: approval cards ' +
        'would reach a channel where nobody may approve. List the technicians (AAD object ids or e-mails).',
    );
  return problems;
}

function slackProblems(config: Config): string[] {
  const { botToken, appToken, signingSecret, technicianChannel, technicians } = config.slack;
  const problems: string[] = [];
  const anySet = botToken || appToken || signingSecret;
  if (anySet && !botToken)
    problems.push(
      `${appToken ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} is set but SLACK_BOT_TOKEN is not: Slack ` +
        'needs the bot token (xoxb-…) to answer.',
    );
  if (botToken && !appToken && !signingSecret)
    problems.push(
      'SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode): set one.',
    );
  if (!anySet && (technicianChannel || technicians.length > 0))
    problems.push(
      `${technicianChannel ? 'SLACK_TECHNICIAN_CHANNEL' : 'SLACK_TECHNICIANS'} is set but Slack is off: ` +
        'set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, or clear it.',
    );
  if (technicianChannel && technicians.length === 0)
    problems.push(
      'SLACK_TECHNICIAN_CHANNEL is set but SLACK_TECHNICIANS is empty: approval cards would reach a channel ' +
        'where nobody may approve. List the technicians (U…/W… ids or e-mails).',
    );
  // The token shapes, technician ids and API URL, as the connector checks them.
  if (problems.length === 0)
    try {
      decideSlackMode(config.slack);
    } catch (error) {
      problems.push((error as Error).message);
    }
  return problems;
}

function storageProblems(config: Config): string[] {
  if (config.storage.kind !== 'pglite') return [];
  const holder = dataDirHolder(config.storage.dataDir);
  if (!holder) return [];
  return [
    `WINFIX_DATA_DIR ${config.storage.dataDir} is already open in process ${holder.pid} on ${holder.host}: ` +
      'PGlite allows one process per folder. Stop it, or give every instance PostgreSQL (DATABASE_URL).',
  ];
}
