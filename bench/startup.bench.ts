/**
 * `winfix serve` start-up: from spawning Node to the "listening on" log line, the sources through tsx
 * (the anchor) against the compiled code of `npm run build` in an installation without sources (as the
 * container image runs it). Memory storage, port 0. Figures and the ratio are printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, ROOT } from '../scripts/build';
import { ms, percentile, saveResult } from './measure';

const RUNS = 5;

function startOnce(args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WINFIX_STORAGE: 'memory', PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/listening on/.test(err)) {
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        child.once('exit', () => resolve(elapsed));
        child.kill('SIGTERM');
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!/listening on/.test(err)) reject(new Error(`serve exited ${code}: ${err}`));
    });
  });
}

async function series(args: string[]): Promise<{ p50Ms: number; minMs: number }> {
  await startOnce(args); // warm the file cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await startOnce(args));
  samples.sort((a, b) => a - b);
  return { p50Ms: percentile(samples, 50), minMs: samples[0] as number };
}

export async function startupBench(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'winfix-startup-'));
  try {
    build(path.join(home, 'dist'));
    mkdirSync(path.join(home, 'bin'));
    copyFileSync(path.join(ROOT, 'bin', 'winfix.js'), path.join(home, 'bin', 'winfix.js'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(home, 'node_modules'));
    const main = JSON.stringify(path.join(ROOT, 'cli', 'main.ts'));
    const tsx = await series(['-e', `require('tsx/cjs'); require(${main}).main(['serve'])`]);
    const compiled = await series([path.join(home, 'bin', 'winfix.js'), 'serve']);
    console.log('\nwinfix serve start-up (spawn → listening), memory storage');
    console.log(`  sources via tsx (anchor)  p50 ${ms(tsx.p50Ms)} ms  min ${ms(tsx.minMs)} ms`);
    console.log(
      `  compiled dist/            p50 ${ms(compiled.p50Ms)} ms  min ${ms(compiled.minMs)} ms  (${(compiled.p50Ms / tsx.p50Ms).toFixed(2)}× the anchor)`,
    );
    saveResult('startup', { runs: RUNS, tsx, compiled, ratio: compiled.p50Ms / tsx.p50Ms });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (require.main === module) startupBench();
