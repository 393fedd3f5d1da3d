import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, ROOT } from '../../scripts/build';

/**
 * An installation as the container image has it: bin/winfix.js, dist/ and node_modules, no sources.
 * Built once for the whole file (tsc takes a while on a small machine).
 */
describe('npm run build: the compiled winfix', function () {
  this.timeout(180_000);
  let home: string;
  let bin: string;
  let server: ChildProcess | null = null;

  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'winfix-build-'));
    build(path.join(home, 'dist'));
    mkdirSync(path.join(home, 'bin'));
    bin = path.join(home, 'bin', 'winfix.js');
    copyFileSync(path.join(ROOT, 'bin', 'winfix.js'), bin);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(home, 'node_modules'));
  });

  after(() => {
    server?.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  });

  const env = { ...process.env, WINFIX_STORAGE: 'memory', WINFIX_EMPLOYEES_ARE_ADMINS: 'yes' };
  const winfix = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });

  it('copies the data read at run time (knowledge base, i18n, HRESULT tables)', () => {
    for (const file of ['rules/kb/runbooks.json', 'bot/i18n/ja.json', 'rules/hresult/data/win32.json'])
      assert.ok(existsSync(path.join(home, 'dist', file)), file);
    assert.ok(!existsSync(path.join(home, 'dist', 'test')), 'tests are not compiled');
  });

  it('winfix triage runs from dist/ with no sources and no tsx loaded', () => {
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        `process.argv = [process.argv[0], 'winfix', 'triage', '0x80070005']; require(${JSON.stringify(bin)}); process.on('exit', () => { if (Object.keys(require.cache).some((f) => f.includes('/tsx/'))) process.exitCode = 9; });`,
      ],
      { env, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /ERROR_ACCESS_DENIED/);
  });

  it('winfix package teams runs from dist/ with infra/teams beside it, as the image copies it', () => {
    // The image has package.json (the app version) and infra/teams beside dist/ (see the Dockerfile).
    cpSync(path.join(ROOT, 'infra', 'teams'), path.join(home, 'infra', 'teams'), { recursive: true });
    copyFileSync(path.join(ROOT, 'package.json'), path.join(home, 'package.json'));
    const out = path.join(home, 'winfix-teams.zip');
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'package',
        'teams',
        '--bot-id',
        '00000000-0000-4000-8000-00000000b0b1',
        '--domain',
        'winfix.contoso.example',
        '--out',
        out,
      ],
      { env, encoding: 'utf8', cwd: home },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(out), 'the zip was written');
    const listing = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    assert.ok(listing.stdout.split('\n').includes('manifest.json'), listing.stdout);
  });

  it('winfix serve from dist/ answers /healthz and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server = child;
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const match = /listening on (http:\/\/[^\s"]+)/.exec(err);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    server = null;
  });

  it('with sources newer than the build, the bin runs the sources, not the stale dist/', () => {
    mkdirSync(path.join(home, 'cli'));
    writeFileSync(
      path.join(home, 'cli', 'main.ts'),
      "export async function main(): Promise<number> {\n  process.stdout.write('from the sources\\n');\n  return 0;\n}\n",
    );
    const stale = winfix('help');
    assert.equal(stale.stdout, 'from the sources\n', stale.stderr);
    // A build after the edit: the compiled code again.
    writeFileSync(path.join(home, 'dist', 'build.json'), JSON.stringify({ builtAt: Date.now() + 60_000 }));
    const fresh = winfix('help');
    assert.match(fresh.stdout, /winfix — helpdesk bot/);
    rmSync(path.join(home, 'cli'), { recursive: true });
  });
});
