/**
 * What the executor needs to know, and its validation. `cli/config.ts` (the only reader of the
 * environment) hands the raw variables to `readExecutorSettings`; problems come back all at once in one
 * AutomationConfigError. The client secret is wrapped so that printing the settings never shows it.
 */
import { inspect } from 'node:util';
import { AutomationConfigError } from './errors';

/** A secret that prints as `[redacted]` (String(), JSON, console.log); `reveal()` gives the value. */
export class SecretString {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'SecretString [redacted]';
  }
}

export interface ExecutorSettings {
  /** WINFIX_EXECUTOR: dry-run (default: nothing runs, every message says so) or azure. */
  kind: 'dry-run' | 'azure';
  /** AZURE_SUBSCRIPTION_ID: the subscription of the automation account (a GUID). */
  subscriptionId: string | null;
  /** AZURE_RESOURCE_GROUP: its resource group. */
  resourceGroup: string | null;
  /** AZURE_AUTOMATION_ACCOUNT: the automation account's name. */
  automationAccount: string | null;
  /** AZURE_ARM_ENDPOINT: Resource Manager (default https://management.azure.com; sovereign clouds differ). */
  armEndpoint: string;
  /** AZURE_AUTHORITY_HOST: Entra ID authority for the client secret (default the public cloud's). */
  authorityHost: string | null;
  /** AZURE_TENANT_ID: tenant of the service principal (client secret only). */
  tenantId: string | null;
  /** AZURE_CLIENT_ID: the service principal's app id, or a user-assigned managed identity's client id. */
  clientId: string | null;
  /** AZURE_CLIENT_SECRET: the service principal's secret; without it the managed identity is used. */
  clientSecret: SecretString | null;
  /** WINFIX_POLL_SECONDS: seconds between job polls, 15–30 (default 20). */
  pollSeconds: number;
}

/** The raw variables, as the environment has them. */
export interface ExecutorVariables {
  WINFIX_EXECUTOR?: string;
  AZURE_SUBSCRIPTION_ID?: string;
  AZURE_RESOURCE_GROUP?: string;
  AZURE_AUTOMATION_ACCOUNT?: string;
  AZURE_ARM_ENDPOINT?: string;
  AZURE_AUTHORITY_HOST?: string;
  AZURE_TENANT_ID?: string;
  AZURE_CLIENT_ID?: string;
  AZURE_CLIENT_SECRET?: string;
  WINFIX_POLL_SECONDS?: string;
}

export const DEFAULT_ARM_ENDPOINT_URL = 'https://management.azure.com';
export const DEFAULT_POLL_SECONDS = 20;
export const POLL_SECONDS_RANGE = [15, 30] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** As in the spec's parameters (common/v1/definitions.json). */
const RESOURCE_GROUP = /^[-\w._]+$/;
const ACCOUNT = /^[A-Za-z0-9][-A-Za-z0-9]{4,48}[A-Za-z0-9]$/;
const TENANT = /^[0-9A-Za-z][-0-9A-Za-z.]*$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const optional = (value: string | undefined): string | null => value?.trim() || null;

/** An https URL with no path beyond "/", no query; plain http only for a loopback host (tests). */
function baseUrl(name: string, raw: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be a URL like https://management.azure.com (got "${raw}")`);
    return raw;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    problems.push(`${name} must use https (got "${raw}"); the bearer token travels with every request`);
  if (url.pathname !== '/' || url.search || url.hash || url.username)
    problems.push(`${name} must be just scheme and host, e.g. https://management.azure.com (got "${raw}")`);
  return url.origin;
}

function pollSeconds(raw: string | null, problems: string[]): number {
  if (raw === null) return DEFAULT_POLL_SECONDS;
  const [min, max] = POLL_SECONDS_RANGE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(
      `WINFIX_POLL_SECONDS must be a whole number of seconds from ${min} to ${max} (got "${raw}")`,
    );
    return DEFAULT_POLL_SECONDS;
  }
  return n;
}

