/**
 * The Teams app package: infra/teams/manifest.json with its placeholders filled, checked with the manifest
 * schema 1.29 and the localization schema (vendored in infra/teams/schema/), plus the icons and the ja/ru
 * localization files, all at the top level of the zip.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

export interface PackageSettings {
  /** The Azure Bot's Microsoft App ID (the bot's Entra app). */
  botId: string;
  /** The Teams app id; the bot id unless told otherwise, so re-uploads update the same app. */
  appId: string;
  /** The manifest version (x.y.z); raise it for every upload that should replace the previous one. */
  version: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
  /** The bot's public host name (validDomains), or null. */
  domain: string | null;
}

export const SCHEMA_FILES = {
  manifest: 'schema/MicrosoftTeams.schema.v1.29.json',
  localization: 'schema/MicrosoftTeams.Localization.schema.json',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d+\.\d+\.\d+$/;
const DOMAIN = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export const isGuid = (text: string): boolean => GUID.test(text);

/** Why the settings cannot go into a manifest, one sentence each; [] when they can. */
export function settingsProblems(s: PackageSettings): string[] {
  const problems: string[] = [];
  if (!isGuid(s.botId)) problems.push(`bot id "${s.botId}" is not a GUID (the Azure Bot's Microsoft App ID)`);
  if (s.appId !== s.botId && !isGuid(s.appId)) problems.push(`Teams app id "${s.appId}" is not a GUID`);
  if (!VERSION.test(s.version)) problems.push(`app version "${s.version}" is not x.y.z`);
  if (!s.developerName.trim() || s.developerName.length > 32)
    problems.push(`developer name "${s.developerName}" must be 1 to 32 characters`);
  for (const [label, url] of [
    ['website URL', s.websiteUrl],
    ['privacy URL', s.privacyUrl],
    ['terms-of-use URL', s.termsUrl],
  ] as const) {
    if (!/^https:\/\/[^\s/]+/i.test(url)) problems.push(`${label} "${url}" must be an https:// URL`);
  }
  if (s.domain !== null && !DOMAIN.test(s.domain))
    problems.push(
      `domain "${s.domain}" must be a host name such as winfix.example.com (no https://, no path)`,
    );
  return problems;
}

/** The folder holding manifest.json: infra/teams of the checkout or installation this module runs from. */
export function teamsDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'infra', 'teams');
    if (existsSync(path.join(candidate, 'manifest.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`infra/teams/manifest.json not found above ${from}`);
  }
}

type Json = Record<string, unknown>;

/** The manifest template with every `${{NAME}}` replaced (values JSON-escaped); unknown names are an error. */
export function fillManifest(template: string, s: PackageSettings): Json {
  const values: Record<string, string> = {
    APP_VERSION: s.version,
    TEAMS_APP_ID: s.appId,
    BOT_ID: s.botId,
    DEVELOPER_NAME: s.developerName,
    DEVELOPER_WEBSITE_URL: s.websiteUrl,
    DEVELOPER_PRIVACY_URL: s.privacyUrl,
    DEVELOPER_TERMS_URL: s.termsUrl,
  };
  const text = template.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest.json has an unknown placeholder \${{${name}}}`);
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(text) as Json;
  manifest.validDomains = s.domain ? [s.domain] : [];
  return manifest;
}

let validators: { manifest: (data: unknown) => string[]; localization: (data: unknown) => string[] } | null =
  null;

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${paramsText(e)}`);

function paramsText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (typeof p.additionalProperty === 'string') return ` ("${p.additionalProperty}")`;
  if (Array.isArray(p.allowedValues)) return ` (${p.allowedValues.join(', ')})`;
  return '';
}

/** Validators for the two schemas (draft-04 files: their `$schema` is dropped, ajv reads them as they are). */
export function schemaValidators(dir: string) {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const load = (file: string) => {
    const schema = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json;
    delete schema.$schema;
    const validate = ajv.compile(schema);
    return (data: unknown) => (validate(data) ? [] : describe(validate.errors));
  };
  validators = { manifest: load(SCHEMA_FILES.manifest), localization: load(SCHEMA_FILES.localization) };
  return validators;
}

export interface TeamsPackage {
  manifest: Json;
  /** File name → content, manifest.json first. */
  files: { name: string; data: Buffer }[];
}

/** Builds and checks the package; throws one Error listing every problem found. */
export function buildTeamsPackage(s: PackageSettings, dir = teamsDir()): TeamsPackage {
  const settings = settingsProblems(s);
  if (settings.length > 0) throw new Error(settings.join('\n'));
  const manifest = fillManifest(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), s);
  const check = schemaValidators(dir);
  const problems = check.manifest(manifest).map((p) => `manifest.json ${p}`);
  const icons = manifest.icons as { color: string; outline: string };
  const languages =
    (manifest.localizationInfo as { additionalLanguages?: { file: string }[] } | undefined)
      ?.additionalLanguages ?? [];
  const files = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
  for (const name of [icons.color, icons.outline, ...languages.map((l) => l.file)]) {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      problems.push(`${name} is named in manifest.json but missing from ${dir}`);
      continue;
    }
    const data = readFileSync(file);
    if (name.endsWith('.json'))
      problems.push(...check.localization(JSON.parse(data.toString('utf8'))).map((p) => `${name} ${p}`));
    files.push({ name, data });
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { manifest, files };
}
