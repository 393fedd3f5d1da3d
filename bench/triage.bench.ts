/** Triage per message over the realistic message corpus: p50 and p99 (target p99 < 2 ms). */
import { createKnowledge } from '../rules/knowledge';
import { triage } from '../rules/triage';
import corpus from './corpus/messages.json';
import { ms, percentile, saveResult } from './measure';

const ROUNDS = 50;

export async function triageBench(): Promise<void> {
  const knowledge = createKnowledge();
  const texts = (corpus as { text: string }[]).map((m) => m.text);
  for (const text of texts) await triage(knowledge, text, { defaultLocale: 'en' });
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const text of texts) {
      const start = process.hrtime.bigint();
      await triage(knowledge, text, { defaultLocale: 'en' });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  console.log(`\nTriage per message (${texts.length} messages × ${ROUNDS} rounds = ${samples.length} runs)`);
  console.log(`p50 ${ms(p50)} ms   p99 ${ms(p99)} ms   (target p99 < 2 ms)`);
  saveResult('triage', { messages: texts.length, runs: samples.length, p50Ms: p50, p99Ms: p99 });
}
