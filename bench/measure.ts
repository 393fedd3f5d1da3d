/** Small timing helpers for the benchmarks (figures are printed and saved, never asserted). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] as number;
}

export interface Timing {
  runs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Times `fn` `runs` times after `warmup` untimed calls. */
export async function time(fn: () => Promise<unknown> | unknown, runs: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const meanMs = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { runs, meanMs, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

export const ms = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(2));

export function saveResult(name: string, data: unknown): string {
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, at: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2)}\n`,
  );
  return file;
}
