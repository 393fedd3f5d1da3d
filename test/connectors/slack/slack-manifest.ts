/** Reads the lists and flags the tests need from infra/slack/manifest.yml (a small YAML subset). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const MANIFEST_PATH = path.resolve(__dirname, '..', '..', '..', 'infra', 'slack', 'manifest.yml');

function lines(): string[] {
  return readFileSync(MANIFEST_PATH, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l) && l.trim() !== '');
}

const indent = (line: string) => line.length - line.trimStart().length;

/** The `- item` entries under the key at `keyPath` (e.g. ['oauth_config', 'scopes', 'bot']). */
export function manifestList(keyPath: string[]): string[] {
  const all = lines();
  let from = 0;
  let depth = -1;
  for (const key of keyPath) {
    const at = all.findIndex((l, i) => i >= from && indent(l) > depth && l.trim() === `${key}:`);
    if (at < 0) throw new Error(`manifest has no ${keyPath.join('.')}`);
    from = at + 1;
    depth = indent(all[at] ?? '');
  }
  const items: string[] = [];
  for (const line of all.slice(from)) {
    if (indent(line) <= depth && !line.trim().startsWith('- ')) break;
    if (!line.trim().startsWith('- ')) break;
    items.push(line.trim().slice(2).trim());
  }
  return items;
}

/** A scalar under a key path (`settings.socket_mode_enabled` → "true"). */
export function manifestValue(keyPath: string[]): string | null {
  const all = lines();
  let from = 0;
  let depth = -1;
  for (const [i, key] of keyPath.entries()) {
    const last = i === keyPath.length - 1;
    const at = all.findIndex(
      (l, j) =>
        j >= from && indent(l) > depth && (last ? l.trim().startsWith(`${key}:`) : l.trim() === `${key}:`),
    );
    if (at < 0) return null;
    if (last)
      return (all[at] ?? '')
        .trim()
        .slice(key.length + 1)
        .trim();
    from = at + 1;
    depth = indent(all[at] ?? '');
  }
  return null;
}

/** The bot scopes the app is granted. */
export const manifestScopes = () => manifestList(['oauth_config', 'scopes', 'bot']);
