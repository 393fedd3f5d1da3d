/**
 * `npm run build [-- --out DIR]`: compiles bot/, rules/, connectors/ and cli/ to DIR (default dist/)
 * with tsconfig.build.json, copies every data file those folders read at run time (the knowledge base,
 * i18n, HRESULT tables: every file that is not TypeScript), and writes DIR/build.json, the stamp
 * bin/winfix.js compares with the sources' modification times before it runs the compiled code.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(__dirname, '..');
export const SOURCE_DIRS = ['bot', 'rules', 'runs', 'connectors', 'cli'] as const;

/** Every file under `dir` (relative paths), skipping TypeScript. */
function dataFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return dataFiles(full, base);
    return entry.name.endsWith('.ts') ? [] : [path.relative(base, full)];
  });
}

export function build(outDir: string): { files: number; data: number } {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`tsc failed:\n${run.stdout}${run.stderr}`);
  let data = 0;
  for (const dir of SOURCE_DIRS)
    for (const file of dataFiles(path.join(ROOT, dir))) {
      const target = path.join(outDir, dir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(path.join(ROOT, dir, file), target);
      data += 1;
    }
  writeFileSync(path.join(outDir, 'build.json'), `${JSON.stringify({ builtAt: Date.now() })}\n`);
  const files = SOURCE_DIRS.reduce(
    (n, dir) => n + readdirSync(path.join(outDir, dir), { recursive: true }).length,
    0,
  );
  return { files, data };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? path.join(ROOT, 'dist'));
  const started = Date.now();
  const { files, data } = build(outDir);
  process.stdout.write(
    `built ${path.relative(process.cwd(), outDir) || '.'}: ${files} entries (${data} data files copied) in ${Date.now() - started} ms\n`,
  );
}
