/** Everything the bot knows, loaded once: the KB, the understander built from it, and the planner. */
import { DEFAULT_KB_DIR, type KnowledgeBase, loadKb } from './kb/load';
import type { PlanFacts } from './planner/facts';
import { Planner } from './planner/planner';
import { createUnderstander, type Understanding } from './understand';
import type { Clue, Context, Tried } from './vocabulary';

export interface Knowledge {
  kb: KnowledgeBase;
  planner: Planner;
  understand: (text: string) => Understanding;
}

export function createKnowledge(kbDir: string = DEFAULT_KB_DIR): Knowledge {
  return knowledgeOf(loadKb(kbDir));
}

/** Knowledge over a knowledge base already in memory (a subset or a grown copy in the benchmarks). */
export function knowledgeOf(kb: KnowledgeBase): Knowledge {
  const aliases: Record<string, string> = {};
  for (const entry of kb.errors.values())
    for (const alias of entry.aliases) aliases[alias.toLowerCase()] = entry.code;
  return {
    kb,
    planner: new Planner(kb),
    understand: createUnderstander({
      aliases,
      releases: kb.releases,
      knownCodes: [...kb.errors.keys()],
      codeHome: (code) => {
        const contexts = contextsOf(kb, code);
        return contexts.length === 1 ? (contexts[0] ?? null) : null;
      },
    }),
  };
}

/** The contexts the KB has seen a code in. */
export function contextsOf(kb: KnowledgeBase, code: string): Context[] {
  return kb.contexts.filter((c) => c.code === code).map((c) => c.context);
}

/** Facts for the planner from what a message said (diagnostic facts come later, from the PC). */
export function factsFrom(
  understanding: Pick<Understanding, 'subcodes' | 'kb' | 'os'> & { tried?: Tried[]; clues?: Clue[] },
  code: string | null,
  context: Context | null,
): PlanFacts {
  const build = understanding.os?.build ? Number.parseInt(understanding.os.build, 10) : null;
  return {
    code,
    subcode: understanding.subcodes[0] ?? null,
    context,
    osFamily: understanding.os?.family ?? null,
    osBuild: Number.isFinite(build) ? build : null,
    kb: understanding.kb,
    tried: understanding.tried ?? [],
    clues: understanding.clues ?? [],
  };
}
