/**
 * One bot of the case-cost benchmark in a process of its own (forked by case-cost.bench.ts), as
 * deployed: `winfix` (the real bot, in-memory stores, the default knowledge base) or `echo` (a bare
 * Agents SDK bot answering each message with one text). Sends its URL once listening; answers 'cpu'
 * with this process's CPU usage; exits on 'exit' (so a `--cpu-prof` profile is written).
 */
import { createKnowledge } from '../rules/knowledge';
import { createEchoServer, createWinfixServer } from './bench-servers';

export interface CaseCostChildReady {
  url: string;
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'winfix' && kind !== 'echo')
    throw new Error(`usage: case-cost-child.ts winfix|echo (got ${kind})`);
  const server = kind === 'winfix' ? createWinfixServer(createKnowledge()) : createEchoServer();
  const ready: CaseCostChildReady = { url: await server.listen(0, '127.0.0.1') };
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (message === 'exit')
      void server.close().finally(() => {
        process.disconnect();
        process.exit(0);
      });
  });
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
