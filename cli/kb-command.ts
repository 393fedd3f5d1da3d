/** `winfix kb check` and `winfix kb graph --code C [--context X] [--format mermaid|dot] [--locale L]`. */
import { parseArgs } from 'node:util';
import { drawGraph } from '../rules/kb/graph';
import { checkKb } from '../rules/kb/load';
import { contextsOf, createKnowledge, factsFrom, type Knowledge } from '../rules/knowledge';
import { type Context, isContext, isLocale } from '../rules/vocabulary';
import type { Config } from './config';
import { EXIT, type Io } from './io';

const USAGE =
  'usage: winfix kb check | winfix kb graph --code CODE [--context CONTEXT] [--format mermaid|dot] [--locale ja|en|ru]';

function check(config: Config, io: Io): number {
  const { kb, problems } = checkKb(config.kbDir, { seedsDir: config.seedsDir });
  if (problems.length > 0) {
    for (const p of problems) io.err(`${p.where}: ${p.message}`);
    io.err(`kb check: ${problems.length} problem(s)`);
    return EXIT.problems;
  }
  io.out(
    `kb check: ok — ${kb.errors.size} codes, ${kb.contexts.length} code/context pairs, ${kb.steps.size} steps, ` +
      `${kb.rules.length} rules, ${kb.runbooks.size} runbooks, ${kb.seeds.length} seeds`,
  );
  return EXIT.ok;
}

/** Where the graph starts for each context: the steps the rules bring in (entry, add, promote). */
async function startsFor(knowledge: Knowledge, code: string, contexts: (Context | null)[]) {
  const starts = [];
  for (const context of contexts) {
    const fired = await knowledge.planner.fire(factsFrom({ subcodes: [], kb: [], os: null }, code, context));
    const steps = fired.filter((f) => f.event.type !== 'remove').map((f) => f.event.params.step);
    if (steps.length > 0) starts.push({ label: `${code} · ${context ?? 'context unknown'}`, steps });
  }
  return starts;
}

async function graph(args: string[], config: Config, io: Io): Promise<number> {
  let values: { code?: string; context?: string; format?: string; locale?: string };
  try {
    values = parseArgs({
      args,
      options: {
        code: { type: 'string' },
        context: { type: 'string' },
        format: { type: 'string', default: 'mermaid' },
        locale: { type: 'string', default: 'en' },
      },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (!values.code) {
    io.err(USAGE);
    return EXIT.usage;
  }
  if (values.context !== undefined && !isContext(values.context)) {
    io.err(`unknown context "${values.context}"`);
    return EXIT.usage;
  }
  const { format, locale } = values;
  if ((format !== 'mermaid' && format !== 'dot') || !isLocale(locale)) {
    io.err(`--format must be mermaid or dot, --locale ja, en or ru\n${USAGE}`);
    return EXIT.usage;
  }
  const knowledge = createKnowledge(config.kbDir);
  const code = knowledge.understand(values.code).codes[0];
  if (!code) {
    io.err(`not an error code: ${values.code}`);
    return EXIT.usage;
  }
  const contexts = values.context ? [values.context] : contextsOf(knowledge.kb, code);
  const starts = await startsFor(knowledge, code, contexts.length > 0 ? contexts : [null]);
  const title = `${code}${values.context ? ` in ${values.context}` : ''}`;
  const drawing = drawGraph(knowledge.kb, { title, starts, format, locale });
  if (!drawing) {
    io.err(`no remediation graph for ${title}`);
    return EXIT.problems;
  }
  io.out(drawing);
  return EXIT.ok;
}

export async function kbCommand(args: string[], config: Config, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') return check(config, io);
  if (sub === 'graph') return graph(rest, config, io);
  io.err(USAGE);
  return EXIT.usage;
}
