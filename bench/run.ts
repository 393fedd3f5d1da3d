/** `npm run bench`: runs every benchmark, prints a short table each, saves JSON under bench/results/. */
import { reportBench } from './report.bench';
import { rulesScalingBench } from './rules-scaling.bench';
import { startupBench } from './startup.bench';
import { storageBench } from './storage.bench';
import { teamsHttpBench } from './teams-http.bench';
import { triageBench } from './triage.bench';

async function run(): Promise<void> {
  await triageBench();
  await rulesScalingBench();
  await storageBench();
  await teamsHttpBench();
  await reportBench();
  await startupBench();
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
