/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints the top functions by self time and by
 * inclusive time (a function counted once per sampled stack, so recursion is not counted twice), with
 * their file and line, plus self time per file. Usage:
 *   node --import tsx bench/cpu-profile-top.ts FILE_OR_DIR [N]
 * (a directory: its newest .cpuprofile).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface TopEntry {
  name: string;
  where: string;
  ms: number;
  share: number;
}

function newest(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no .cpuprofile in ${dir}`);
  return files[0];
}

/** A short place for a frame: the path from the project or node_modules on, and the 1-based line. */
function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '(native)';
  let url = frame.url.replace(/^file:\/\//, '');
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) url = url.slice(modules + 'node_modules/'.length);
  else url = path.relative(process.cwd(), url);
  return `${url}:${frame.lineNumber + 1}`;
}

export function topOf(profile: CpuProfile, n: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const key = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'}\t${where(node.callFrame)}`;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const perFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id) as ProfileNode;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    const file = where(node.callFrame).replace(/:\d+$/, '');
    perFile.set(file, (perFile.get(file) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at) as ProfileNode);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const top = (map: Map<string, number>): TopEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => {
        const [name, at] = k.split('\t') as [string, string];
        return { name, where: at, ms: us / 1000, share: us / total };
      });
  return {
    totalMs: total / 1000,
    self: top(self),
    inclusive: top(inclusive),
    files: [...perFile.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([file, us]) => ({ file, ms: us / 1000, share: us / total })),
  };
}

if (require.main === module) {
  const target = process.argv[2];
  const n = Number(process.argv[3] ?? 25);
  if (!target) {
    console.error('usage: node --import tsx bench/cpu-profile-top.ts FILE_OR_DIR [N]');
    process.exitCode = 2;
  } else {
    const file = statSync(target).isDirectory() ? newest(target) : target;
    const result = topOf(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, n);
    const line = (e: TopEntry) =>
      `${(e.share * 100).toFixed(1).padStart(5)}% ${e.ms.toFixed(0).padStart(7)} ms  ${e.name}  ${e.where}`;
    console.log(`${file}: ${result.totalMs.toFixed(0)} ms sampled`);
    console.log(`\nTop ${n} by self time:`);
    for (const e of result.self) console.log(line(e));
    console.log(`\nTop ${n} by inclusive time:`);
    for (const e of result.inclusive) console.log(line(e));
    console.log(`\nSelf time by file:`);
    for (const f of result.files)
      console.log(`${(f.share * 100).toFixed(1).padStart(5)}% ${f.ms.toFixed(0).padStart(7)} ms  ${f.file}`);
  }
}