/** Validated settings; every problem is listed in one AutomationConfigError. */
export function readExecutorSettings(vars: ExecutorVariables): ExecutorSettings {
  const problems: string[] = [];
  const kindRaw = optional(vars.WINFIX_EXECUTOR) ?? 'dry-run';
  if (kindRaw !== 'dry-run' && kindRaw !== 'azure')
    problems.push(`WINFIX_EXECUTOR must be dry-run or azure (got "${kindRaw}")`);
  const kind = kindRaw === 'azure' ? 'azure' : 'dry-run';
  const secret = optional(vars.AZURE_CLIENT_SECRET);
  const settings: ExecutorSettings = {
    kind,
    subscriptionId: optional(vars.AZURE_SUBSCRIPTION_ID),
    resourceGroup: optional(vars.AZURE_RESOURCE_GROUP),
    automationAccount: optional(vars.AZURE_AUTOMATION_ACCOUNT),
    armEndpoint: DEFAULT_ARM_ENDPOINT_URL,
    authorityHost: null,
    tenantId: optional(vars.AZURE_TENANT_ID),
    clientId: optional(vars.AZURE_CLIENT_ID),
    clientSecret: secret ? new SecretString(secret) : null,
    pollSeconds: pollSeconds(optional(vars.WINFIX_POLL_SECONDS), problems),
  };
  const endpoint = optional(vars.AZURE_ARM_ENDPOINT);
  if (endpoint) settings.armEndpoint = baseUrl('AZURE_ARM_ENDPOINT', endpoint, problems);
  const authority = optional(vars.AZURE_AUTHORITY_HOST);
  if (authority) settings.authorityHost = baseUrl('AZURE_AUTHORITY_HOST', authority, problems);

  if (kind === 'azure') {
    const {
      subscriptionId: sub,
      resourceGroup: rg,
      automationAccount: account,
      tenantId,
      clientId,
    } = settings;
    if (!sub) problems.push('AZURE_SUBSCRIPTION_ID is missing (WINFIX_EXECUTOR=azure)');
    else if (!GUID.test(sub)) problems.push(`AZURE_SUBSCRIPTION_ID must be a GUID (got "${sub}")`);
    if (!rg) problems.push('AZURE_RESOURCE_GROUP is missing (WINFIX_EXECUTOR=azure)');
    else if (!RESOURCE_GROUP.test(rg) || rg.length > 90)
      problems.push(`AZURE_RESOURCE_GROUP is not a resource group name (got "${rg}")`);
    if (!account) problems.push('AZURE_AUTOMATION_ACCOUNT is missing (WINFIX_EXECUTOR=azure)');
    else if (!ACCOUNT.test(account))
      problems.push(`AZURE_AUTOMATION_ACCOUNT must be 6–50 letters, digits or hyphens (got "${account}")`);
    if (clientId && !GUID.test(clientId)) problems.push(`AZURE_CLIENT_ID must be a GUID (got "${clientId}")`);
    if (tenantId && !TENANT.test(tenantId))
      problems.push(
        `AZURE_TENANT_ID must be a GUID or a domain like contoso.onmicrosoft.com (got "${tenantId}")`,
      );
    if (secret) {
      if (!tenantId) problems.push('AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID is missing');
      if (!clientId) problems.push('AZURE_CLIENT_SECRET is set but AZURE_CLIENT_ID is missing');
    } else if (tenantId) {
      problems.push(
        'AZURE_TENANT_ID is set but AZURE_CLIENT_SECRET is not: set the secret to sign in as a service principal, ' +
          'or leave AZURE_TENANT_ID empty to use the managed identity',
      );
    }
  }
  if (problems.length) throw new AutomationConfigError(`executor settings: ${problems.join('; ')}`);
  return settings;
}

/** One line for the start-up log (no secret). */
export function describeExecutorSettings(settings: ExecutorSettings): string {
  if (settings.kind === 'dry-run')
    return 'executor: dry run (nothing runs; set WINFIX_EXECUTOR=azure to run jobs)';
  const who = settings.clientSecret
    ? `service principal ${settings.clientId} in tenant ${settings.tenantId}`
    : settings.clientId
      ? `user-assigned managed identity ${settings.clientId}`
      : 'system-assigned managed identity';
  return (
    `executor: Azure Automation account ${settings.automationAccount} (resource group ${settings.resourceGroup}, ` +
    `subscription ${settings.subscriptionId}) via ${settings.armEndpoint} as ${who}, polling every ${settings.pollSeconds} s`
  );
}
