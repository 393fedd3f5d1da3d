/**
 * What the ticket connectors need to know, as `cli/config.ts` (the only reader of the environment) hands
 * it over: WINFIX_TICKETS chooses the system (off by default), its variables say where and how. Single
 * values are checked here; what is missing for the chosen system is listed by `ticketProblems` (refused
 * by `winfix serve`, shown by `winfix config check`). Secrets print as `[redacted]`.
 */

import { TICKET_SYSTEMS, type TicketSystemKind } from '../../bot/tickets-port';
import { SecretString } from '../azure-automation/settings';
import { retentionDaysOf, retentionProblem } from '../storage/retention';
import { TicketConfigError } from './errors';

/** Finished ticket jobs are kept this many days by default (decision 0037). */
export const DEFAULT_TICKET_RETENTION_DAYS = 30;

export interface TicketSettings {
  /** WINFIX_TICKETS: servicenow, webhook, or null (off, the default). */
  system: TicketSystemKind | null;
  /**
   * WINFIX_TICKET_RETENTION_DAYS: finished ticket jobs (sent or given up) are deleted this many days
   * after they finished, 1–3650 (default 30). Pending jobs are kept until they finish.
   */
  retentionDays: number;
  servicenow: {
    /** WINFIX_SERVICENOW_INSTANCE: https://<instance>.service-now.com (no path). */
    instance: string | null;
    /** WINFIX_SERVICENOW_USER / WINFIX_SERVICENOW_PASSWORD: Basic auth of an integration user. */
    user: string | null;
    password: SecretString | null;
    /** WINFIX_SERVICENOW_TOKEN: an OAuth bearer token instead of Basic auth. */
    token: SecretString | null;
    /** WINFIX_SERVICENOW_CATEGORY: the incident's category (default "software"). */
    category: string;
    /** WINFIX_SERVICENOW_ASSIGNMENT_GROUP: the assignment group's sys_id (default none: the instance's rules). */
    assignmentGroup: string | null;
  };
  webhook: {
    /** WINFIX_TICKET_WEBHOOK_URL: where tickets and notes are POSTed (https, or http on loopback). */
    url: string | null;
    /** WINFIX_TICKET_WEBHOOK_SECRET: the HMAC-SHA256 key of the X-Winfix-Signature header. */
    secret: SecretString | null;
  };
}

export interface TicketVariables {
  WINFIX_TICKETS?: string;
  WINFIX_TICKET_RETENTION_DAYS?: string;
  WINFIX_SERVICENOW_INSTANCE?: string;
  WINFIX_SERVICENOW_USER?: string;
  WINFIX_SERVICENOW_PASSWORD?: string;
  WINFIX_SERVICENOW_TOKEN?: string;
  WINFIX_SERVICENOW_CATEGORY?: string;
  WINFIX_SERVICENOW_ASSIGNMENT_GROUP?: string;
  WINFIX_TICKET_WEBHOOK_URL?: string;
  WINFIX_TICKET_WEBHOOK_SECRET?: string;
}

const set = (value: string | undefined): string | null => {
  const v = value?.trim();
  return v ? v : null;
};

function url(name: string, raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new TicketConfigError(`${name} must be an https URL (got "${raw}")`);
  }
}

function retentionDays(raw: string | null): number {
  const value = raw ?? String(DEFAULT_TICKET_RETENTION_DAYS);
  const days = retentionDaysOf(value);
  if (days === null) throw new TicketConfigError(retentionProblem('WINFIX_TICKET_RETENTION_DAYS', value));
  return days;
}

export function readTicketSettings(vars: TicketVariables): TicketSettings {
  const raw = set(vars.WINFIX_TICKETS)?.toLowerCase() ?? 'off';
  const system = raw === 'off' ? null : (TICKET_SYSTEMS.find((s) => s === raw) ?? null);
  if (raw !== 'off' && !system)
    throw new TicketConfigError(`WINFIX_TICKETS must be servicenow, webhook or off (got "${raw}")`);
  const secret = (v: string | undefined) => {
    const s = set(v);
    return s ? new SecretString(s) : null;
  };
  const group = set(vars.WINFIX_SERVICENOW_ASSIGNMENT_GROUP);
  if (group && !/^[0-9a-f]{32}$/.test(group))
    throw new TicketConfigError(
      `WINFIX_SERVICENOW_ASSIGNMENT_GROUP must be the group's sys_id (32 hex digits; got "${group}")`,
    );
  return {
    system,
    retentionDays: retentionDays(set(vars.WINFIX_TICKET_RETENTION_DAYS)),
    servicenow: {
      instance: url('WINFIX_SERVICENOW_INSTANCE', set(vars.WINFIX_SERVICENOW_INSTANCE)),
      user: set(vars.WINFIX_SERVICENOW_USER),
      password: secret(vars.WINFIX_SERVICENOW_PASSWORD),
      token: secret(vars.WINFIX_SERVICENOW_TOKEN),
      category: set(vars.WINFIX_SERVICENOW_CATEGORY) ?? 'software',
      assignmentGroup: group,
    },
    webhook: {
      url: url('WINFIX_TICKET_WEBHOOK_URL', set(vars.WINFIX_TICKET_WEBHOOK_URL)),
      secret: secret(vars.WINFIX_TICKET_WEBHOOK_SECRET),
    },
  };
}

/** Whether a URL's host is this machine (plain http is allowed there only: tests, a local relay). */
export function isLoopback(raw: string): boolean {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What is missing or contradictory for the chosen system, one sentence each. */
export function ticketProblems(settings: TicketSettings, durableStorage: boolean): string[] {
  const problems: string[] = [];
  const { system, servicenow: sn, webhook } = settings;
  if (!system) return problems;
  if (!durableStorage)
    problems.push(
      `WINFIX_TICKETS=${system} needs durable storage for its outbox: use PGlite or PostgreSQL, not WINFIX_STORAGE=memory.`,
    );
  const plain = (name: string, value: string) =>
    new URL(value).protocol === 'http:' && !isLoopback(value)
      ? [`${name} must be https (plain http is allowed on loopback only): ${value}`]
      : [];
  if (system === 'servicenow') {
    if (!sn.instance)
      problems.push(
        'WINFIX_TICKETS=servicenow needs WINFIX_SERVICENOW_INSTANCE (https://<name>.service-now.com).',
      );
    else problems.push(...plain('WINFIX_SERVICENOW_INSTANCE', sn.instance));
    if (sn.token && (sn.user || sn.password))
      problems.push(
        'WINFIX_SERVICENOW_TOKEN and WINFIX_SERVICENOW_USER/PASSWORD are both set: choose the bearer token or Basic auth.',
      );
    else if (!sn.token && !(sn.user && sn.password))
      problems.push(
        'WINFIX_TICKETS=servicenow needs credentials: WINFIX_SERVICENOW_USER and WINFIX_SERVICENOW_PASSWORD, or WINFIX_SERVICENOW_TOKEN.',
      );
  }
  if (system === 'webhook') {
    if (!webhook.url) problems.push('WINFIX_TICKETS=webhook needs WINFIX_TICKET_WEBHOOK_URL.');
    else problems.push(...plain('WINFIX_TICKET_WEBHOOK_URL', webhook.url));
    if (!webhook.secret)
      problems.push(
        'WINFIX_TICKETS=webhook needs WINFIX_TICKET_WEBHOOK_SECRET: the receiver must be able to check that a ticket came from winfix.',
      );
    else if (webhook.secret.reveal().length < 16)
      problems.push('WINFIX_TICKET_WEBHOOK_SECRET is too short: use at least 16 random characters.');
  }
  return problems;
}
