/** Draws the remediation graph for one code (optionally one context) as Mermaid or Graphviz DOT. */
import type { Locale } from '../vocabulary';
import type { KnowledgeBase } from './load';
import type { Step } from './schema';

export type GraphFormat = 'mermaid' | 'dot';

export interface GraphInput {
  title: string;
  /** Where the graph starts: entry points and steps the rules add, per starting label. */
  starts: { label: string; steps: string[] }[];
  format: GraphFormat;
  locale: Locale;
}

interface Edge {
  from: string;
  to: string;
  label: string;
  dashed: boolean;
}

/** Steps reachable from the starts over success, failure and reveal links. */
function reachable(kb: KnowledgeBase, starts: string[]): Step[] {
  const seen = new Map<string, Step>();
  const queue = [...starts];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const step = kb.steps.get(id);
    if (!step || seen.has(id)) continue;
    seen.set(id, step);
    queue.push(step.next.failure, step.next.success, ...(step.reveals ?? []).map((r) => r.next));
  }
  return [...seen.values()];
}

function edgesOf(steps: Step[], locale: Locale): Edge[] {
  const edges: Edge[] = [];
  for (const s of steps) {
    edges.push({ from: s.id, to: s.next.failure, label: "didn't help", dashed: false });
    edges.push({ from: s.id, to: s.next.success, label: 'fixed', dashed: false });
    for (const r of s.reveals ?? [])
      edges.push({ from: s.id, to: r.next, label: r.label[locale], dashed: true });
  }
  return edges;
}

const nodeId = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
const mermaidText = (text: string) => text.replace(/"/g, '#quot;');
const dotText = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

function nodeLabel(step: Step, locale: Locale): string {
  return `${step.title[locale]} [${step.id}; tier ${step.tier}, ${step.risk} risk${step.runbook ? `, runbook ${step.runbook.name}` : ''}]`;
}

function mermaid(input: GraphInput, steps: Step[], edges: Edge[]): string {
  const lines = ['flowchart TD', `  %% ${input.title}`];
  for (const [i, start] of input.starts.entries()) lines.push(`  start${i}(["${mermaidText(start.label)}"])`);
  lines.push('  done(["done: resolved"])', '  handoff(["handoff: technician"])');
  for (const s of steps) lines.push(`  ${nodeId(s.id)}["${mermaidText(nodeLabel(s, input.locale))}"]`);
  for (const [i, start] of input.starts.entries()) {
    for (const id of start.steps) lines.push(`  start${i} --> ${nodeId(id)}`);
  }
  for (const e of edges)
    lines.push(`  ${nodeId(e.from)} ${e.dashed ? '-.->' : '-->'}|"${mermaidText(e.label)}"| ${nodeId(e.to)}`);
  return `${lines.join('\n')}\n`;
}

function dot(input: GraphInput, steps: Step[], edges: Edge[]): string {
  const lines = [`digraph "${dotText(input.title)}" {`, '  rankdir=TB;', '  node [shape=box];'];
  for (const [i, start] of input.starts.entries())
    lines.push(`  "start${i}" [shape=oval, label="${dotText(start.label)}"];`);
  lines.push(
    '  "done" [shape=oval, label="done: resolved"];',
    '  "handoff" [shape=oval, label="handoff: technician"];',
  );
  for (const s of steps) lines.push(`  "${s.id}" [label="${dotText(nodeLabel(s, input.locale))}"];`);
  for (const [i, start] of input.starts.entries()) {
    for (const id of start.steps) lines.push(`  "start${i}" -> "${id}";`);
  }
  for (const e of edges)
    lines.push(
      `  "${e.from}" -> "${e.to}" [label="${dotText(e.label)}"${e.dashed ? ', style=dashed' : ''}];`,
    );
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The drawing, or null when no step is reached from the starts. */
export function drawGraph(kb: KnowledgeBase, input: GraphInput): string | null {
  const steps = reachable(
    kb,
    input.starts.flatMap((s) => s.steps),
  );
  if (steps.length === 0) return null;
  const edges = edgesOf(steps, input.locale);
  return input.format === 'mermaid' ? mermaid(input, steps, edges) : dot(input, steps, edges);
}
