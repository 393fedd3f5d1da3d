/**
 * Load: 200 concurrent Teams conversations for WINFIX_BENCH_LOAD_SECONDS (default 60) against `winfix
 * serve` running as its own process on PostgreSQL (a schema of its own), with the fake Bot Connector in
 * this process; then the same spread over two `winfix serve` processes sharing that schema. The
 * workload is a case: a message with a code and an OS, "Didn't help" twice, "start over". Prints
 * throughput, p50/p99, errors (any answer but 200) and each server's RSS (now and peak), saves JSON
 * under bench/results/ with the date in the name. `npm run bench -- load` runs only this.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../test/connectors/storage/test-databases';
import { type ChannelCall, FakeBotConnector } from '../test/helpers/fake-bot-connector';
import { cardOf, submitActions, TeamsUser } from '../test/helpers/teams-user';
import { ms, percentile, saveResult } from './measure';

const CONVERSATIONS = 200;
const SECONDS = Number(process.env.WINFIX_BENCH_LOAD_SECONDS ?? 60);
const BIN = path.join(__dirname, '..', 'bin', 'winfix.js');

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1'], {
    env: {
      ...env,
      PORT: '0',
      NODE_ENV: 'test',
      WINFIX_EMPLOYEES_ARE_ADMINS: 'yes',
      WINFIX_RATE_MESSAGES_PER_MINUTE: '0',
      WINFIX_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "listening" line: ${seen.slice(-2000)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        seen = '';
        // Keep draining the log so the child never blocks on a full pipe.
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve({ url: match[1], child });
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`winfix serve exited (${code}): ${seen.slice(-2000)}`)));
  });
}

function rssMb(pid: number | undefined): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

interface LoadRun {
  instances: number;
  conversations: number;
  seconds: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  servers: { rssMb: number; peakRssMb: number }[];
}

async function drive(servers: Server[], channel: FakeBotConnector, label: string): Promise<LoadRun> {
  const buttons = new Map<string, { activityId: string; data: unknown }>();
  channel.onCall = (call: ChannelCall) => {
    if (call.kind === 'update' || !call.id) return;
    const button = submitActions(cardOf(call.activity)).find((a) => a.title === "Didn't help");
    if (button) buttons.set(call.conversationId, { activityId: call.id, data: button.data });
  };
  const samples: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, worker) => {
      const server = servers[worker % servers.length] as Server;
      const user = new TeamsUser(channel, server.url, `a:load-${label}-${worker}`, {
        userId: `29:load-${label}-${worker}`,
      });
      for (let n = 0; performance.now() < end; n++) {
        const t0 = performance.now();
        let status = 0;
        try {
          const step = n % 4;
          const button = buttons.get(user.conversationId);
          if (step === 0)
            status = (await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2')).status;
          else if (step === 3 || !button) status = (await user.say('start over')).status;
          else
            status = (await user.post(user.activity({ replyToId: button.activityId, value: button.data })))
              .status;
        } catch {
          status = 0;
        }
        samples.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  samples.sort((a, b) => a - b);
  return {
    instances: servers.length,
    conversations: CONVERSATIONS,
    seconds: SECONDS,
    turns: samples.length,
    turnsPerSecond: samples.length / elapsed,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    errors,
    servers: servers.map((s) => rssMb(s.child.pid)),
  };
}

export async function loadBench(): Promise<void> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  const db = await createTestDatabase('postgres');
  const runs: LoadRun[] = [];
  try {
    const one = await startServer(db.env);
    try {
      runs.push(await drive([one], channel, 'one'));
    } finally {
      await stopServer(one);
    }
    // One after the other: the second finds the schema migrated.
    const first = await startServer(db.env);
    const second = await startServer(db.env).catch(async (error: unknown) => {
      await stopServer(first);
      throw error;
    });
    try {
      runs.push(await drive([first, second], channel, 'two'));
    } finally {
      await Promise.all([stopServer(first), stopServer(second)]);
    }
  } finally {
    await channel.stop();
    await db.drop();
  }
  console.log(
    `\nLoad: ${CONVERSATIONS} concurrent Teams conversations for ${SECONDS} s, winfix serve in its own process(es) on PostgreSQL`,
  );
  console.log('instances │ turns/s   p50 ms   p99 ms  errors │ RSS MB (peak) per instance');
  for (const r of runs)
    console.log(
      `${String(r.instances).padStart(9)} │ ${r.turnsPerSecond.toFixed(0).padStart(7)} ${ms(r.p50Ms).padStart(8)} ${ms(
        r.p99Ms,
      ).padStart(
        8,
      )} ${String(r.errors).padStart(7)} │ ${r.servers.map((s) => `${s.rssMb} (${s.peakRssMb})`).join(', ')}`,
    );
  saveResult(`load-${new Date().toISOString().slice(0, 10)}`, { runs });
}

if (require.main === module)
  loadBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
