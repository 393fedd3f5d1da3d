/** `npm run bench`: runs every benchmark, prints a short table each, saves JSON under bench/results/. */
import { rulesScalingBench } from './rules-scaling.bench';
import { triageBench } from './triage.bench';

async function run(): Promise<void> {
  await triageBench();
  await rulesScalingBench();
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
