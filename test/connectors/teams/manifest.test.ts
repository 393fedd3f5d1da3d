import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { matchCommand } from '../../../bot/text-commands';

const DIR = path.resolve(__dirname, '../../../infra/teams');
const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8'));

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const png = readFileSync(path.join(DIR, file));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', file);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('Teams app manifest (infra/teams)', () => {
  it('is a v1.29 manifest with the fields the schema requires', () => {
    assert.equal(manifest.manifestVersion, '1.29');
    assert.match(manifest.$schema, /teams\/v1\.29\/MicrosoftTeams\.schema\.json$/);
    for (const key of ['version', 'id', 'developer', 'name', 'description', 'icons', 'accentColor'])
      assert.ok(manifest[key], key);
    for (const key of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl'])
      assert.ok(manifest.developer[key], key);
    assert.ok(manifest.name.short.length <= 30 && manifest.name.full.length <= 100);
    assert.ok(manifest.description.short.length <= 80 && manifest.description.full.length <= 4000);
    assert.match(manifest.accentColor, /^#[0-9A-Fa-f]{6}$/);
  });

  it('declares the bot with its id as a placeholder, in personal and team scope', () => {
    assert.equal(manifest.bots.length, 1);
    const [bot] = manifest.bots;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax of Teams app packages
    assert.equal(bot.botId, '${{BOT_ID}}');
    assert.deepEqual([...bot.scopes].sort(), ['personal', 'team']);
    assert.equal(bot.isNotificationOnly, false);
  });

  it('lists only commands the bot understands', () => {
    const commands = manifest.bots[0].commandLists.flatMap(
      (l: { commands: { title: string }[] }) => l.commands,
    );
    assert.ok(commands.length > 0);
    for (const { title } of commands) {
      // An example of what to send ("0x80070002 Windows Update") is a hint, not a command word.
      if (/^0x[0-9a-f]{8}\b/i.test(title)) continue;
      assert.notEqual(matchCommand(title), null, title);
    }
    assert.ok(commands.some((c: { title: string }) => matchCommand(c.title) !== null));
  });

  it('ships the icons Teams requires: color 192×192, outline 32×32', () => {
    assert.deepEqual(pngSize(manifest.icons.color), [192, 192]);
    assert.deepEqual(pngSize(manifest.icons.outline), [32, 32]);
  });
});
