/**
 * Teams over HTTP: turn throughput and p50/p99 latency at 1, 10 and 50 concurrent conversations
 * against the real server (restify + Agents SDK + the real bot) and the local fake Bot Connector
 * channel, next to a bare echo bot on the same SDK and server in the same run; then the memory with
 * 1,000 active conversations, measured in a fresh child process (this file run with --memory-child).
 * A turn is one POST to /api/messages until its HTTP answer, which comes after the replies were sent to the channel. The winfix workload cycles through: a message with a code
 * (code card, then the step card with the plan's text on top, and the update closing the previous
 * question), "Didn't help" twice (card update + next step each), "start over" (card update + question
 * with the acknowledgement on top). Then levels 1 and 10 again with 20 ms of latency per channel call,
 * as a remote channel has: there a turn costs mostly the calls it waits for one after the other.
 * Then levels 1, 10 and 50 again with the two bots in a forked process (teams-server-child.ts), as
 * deployed, so the server's own CPU per turn is measured apart from the fake channel's and the clients'.
 * The figures are relative: compare winfix with echo in the same run.
 */
import { fork, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createKnowledge } from '../rules/knowledge';
import { type ChannelCall, FakeBotConnector } from '../test/helpers/fake-bot-connector';
import { cardOf, submitActions, TeamsUser } from '../test/helpers/teams-user';
import { createEchoServer, createWinfixServer } from './bench-servers';
import { ms, percentile, saveResult } from './measure';
import type { ServerChildReady } from './teams-server-child';

const LEVELS = [1, 10, 50];
const SECONDS_PER_LEVEL = 2.5;
/** The real channel is remote: the same workload again with this much latency per channel call. */
const CHANNEL_LATENCY_MS = 20;
const LATENCY_LEVELS = [1, 10];
const ACTIVE_CONVERSATIONS = 1000;

interface Run {
  concurrency: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Process CPU time (user + system, all threads) per turn: server, SDK, bot, fake channel and client. */
  cpuMsPerTurn: number;
  /** With the servers in their own process: that process's CPU per turn (then the above is the client's). */
  serverCpuMsPerTurn?: number;
  failed: number;
}

type CpuReader = () => Promise<NodeJS.CpuUsage>;
const cpuMs = (after: NodeJS.CpuUsage, before: NodeJS.CpuUsage) =>
  (after.user - before.user + after.system - before.system) / 1000;

/** Runs `turn` in `concurrency` loops for `seconds`; each loop gets its own index (its conversation). */
async function drive(
  concurrency: number,
  seconds: number,
  turn: (worker: number, n: number) => Promise<number>,
  serverCpu?: CpuReader,
): Promise<Run> {
  const samples: number[] = [];
  let failed = 0;
  const serverStart = await serverCpu?.();
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = 0; performance.now() < end; n++) {
        const t0 = performance.now();
        const status = await turn(worker, n);
        samples.push(performance.now() - t0);
        if (status !== 200) failed++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const serverEnd = await serverCpu?.();
  samples.sort((a, b) => a - b);
  return {
    ...(serverStart && serverEnd
      ? { serverCpuMsPerTurn: cpuMs(serverEnd, serverStart) / samples.length }
      : {}),
    concurrency,
    turns: samples.length,
    turnsPerSecond: samples.length / elapsed,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / samples.length,
    failed,
  };
}

