/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints the top functions by self time and by
 * inclusive time (a function counted once per sampled stack, so recursion is not counted twice), with
 * their file and line, plus self time per file and per owner (winfix's own code, each package, Node,
 * the garbage collector; start-up and idle apart), which tells what the bot's code itself costs. Usage:
 *   node --import tsx bench/cpu-profile-top.ts FILE_OR_DIR [N]
 * (a directory: its largest .cpuprofile — the main thread's; tsx's loader thread writes a small one too).
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

function largest(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
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

/** Module loading frames: what a sample under them costs is start-up, not turns. */
const LOADING = /^(Module\._load|loadAndTranslate|run)$/;
const LOADING_URL = /^node:internal\/modules\/(cjs\/loader|esm\/(module_job|loader))$/;

/** Who a sample's own time belongs to: winfix's code, a package, Node, the collector, idle, start-up. */
function ownerOf(frame: ProfileNode['callFrame'], duringStartup: boolean): string {
  if (frame.functionName === '(idle)') return '(idle)';
  if (duringStartup) return '(start-up: loading modules)';
  if (frame.functionName === '(garbage collector)') return '(garbage collector)';
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return '(native: V8, syscalls)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return `package ${scope?.startsWith('@') ? `${scope}/${name}` : scope}`;
  }
  if (url.startsWith('node:')) return 'Node';
  const folder = /\/(bot|rules|runs|connectors|cli|bench|test)\//.exec(url)?.[1];
  if (!folder) return `other ${url}`;
  return ['bench', 'test'].includes(folder) ? `${folder}/` : `winfix ${folder}/`;
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
  const perOwner = new Map<string, number>();
  const startup = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as ProfileNode).callFrame;
      if (LOADING.test(frame.functionName) && LOADING_URL.test(frame.url)) return true;
    }
    return false;
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id) as ProfileNode;
    const owner = ownerOf(node.callFrame, startup(id));
    perOwner.set(owner, (perOwner.get(owner) ?? 0) + us);
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
    owners: ownersOf(perOwner),
  };
}

/** Self time per owner, each with its share of the time spent on turns (start-up and idle left out). */
function ownersOf(perOwner: Map<string, number>) {
  const apart = (owner: string) => owner === '(idle)' || owner.startsWith('(start-up');
  const turnsUs = [...perOwner].filter(([o]) => !apart(o)).reduce((a, [, us]) => a + us, 0);
  return [...perOwner.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([owner, us]) => ({ owner, ms: us / 1000, shareOfTurns: apart(owner) ? null : us / turnsUs }));
}

if (require.main === module) {
  const target = process.argv[2];
  const n = Number(process.argv[3] ?? 25);
  if (!target) {
    console.error('usage: node --import tsx bench/cpu-profile-top.ts FILE_OR_DIR [N]');
    process.exitCode = 2;
  } else {
    const file = statSync(target).isDirectory() ? largest(target) : target;
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
    console.log(`\nSelf time by owner (share of the time on turns; start-up and idle apart):`);
    const winfix = result.owners.filter((o) => o.owner.startsWith('winfix '));
    for (const o of result.owners.slice(0, n))
      console.log(
        `${o.shareOfTurns === null ? '     -' : `${(o.shareOfTurns * 100).toFixed(1).padStart(5)}%`} ${o.ms.toFixed(0).padStart(7)} ms  ${o.owner}`,
      );
    const winfixShare = winfix.reduce((a, o) => a + (o.shareOfTurns ?? 0), 0);
    console.log(
      `winfix's own code (bot/ rules/ runs/ connectors/ cli/): ${(winfixShare * 100).toFixed(1)}% of the time on turns`,
    );
  }
}
