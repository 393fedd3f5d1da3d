/**
 * `winfix package teams --bot-id GUID [--out FILE.zip]`: the Teams app package to upload (Teams admin center
 * or "Upload a custom app"), built from infra/teams with the placeholders filled from flags or the environment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { buildTeamsPackage, type PackageSettings, teamsDir } from './teams-package';
import { zip } from './zip-writer';

const USAGE = `usage: winfix package teams --bot-id GUID [--out FILE.zip] [--domain HOST] [--app-id GUID]
         [--app-version X.Y.Z] [--developer-name NAME] [--website-url URL] [--privacy-url URL] [--terms-url URL]
--bot-id      the Azure Bot's Microsoft App ID (default WINFIX_TEAMS_APP_ID)
--domain      the bot's public host name, e.g. winfix.example.com (default WINFIX_TEAMS_DOMAIN)
--app-id      the Teams app id (default WINFIX_TEAMS_PACKAGE_ID, else the bot id)
--app-version the manifest version (default the winfix version); raise it to replace an uploaded app
--developer-name / --website-url / --privacy-url / --terms-url
              shown on the app's page (defaults WINFIX_TEAMS_DEVELOPER_NAME or "winfix",
              WINFIX_TEAMS_WEBSITE_URL or https://HOST/, WINFIX_TEAMS_PRIVACY_URL and
              WINFIX_TEAMS_TERMS_URL or the website URL)
--out         the zip to write (default winfix-teams-VERSION.zip)`;

const OPTIONS = {
  'bot-id': { type: 'string' },
  'app-id': { type: 'string' },
  'app-version': { type: 'string' },
  domain: { type: 'string' },
  'developer-name': { type: 'string' },
  'website-url': { type: 'string' },
  'privacy-url': { type: 'string' },
  'terms-url': { type: 'string' },
  out: { type: 'string' },
} as const;

const given = (text: string | undefined): string | undefined => text?.trim() || undefined;

function defaultVersion(dir: string): string {
  const pkg = JSON.parse(readFileSync(path.join(dir, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Settings from flags, then the configuration, then defaults; a usage problem when the bot id or site is missing. */
export function packageSettings(
  values: Partial<Record<keyof typeof OPTIONS, string>>,
  config: Pick<Config, 'teams' | 'teamsPackage'>,
  dir: string,
): PackageSettings | string {
  const env = config.teamsPackage;
  const botId = given(values['bot-id']) ?? config.teams.appId;
  if (!botId) return 'give the bot id: --bot-id GUID (or WINFIX_TEAMS_APP_ID)';
  const domain = given(values.domain) ?? env.domain;
  const websiteUrl = given(values['website-url']) ?? env.websiteUrl ?? (domain ? `https://${domain}/` : null);
  if (!websiteUrl)
    return "give the bot's host (--domain HOST or WINFIX_TEAMS_DOMAIN) or a website (--website-url URL or WINFIX_TEAMS_WEBSITE_URL): Teams requires a developer website";
  return {
    botId,
    appId: given(values['app-id']) ?? env.appId ?? botId,
    version: given(values['app-version']) ?? defaultVersion(dir),
    developerName: given(values['developer-name']) ?? env.developerName ?? 'winfix',
    websiteUrl,
    privacyUrl: given(values['privacy-url']) ?? env.privacyUrl ?? websiteUrl,
    termsUrl: given(values['terms-url']) ?? env.termsUrl ?? websiteUrl,
    domain,
  };
}

export async function packageCommand(args: string[], config: Config, io: Io): Promise<number> {
  const [target, ...rest] = args;
  if (target !== 'teams') {
    io.err(target ? `winfix package: unknown target "${target}"\n${USAGE}` : USAGE);
    return EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`winfix package teams: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.positionals.length > 0) {
    io.err(`winfix package teams: unexpected "${parsed.positionals.join(' ')}"\n${USAGE}`);
    return EXIT.usage;
  }
  const dir = teamsDir();
  const settings = packageSettings(parsed.values, config, dir);
  if (typeof settings === 'string') {
    io.err(`winfix package teams: ${settings}\n${USAGE}`);
    return EXIT.usage;
  }
  let files: { name: string; data: Buffer }[];
  try {
    files = buildTeamsPackage(settings, dir).files;
  } catch (error) {
    io.err(`winfix package teams: the package was not written:\n${(error as Error).message}`);
    return EXIT.usage;
  }
  const out = path.resolve(parsed.values.out ?? `winfix-teams-${settings.version}.zip`);
  writeFileSync(out, zip(files));
  io.out(
    `wrote ${out} (${files.map((f) => f.name).join(', ')}): bot ${settings.botId}, app ${settings.appId}, version ${settings.version}`,
  );
  return EXIT.ok;
}
