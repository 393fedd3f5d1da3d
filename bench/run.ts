/**
 * `npm run bench`: runs every benchmark, prints a short table each, saves JSON under bench/results/.
 * `npm run bench -- load` (or any benchmark's name) runs only the ones named.
 */
import { caseCostBench } from './case-cost.bench';
import { loadBench } from './load.bench';
import { reportBench } from './report.bench';
import { rulesScalingBench } from './rules-scaling.bench';
import { startupBench } from './startup.bench';
import { storageBench } from './storage.bench';
import { teamsHttpBench } from './teams-http.bench';
import { triageBench } from './triage.bench';

const BENCHES: Record<string, () => Promise<void>> = {
  triage: triageBench,
  'rules-scaling': rulesScalingBench,
  storage: storageBench,
  'teams-http': teamsHttpBench,
  'case-cost': caseCostBench,
  report: reportBench,
  startup: startupBench,
  load: loadBench,
};

async function run(): Promise<void> {
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !(name in BENCHES));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES))
    if (named.length === 0 || named.includes(name)) await bench();
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
