/**
 * Every environment variable the code reads is in .env.example and in the README's Configuration
 * section, and .env.example lists nothing the code does not read. The names are taken from the code
 * itself: `env.NAME`, `env['NAME']`, `process.env.NAME`, and the names cli/config.ts hands to its
 * readers as strings (`readRate(env, 'WINFIX_RATE_…')`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CODE = ['bot', 'rules', 'runs', 'connectors', 'cli'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string, file: string) => {
    if (!found.has(name)) found.set(name, path.relative(ROOT, file));
  };
  for (const file of CODE.flatMap((dir) => sources(path.join(ROOT, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g))
      add((m[1] ?? m[2]) as string, file);
    if (file.endsWith(path.join('cli', 'config.ts')))
      for (const m of text.matchAll(/\(\s*env,\s*['"]([A-Z][A-Z0-9_]+)['"]/g)) add(m[1] as string, file);
  }
  return found;
}

describe('configuration variables are documented', () => {
  const read = variablesRead();
  const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const listed = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string));
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('finds the variables the code reads (sanity: the extraction works)', () => {
    for (const name of [
      'PORT',
      'WINFIX_LOCALE',
      'SLACK_BOT_TOKEN',
      'AZURE_CLIENT_SECRET',
      'WINFIX_RATE_RUNS_PER_HOUR',
    ])
      assert.ok(read.has(name), name);
  });

  it('every variable read is in .env.example', () => {
    const missing = [...read].filter(([name]) => !listed.has(name)).map(([n, f]) => `${n} (${f})`);
    assert.deepEqual(missing, []);
  });

  it("every variable read is in the README's Configuration section (a PREFIX_* row covers its family)", () => {
    const families = [...section.matchAll(/`([A-Z]+_)\*`/g)].map((m) => m[1] as string);
    const missing = [...read.keys()].filter(
      (name) =>
        !section.includes(`\`${name}\``) &&
        !(families.some((prefix) => name.startsWith(prefix)) && readme.includes(`\`${name}\``)),
    );
    assert.deepEqual(missing, []);
  });

  it('.env.example lists no variable the code does not read', () => {
    assert.deepEqual(
      [...listed].filter((name) => !read.has(name)),
      [],
    );
  });
});
