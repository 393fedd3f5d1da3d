/**
 * The Dockerfile's rules, checked on its instructions (no registry for base images is reachable here,
 * so the image is not built in CI). The parser follows the Dockerfile reference: `\` continues a line,
 * `#` at the start of a line is a comment, an instruction's arguments are JSON (exec form) or text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let stage = -1;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || line.trim() === '')) continue;
    if (pending && /^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = (pending + line.trim()).trim();
    pending = '';
    const match = /^(\w+)\s+([\s\S]*)$/.exec(full);
    if (!match) throw new Error(`not an instruction: ${full}`);
    const keyword = (match[1] as string).toUpperCase();
    if (keyword === 'FROM') stage += 1;
    out.push({ keyword, args: (match[2] as string).trim(), stage });
  }
  return out;
}

const execForm = (args: string): string[] => JSON.parse(args) as string[];

describe('Dockerfile', () => {
  const root = path.resolve(__dirname, '../..');
  const all = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const last = Math.max(...all.map((i) => i.stage));
  const final = all.filter((i) => i.stage === last);
  const of = (keyword: string, list = final) => list.filter((i) => i.keyword === keyword);

  it('is multi-stage on a current Node LTS slim image', () => {
    const froms = of('FROM', all);
    assert.ok(froms.length >= 2, 'a build stage and a production stage');
    const arg = of('ARG', all).find((i) => i.args.startsWith('NODE_IMAGE='));
    assert.match(arg?.args ?? '', /^NODE_IMAGE=node:(22|24)-bookworm-slim$/);
    for (const from of froms) assert.match(from.args, /^\$\{NODE_IMAGE\} AS \w+$/);
  });

  it('builds in the first stage and copies only dist/ from it', () => {
    const build = all.filter((i) => i.stage === 0);
    assert.ok(of('RUN', build).some((i) => /\bnpm ci\b/.test(i.args)));
    assert.ok(of('RUN', build).some((i) => /\bnpm run build\b/.test(i.args)));
    const fromBuild = of('COPY').filter((i) => i.args.startsWith('--from='));
    assert.deepEqual(
      fromBuild.map((i) => i.args),
      ['--from=build /app/dist ./dist'],
    );
  });

  it('production stage: production dependencies only, no sources, no build', () => {
    const runs = of('RUN').map((i) => i.args);
    assert.ok(
      runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r)),
      runs.join('\n'),
    );
    assert.ok(!runs.some((r) => /npm run build|tsc\b/.test(r)));
    const copied = of('COPY')
      .filter((i) => !i.args.startsWith('--from='))
      .map((i) => i.args.split(/\s+/)[0]);
    for (const source of ['bot', 'rules', 'runs', 'connectors', 'cli', 'scripts', '.'])
      assert.ok(!copied.includes(source), `${source} is not copied into the production stage`);
    // `winfix package teams` in the container reads the manifest, icons and schemas from infra/teams.
    assert.ok(copied.includes('infra/teams'), 'infra/teams is in the image for `winfix package teams`');
  });

  it('runs as a non-root user, with /healthz as HEALTHCHECK, winfix serve as CMD, the data folder a volume', () => {
    const user = of('USER').at(-1)?.args;
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
    const cmdIndex = final.findIndex((i) => i.keyword === 'CMD');
    const userIndex = final.findIndex((i) => i.keyword === 'USER');
    assert.ok(userIndex >= 0 && userIndex < cmdIndex);
    assert.deepEqual(execForm(of('CMD')[0]?.args ?? '[]'), ['node', 'bin/winfix.js', 'serve']);
    const health = of('HEALTHCHECK')[0]?.args ?? '';
    const probe = execForm(health.slice(health.indexOf('CMD ') + 4));
    assert.equal(probe[0], 'node', 'no curl in a slim image');
    assert.match(probe.join(' '), /fetch\(.*\/healthz/);
    const env = of('ENV')
      .map((i) => i.args)
      .join(' ');
    assert.match(env, /WINFIX_DATA_DIR=\/data\b/);
    assert.match(env, /NODE_ENV=production/);
    assert.deepEqual(execForm(of('VOLUME')[0]?.args ?? '[]'), ['/data']);
    assert.equal(of('EXPOSE')[0]?.args, '3978');
  });

  it('.dockerignore keeps secrets, data and dependencies out of the build context', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['.env', '.git', 'node_modules', 'data', 'dist'])
      assert.ok(ignored.includes(entry), entry);
  });
});
