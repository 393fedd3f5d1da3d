/**
 * The Teams app package: the manifest and its ja/ru localization files against the schemas of manifest 1.29,
 * the icons read with a PNG parser, the zip opened by a real unzip tool, and the refusals of the command.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { matchCommand } from '../../bot/text-commands';
import { buildTeamsPackage, type PackageSettings, schemaValidators, teamsDir } from '../../cli/teams-package';
import { runCli } from '../helpers/run-cli';
import { readPng } from './png';

const DIR = teamsDir();
const SHARED_SPECS = path.resolve(__dirname, '../../../shared/specs/teams');
const BOT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const settings: PackageSettings = {
  botId: BOT,
  appId: BOT,
  version: '1.2.3',
  developerName: 'Contoso IT',
  websiteUrl: 'https://it.contoso.example/',
  privacyUrl: 'https://it.contoso.example/privacy',
  termsUrl: 'https://it.contoso.example/terms',
  domain: 'winfix.contoso.example',
};
const json = (name: string) =>
  JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as Record<string, unknown>;

type Command = { title: string; description: string };
type CommandList = { scopes: string[]; commands: Command[] };

describe('Teams app package (infra/teams)', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'winfix-teams-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('the vendored schemas are the published ones, unchanged', function () {
    if (!existsSync(SHARED_SPECS)) this.skip();
    for (const file of ['MicrosoftTeams.schema.v1.29.json', 'MicrosoftTeams.Localization.schema.json'])
      assert.ok(
        readFileSync(path.join(DIR, 'schema', file)).equals(readFileSync(path.join(SHARED_SPECS, file))),
        file,
      );
  });

  it('builds a manifest valid against schema 1.29, with personal and team scopes and ja/ru files', () => {
    const { manifest, files } = buildTeamsPackage(settings, DIR);
    const check = schemaValidators(DIR);
    assert.deepEqual(check.manifest(manifest), []);
    assert.equal(manifest.manifestVersion, '1.29');
    assert.equal(manifest.id, BOT);
    assert.equal(manifest.version, '1.2.3');
    assert.deepEqual(manifest.validDomains, ['winfix.contoso.example']);
    assert.equal(
      (manifest.developer as Record<string, string>).privacyUrl,
      'https://it.contoso.example/privacy',
    );
    assert.doesNotMatch(JSON.stringify(manifest), /\$\{\{/);
    const bot = (manifest.bots as { botId: string; scopes: string[]; commandLists: CommandList[] }[])[0];
    assert.equal(bot?.botId, BOT);
    assert.deepEqual(bot?.scopes, ['personal', 'team']);
    assert.deepEqual(
      bot?.commandLists.map((l) => l.scopes),
      [['personal'], ['team']],
    );
    assert.equal('webApplicationInfo' in manifest, false, 'no SSO: decision 0031');
    assert.deepEqual(
      files.map((f) => f.name),
      ['manifest.json', 'color.png', 'outline.png', 'ja.json', 'ru.json'],
    );
    for (const name of ['ja.json', 'ru.json']) assert.deepEqual(check.localization(json(name)), [], name);
  });

  it('the schemas catch what they should: an unknown localization key, a missing field, a bad bot id', () => {
    const check = schemaValidators(DIR);
    assert.match(
      check.localization({ ...json('ja.json'), 'bots[0].tagline': 'x' }).join('\n'),
      /bots\[0\]\.tagline/,
    );
    const { manifest } = buildTeamsPackage(settings, DIR);
    const { accentColor: _, ...noColor } = manifest;
    assert.match(check.manifest(noColor).join('\n'), /accentColor/);
    const badBot = { ...manifest, bots: [{ ...(manifest.bots as object[])[0], botId: 'not-a-guid' }] };
    assert.match(check.manifest(badBot).join('\n'), /\/bots\/0\/botId/);
  });

  it('every command hint, in en, ja and ru, is a word the bot understands, and the same command', () => {
    const lists = (json('manifest.json').bots as { commandLists: CommandList[] }[])[0]?.commandLists ?? [];
    const localized = { ja: json('ja.json'), ru: json('ru.json') };
    let checked = 0;
    lists.forEach((list, l) => {
      list.commands.forEach((command, c) => {
        const expected = matchCommand(command.title);
        for (const [locale, file] of Object.entries(localized)) {
          const title = file[`bots[0].commandLists[${l}].commands[${c}].title`];
          const description = file[`bots[0].commandLists[${l}].commands[${c}].description`];
          assert.equal(typeof title, 'string', `${locale} title of ${command.title}`);
          assert.equal(typeof description, 'string', `${locale} description of ${command.title}`);
          assert.equal(
            matchCommand(title as string),
            expected,
            `${locale} "${title}" for "${command.title}"`,
          );
          checked++;
        }
        if (expected === null)
          assert.match(command.title, /0x[0-9A-F]{8}/, 'a hint that is not a command is an example code');
      });
    });
    assert.ok(checked >= 12);
    assert.match(String(localized.ja['description.short']), /ます。$/);
  });

  it('icons: colour 192×192, outline 32×32 white on transparent', () => {
    const color = readPng(readFileSync(path.join(DIR, 'color.png')));
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = readPng(readFileSync(path.join(DIR, 'outline.png')));
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const [r, g, b, a] = outline.rgba.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else assert.fail(`outline pixel ${i / 4} is neither transparent nor white (${r},${g},${b},${a})`);
    }
    assert.ok(
      transparent > 0 && white > 0,
      `outline has ${white} white and ${transparent} transparent pixels`,
    );
    assert.throws(() => readPng(readFileSync(path.join(DIR, 'manifest.json'))), /not a PNG/);
  });

  it('winfix package teams writes a zip a real unzip reads, with every file at the top level', async () => {
    const out = path.join(work, 'app.zip');
    const run = await runCli(['package', 'teams', '--bot-id', BOT, '--out', out, '--app-version', '2.0.1'], {
      WINFIX_TEAMS_DOMAIN: 'bot.contoso.example',
      WINFIX_TEAMS_DEVELOPER_NAME: 'Contoso IT',
    });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /app\.zip/);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps({"names": z.namelist(), "manifest": json.loads(z.read("manifest.json")),',
      '  "outline": z.read("outline.png").hex()}))',
    ].join('\n');
    const py = spawnSync('python3', ['-c', script, out], { encoding: 'utf8' });
    if (py.error) {
      const unzip = spawnSync('unzip', ['-l', out], { encoding: 'utf8' });
      assert.ifError(unzip.error);
      assert.match(unzip.stdout, /manifest\.json/);
      return;
    }
    assert.equal(py.status, 0, py.stderr);
    const read = JSON.parse(py.stdout) as {
      names: string[];
      manifest: Record<string, unknown>;
      outline: string;
    };
    assert.deepEqual(read.names.sort(), ['color.png', 'ja.json', 'manifest.json', 'outline.png', 'ru.json']);
    assert.equal((read.manifest.bots as { botId: string }[])[0]?.botId, BOT);
    assert.equal(read.manifest.version, '2.0.1');
    assert.deepEqual(read.manifest.validDomains, ['bot.contoso.example']);
    assert.deepEqual(read.manifest.developer, {
      name: 'Contoso IT',
      websiteUrl: 'https://bot.contoso.example/',
      privacyUrl: 'https://bot.contoso.example/',
      termsOfUseUrl: 'https://bot.contoso.example/',
    });
    assert.equal(read.outline, readFileSync(path.join(DIR, 'outline.png')).toString('hex'));
  });

  it('the zip passes unzip -t when unzip is on the machine', async function () {
    const probe = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    if (probe.error) this.skip();
    const out = path.join(work, 'tested.zip');
    const run = await runCli(['package', 'teams', '--bot-id', BOT, '--domain', 'a.example', '--out', out]);
    assert.equal(run.code, 0, run.err);
    const test = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /No errors detected/);
  });

  describe('refusals (exit 2, nothing written)', () => {
    const refused = async (args: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}) => {
      const out = path.join(work, `refused-${Math.random().toString(36).slice(2)}.zip`);
      const run = await runCli(['package', ...args, '--out', out], env);
      assert.equal(run.code, 2, run.out);
      assert.match(run.err, pattern);
      assert.equal(existsSync(out), false);
    };
    it('a bot id that is not a GUID', () =>
      refused(['teams', '--bot-id', '12345', '--domain', 'a.example'], /bot id "12345" is not a GUID/));
    it('no bot id at all', () =>
      refused(['teams', '--domain', 'a.example'], /--bot-id GUID \(or WINFIX_TEAMS_APP_ID\)/));
    it('the bot id from WINFIX_TEAMS_APP_ID is checked too', () =>
      refused(['teams', '--domain', 'a.example'], /bot id "abc" is not a GUID/, {
        WINFIX_TEAMS_APP_ID: 'abc',
      }));
    it('no host and no website', () => refused(['teams', '--bot-id', BOT], /developer website/));
    it('a domain with a scheme', () =>
      refused(
        ['teams', '--bot-id', BOT, '--domain', 'https://a.example/x'],
        /domain "https:\/\/a\.example\/x" must be a host name/,
      ));
    it('an http website', () =>
      refused(
        ['teams', '--bot-id', BOT, '--website-url', 'http://it.example'],
        /website URL "http:\/\/it\.example" must be an https/,
      ));
    it('a version that is not x.y.z', () =>
      refused(
        ['teams', '--bot-id', BOT, '--domain', 'a.example', '--app-version', 'v2'],
        /app version "v2"/,
      ));
    it('an unknown option or target', async () => {
      await refused(['teams', '--bot-id', BOT, '--colour', 'red'], /Unknown option '--colour'/);
      await refused(['slack'], /unknown target "slack"/);
    });
  });
});
