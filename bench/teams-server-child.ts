/**
 * The servers of the Teams benchmark in a process of their own (forked by teams-http.bench.ts), as they
 * run when deployed: the channel and the people typing are elsewhere. Sends the two URLs once
 * listening; answers 'cpu' with this process's CPU usage; exits on 'exit'.
 */
import { createKnowledge } from '../rules/knowledge';
import { createEchoServer, createWinfixServer } from './bench-servers';

export interface ServerChildReady {
  winfixUrl: string;
  echoUrl: string;
}

async function main(): Promise<void> {
  const winfix = createWinfixServer(createKnowledge());
  const echo = createEchoServer();
  const ready: ServerChildReady = {
    winfixUrl: await winfix.listen(0, '127.0.0.1'),
    echoUrl: await echo.listen(0, '127.0.0.1'),
  };
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (message === 'exit')
      void Promise.all([winfix.close(), echo.close()]).finally(() => process.disconnect());
  });
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