/** Full GC when the process runs with --expose-gc (the memory child does); else V8 decides. */
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export async function teamsHttpBench(): Promise<void> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  // The latest "Didn't help" button per conversation, as a Teams client would show it.
  const buttons = new Map<string, { activityId: string; data: unknown }>();
  let channelCalls = 0;
  let channelUpdates = 0;
  channel.onCall = (call: ChannelCall) => {
    channelCalls++;
    if (call.kind === 'update') channelUpdates++;
    if (call.kind === 'update' || !call.id) return;
    const button = submitActions(cardOf(call.activity)).find((a) => a.title === "Didn't help");
    if (button) buttons.set(call.conversationId, { activityId: call.id, data: button.data });
  };

  const winfix = createWinfixServer(createKnowledge());
  const winfixUrl = await winfix.listen(0, '127.0.0.1');

  const echo = createEchoServer();
  const echoUrl = await echo.listen(0, '127.0.0.1');

  let round = 0;
  const winfixTurnAt = (url: string) => async (worker: number, n: number) => {
    const user = new TeamsUser(channel, url, `a:bench-${round}-${worker}`);
    const step = n % 4;
    if (step === 0) return (await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2')).status;
    if (step === 3) return (await user.say('start over')).status;
    const button = buttons.get(user.conversationId);
    if (!button) return (await user.say('start over')).status;
    return (await user.post(user.activity({ replyToId: button.activityId, value: button.data }))).status;
  };
  const echoTurnAt = (url: string) => async (worker: number, n: number) =>
    (await new TeamsUser(channel, url, `a:echo-${round}-${worker}`).say(`hello ${n}`)).status;
  const winfixTurn = winfixTurnAt(winfixUrl);
  const echoTurn = echoTurnAt(echoUrl);

  // Warm-up: JIT, connection pools, the knowledge base's first plans.
  round = -1;
  await drive(10, 0.5, winfixTurn);
  await drive(10, 0.5, echoTurn);

  const rows: { winfix: Run; echo: Run; ratio: number }[] = [];
  const callsPerWinfixTurn: number[] = [];
  const updatesPerWinfixTurn: number[] = [];
  for (const level of LEVELS) {
    round = level;
    const callsBefore = channelCalls;
    const updatesBefore = channelUpdates;
    const w = await drive(level, SECONDS_PER_LEVEL, winfixTurn);
    callsPerWinfixTurn.push((channelCalls - callsBefore) / w.turns);
    updatesPerWinfixTurn.push((channelUpdates - updatesBefore) / w.turns);
    const e = await drive(level, SECONDS_PER_LEVEL, echoTurn);
    rows.push({ winfix: w, echo: e, ratio: w.turnsPerSecond / e.turnsPerSecond });
  }

  console.log(
    '\nTeams over HTTP (real server + SDK + fake channel, one process): winfix bot vs bare echo bot',
  );
  console.log(
    'conc │ winfix turns/s   p50 ms   p99 ms  CPU ms │ echo turns/s   p50 ms   p99 ms  CPU ms │ winfix/echo',
  );
  const cells = (r: Run, width: number) =>
    `${r.turnsPerSecond.toFixed(0).padStart(width)} ${ms(r.p50Ms).padStart(8)} ${ms(r.p99Ms).padStart(8)} ${r.cpuMsPerTurn
      .toFixed(2)
      .padStart(7)}`;
  for (const { winfix: w, echo: e, ratio } of rows)
    console.log(
      `${String(w.concurrency).padStart(4)} │ ${cells(w, 14)} │ ${cells(e, 12)} │ ${ratio.toFixed(2).padStart(11)}`,
    );
  const failures = rows.reduce((sum, r) => sum + r.winfix.failed + r.echo.failed, 0);
  if (failures > 0) console.log(`(${failures} turns did not answer 200)`);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const callsPerTurn = mean(callsPerWinfixTurn);
  const updatesPerTurn = mean(updatesPerWinfixTurn);
  console.log(
    `A winfix turn makes ${callsPerTurn.toFixed(2)} calls to the channel on average: ${(callsPerTurn - updatesPerTurn).toFixed(2)} ` +
      `POSTs (cards, texts) one after the other and ${updatesPerTurn.toFixed(2)} PUTs (card updates, sent alongside); ` +
      'an echo turn makes 1 POST. CPU ms: process CPU per turn (server, SDK, bot, fake channel, client).',
  );

  // With a remote channel, what counts is how many calls a turn waits for one after the other.
  channel.latencyMs = CHANNEL_LATENCY_MS;
  const withLatency: { winfix: Run; echo: Run; ratio: number }[] = [];
  for (const level of LATENCY_LEVELS) {
    round = 1000 + level;
    const w = await drive(level, SECONDS_PER_LEVEL, winfixTurn);
    const e = await drive(level, SECONDS_PER_LEVEL, echoTurn);
    withLatency.push({ winfix: w, echo: e, ratio: w.turnsPerSecond / e.turnsPerSecond });
  }
  channel.latencyMs = 0;
  console.log(`With ${CHANNEL_LATENCY_MS} ms of channel latency per call:`);
  for (const { winfix: w, echo: e, ratio } of withLatency)
    console.log(
      `${String(w.concurrency).padStart(4)} │ ${cells(w, 14)} │ ${cells(e, 12)} │ ${ratio.toFixed(2).padStart(11)}`,
    );

  // As deployed: the servers in a process of their own; the channel and the clients are elsewhere.
  const child = await startServerChild();
  const split: { winfix: Run; echo: Run; ratio: number }[] = [];
  try {
    round = 2000;
    await drive(10, 0.5, winfixTurnAt(child.winfixUrl), child.cpu);
    await drive(10, 0.5, echoTurnAt(child.echoUrl), child.cpu);
    for (const level of LEVELS) {
      round = 2000 + level;
      const w = await drive(level, SECONDS_PER_LEVEL, winfixTurnAt(child.winfixUrl), child.cpu);
      const e = await drive(level, SECONDS_PER_LEVEL, echoTurnAt(child.echoUrl), child.cpu);
      split.push({ winfix: w, echo: e, ratio: w.turnsPerSecond / e.turnsPerSecond });
    }
  } finally {
    await child.stop();
  }
  console.log(
    'Servers in their own process (as deployed), fake channel and clients in this one; CPU ms: the server ' +
      'process per turn, then this one:',
  );
  const splitCells = (r: Run, width: number) =>
    `${r.turnsPerSecond.toFixed(0).padStart(width)} ${ms(r.p50Ms).padStart(8)} ${ms(r.p99Ms).padStart(8)} ${(
      r.serverCpuMsPerTurn ?? Number.NaN
    )
      .toFixed(2)
      .padStart(7)}/${r.cpuMsPerTurn.toFixed(2)}`;
  for (const { winfix: w, echo: e, ratio } of split)
    console.log(
      `${String(w.concurrency).padStart(4)} │ ${splitCells(w, 14)} │ ${splitCells(e, 12)} │ ${ratio.toFixed(2).padStart(6)}`,
    );

  const memory = measureMemoryInChild();
  console.log(
    `RSS with ${memory.conversations} active conversations (fresh process: server, SDK, bot, in-memory stores, ` +
      `fake channel): ${memory.rssAfterMb} MB, ${memory.rssBeforeMb} MB before them; live heap after GC ` +
      `+${memory.heapDeltaMb} MB ≈ ${memory.heapPerConversationKb} KB per conversation (state, reference, open card).`,
  );
  console.log(
    `  (The RSS growth is the working set of a process under load, V8 heap reserve ${memory.heapTotalBeforeMb} → ` +
      `${memory.heapTotalAfterMb} MB and allocator arenas; it levels off after ~1,000 turns whatever the number of ` +
      'conversations.)',
  );

  await winfix.close();
  await echo.close();
  await channel.stop();
  saveResult('teams-http', {
    secondsPerLevel: SECONDS_PER_LEVEL,
    levels: rows,
    channelLatencyMs: CHANNEL_LATENCY_MS,
    levelsWithChannelLatency: withLatency,
    levelsServerInOwnProcess: split,
    channelCallsPerWinfixTurn: Number(mean(callsPerWinfixTurn).toFixed(2)),
    channelUpdatesPerWinfixTurn: Number(mean(updatesPerWinfixTurn).toFixed(2)),
    memory,
  });
}

