/**
 * Triage per message over the realistic message corpus: p50 and p99 (target p99 < 2 ms), and the same
 * corpus against the knowledge base grown tenfold with synthetic codes (rules, orders, steps pinned to
 * codes nobody writes): triage cost must not grow with the knowledge base (ratio printed).
 */

import type { KnowledgeBase } from '../rules/kb/knowledge-base';
import { loadKb } from '../rules/kb/load';
import type { Rule, Step } from '../rules/kb/schema';
import { createKnowledge, type Knowledge } from '../rules/knowledge';
import { Planner } from '../rules/planner/planner';
import { triage } from '../rules/triage';
import corpus from './corpus/messages.json';
import { ms, percentile, saveResult } from './measure';

const ROUNDS = 50;
const GROWTH = 10;

/** The committed KB plus (GROWTH − 1) × its size in synthetic codes, each with an entry rule, rules and an order. */
function grownKnowledge(base: Knowledge): Knowledge {
  const kb = loadKb();
  const steps = new Map(kb.steps);
  const rules: Rule[] = [...kb.rules];
  const orders = [...kb.orders];
  const source = [{ seed: '004_545216fe780b5e1b.txt', quote: '0x80070002' }];
  const template = [...kb.steps.values()][0] as Step;
  const extraCodes = (GROWTH - 1) * Math.max(kb.errors.size, 10);
  for (let i = 0; i < extraCodes; i++) {
    const code = `0x8024${(0x1000 + i).toString(16).padStart(4, '0')}`;
    const ids = [0, 1, 2].map((j) => `synthetic-${i}-${j}`);
    ids.forEach((id, j) => {
      steps.set(id, { ...template, id, next: { success: 'done', failure: ids[j + 1] ?? 'handoff' } });
    });
    const pin = [
      { fact: 'code', operator: 'equal', value: code },
      { fact: 'context', operator: 'equal', value: 'windows-update' },
    ];
    rules.push({
      name: `entry-${code}`,
      conditions: { all: pin },
      event: { type: 'entry', params: { step: ids[0] as string } },
      sources: source,
    });
    for (let r = 0; r < 8; r++)
      rules.push({
        name: `promote-${code}-${r}`,
        conditions: { all: [...pin, { fact: 'freeDiskGb', operator: 'lessThan', value: r }] },
        event: { type: 'promote', params: { step: ids[r % 3] as string } },
        sources: source,
      });
    orders.push({
      code,
      context: 'windows-update',
      steps: ids.map((step) => ({ step, sources: source })),
      sources: source,
    });
  }
  const grown: KnowledgeBase = { ...kb, steps, rules, orders };
  return { kb: grown, planner: new Planner(grown), understand: base.understand };
}

async function measure(knowledge: Knowledge, texts: string[]): Promise<{ p50: number; p99: number }> {
  for (const text of texts) await triage(knowledge, text, { defaultLocale: 'en' });
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const text of texts) {
      const start = process.hrtime.bigint();
      await triage(knowledge, text, { defaultLocale: 'en' });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function triageBench(): Promise<void> {
  const knowledge = createKnowledge();
  const grown = grownKnowledge(knowledge);
  const texts = (corpus as { text: string }[]).map((m) => m.text);
  // Interleaved, so a slow moment of the machine hits both alike.
  const a1 = await measure(knowledge, texts);
  const b1 = await measure(grown, texts);
  const a2 = await measure(knowledge, texts);
  const b2 = await measure(grown, texts);
  const base = { p50: Math.min(a1.p50, a2.p50), p99: Math.min(a1.p99, a2.p99) };
  const big = { p50: Math.min(b1.p50, b2.p50), p99: Math.min(b1.p99, b2.p99) };
  const runs = texts.length * ROUNDS;
  console.log(
    `\nTriage per message (${texts.length} messages × ${ROUNDS} rounds = ${runs} runs, best of two)`,
  );
  console.log(
    `committed KB (${knowledge.kb.rules.length} rules): p50 ${ms(base.p50)} ms   p99 ${ms(base.p99)} ms   (target p99 < 2 ms)`,
  );
  console.log(
    `KB grown ${GROWTH}× (${grown.kb.rules.length} rules, ${grown.kb.orders.length} orders): p50 ${ms(big.p50)} ms   p99 ${ms(big.p99)} ms   ratio p50 ${(big.p50 / base.p50).toFixed(2)}, p99 ${(big.p99 / base.p99).toFixed(2)} (target ≈ 1)`,
  );
  saveResult('triage', {
    messages: texts.length,
    runs,
    p50Ms: base.p50,
    p99Ms: base.p99,
    grown: { factor: GROWTH, rules: grown.kb.rules.length, p50Ms: big.p50, p99Ms: big.p99 },
  });
}