interface MemoryFigures {
  conversations: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapDeltaMb: number;
  heapPerConversationKb: number;
  /** V8's reserved heap (used or not) before and after. */
  heapTotalBeforeMb: number;
  heapTotalAfterMb: number;
}

/** In this process: the server and fake channel, a warm-up, then 1,000 conversations left on an open step card. */
async function memoryFigures(): Promise<MemoryFigures> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  const service = createWinfixServer(createKnowledge());
  const url = await service.listen(0, '127.0.0.1');
  const open = async (prefix: string, count: number) => {
    for (let batch = 0; batch < count; batch += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, count - batch) }, (_, i) =>
          new TeamsUser(channel, url, `a:${prefix}-${batch + i}`).say(
            'Windows Update fails with 0x80070002 on Windows 11 23H2',
          ),
        ),
      );
  };
  await open('warm', 50);
  gc();
  const before = process.memoryUsage();
  await open('mem', ACTIVE_CONVERSATIONS);
  gc();
  const after = process.memoryUsage();
  await service.close();
  await channel.stop();
  const heapDelta = after.heapUsed - before.heapUsed;
  return {
    conversations: ACTIVE_CONVERSATIONS,
    rssBeforeMb: Number(mb(before.rss)),
    rssAfterMb: Number(mb(after.rss)),
    heapDeltaMb: Number(mb(heapDelta)),
    heapPerConversationKb: Number((heapDelta / 1024 / ACTIVE_CONVERSATIONS).toFixed(1)),
    heapTotalBeforeMb: Number(mb(before.heapTotal)),
    heapTotalAfterMb: Number(mb(after.heapTotal)),
  };
}

/** Forks teams-server-child.ts and waits for its URLs. */
async function startServerChild(): Promise<ServerChildReady & { cpu: CpuReader; stop: () => Promise<void> }> {
  const child = fork(path.join(__dirname, 'teams-server-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ServerChildReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServerChildReady));
    child.once('exit', (code) => reject(new Error(`the server child exited (${code})`)));
  });
  return {
    ...ready,
    cpu: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve((message as { cpu: NodeJS.CpuUsage }).cpu));
        child.send('cpu');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('exit');
      }),
  };
}

/** Memory is measured in a fresh process, so the other benchmarks' leftovers do not count. */
function measureMemoryInChild(): MemoryFigures {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', __filename, '--memory-child'],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{'))
    throw new Error(`the memory child failed (${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(last) as MemoryFigures;
}

if (require.main === module && process.argv.includes('--memory-child'))
  memoryFigures().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
