/**
 * The cost of a real case (issue 15): winfix against a bare Agents SDK echo bot, EACH in its own forked
 * process (case-cost-child.ts), both behind the same fake Bot Connector channel in this process, with
 * the clients here too. A winfix conversation is a real case: one message with a code and the OS (the
 * step card comes straight away), then three "Didn't help" presses sent as Teams sends them now
 * (`adaptiveCard/action` invokes of an Action.Execute), each answered with the next card in the invoke's
 * HTTP answer. An echo conversation is four messages, one text reply each. A turn is one HTTP request
 * to the bot until its answer. Levels 10 and 50 concurrent conversations; at each level the two bots
 * alternate in short rounds (the machine is shared and noisy) and the figures pool the rounds.
 * Targets: winfix throughput ≥ 0.8× echo's and p99 ≤ 1.5× echo's at both levels. Server CPU per turn
 * is each child's own process.cpuUsage over the rounds, read over IPC.
 *
 * `node --import tsx bench/case-cost.bench.ts --profile DIR [winfix|echo]` instead runs one bot's child alone with
 * `node --cpu-prof --cpu-prof-dir DIR` under the same workload (see bench/cpu-profile-top.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { ADAPTIVE_CARD, type ChannelCall, FakeBotConnector } from '../test/helpers/fake-bot-connector';
import { cardOf, submitActions, TeamsUser } from '../test/helpers/teams-user';
import type { CaseCostChildReady } from './case-cost-child';
import { ms, percentile, saveResult } from './measure';

const LEVELS = [10, 50];
const ROUNDS = 3;
const SECONDS_PER_ROUND = 2.5;
const TARGET_THROUGHPUT = 0.8;
const TARGET_P99 = 1.5;
export const CASE_MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';
const DIDNT_HELP = "Didn't help";

type Json = Record<string, unknown>;

interface Round {
  turns: number;
  seconds: number;
  samples: number[];
  /** The first turn of each conversation (a message) apart: for winfix the heavier one. */
  firstSamples: number[];
  laterSamples: number[];
  serverCpuMs: number;
  channelCalls: number;
  failed: number;
}

interface Figures {
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPerTurn: number;
  channelCallsPerTurn: number;
  failed: number;
  /** Turns/s of each round, in order. */
  roundTurnsPerSecond: number[];
  /** p50/p99 of the first turn of a conversation (the message) and of the three after it. */
  firstTurn: { p50Ms: number; p99Ms: number };
  laterTurns: { p50Ms: number; p99Ms: number };
}

export interface BotChild {
  url: string;
  cpu: () => Promise<number>;
  stop: () => Promise<void>;
}

/** Forks case-cost-child.ts for `kind`; `nodeArgs` go before tsx (e.g. --cpu-prof). */
export async function startBotChild(kind: 'winfix' | 'echo', nodeArgs: string[] = []): Promise<BotChild> {
  const child: ChildProcess = fork(path.join(__dirname, 'case-cost-child.ts'), [kind], {
    execArgv: [...nodeArgs, '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<CaseCostChildReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as CaseCostChildReady));
    child.once('exit', (code) => reject(new Error(`the ${kind} child exited (${code})`)));
  });
  return {
    url: ready.url,
    cpu: () =>
      new Promise((resolve) => {
        child.once('message', (message) => {
          const cpu = (message as { cpu: NodeJS.CpuUsage }).cpu;
          resolve((cpu.user + cpu.system) / 1000);
        });
        child.send('cpu');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('exit');
      }),
  };
}

/** The Didn't-help button of a card: where the next press goes. */
function didntHelp(card: unknown): { verb: string; data: unknown } | null {
  const button = submitActions(card).find((a) => a.title === DIDNT_HELP && a.type === 'Action.Execute');
  return button ? { verb: button.verb ?? '', data: button.data } : null;
}

/**
 * The workloads. Each worker plays one conversation after the other; `turn(worker)` plays that
 * worker's next turn and returns whether it went as expected (200, and for winfix the card with
 * "Didn't help" where one is due).
 */
export class CaseWorkload {
  /** The step card (activity id, button) each winfix conversation shows, from the channel's sends. */
  private readonly cards = new Map<string, { activityId: string; verb: string; data: unknown }>();
  private readonly position = new Map<string, number>();
  private readonly conversation = new Map<string, number>();
  channelCalls = { winfix: 0, echo: 0 };

  constructor(private readonly channel: FakeBotConnector) {
    channel.onCall = (call: ChannelCall) => {
      const bot = call.conversationId.startsWith('a:echo-') ? 'echo' : 'winfix';
      this.channelCalls[bot]++;
      if (bot === 'echo' || call.kind === 'update' || !call.id) return;
      const button = didntHelp(cardOf(call.activity));
      if (button) this.cards.set(call.conversationId, { activityId: call.id, ...button });
    };
  }

  /** The next turn of `worker` (prefix names the run) against the bot at `url`. */
  async turn(bot: 'winfix' | 'echo', url: string, prefix: string, worker: number): Promise<boolean> {
    const key = `${bot}-${prefix}-${worker}`;
    const n = this.position.get(key) ?? 0;
    const c = this.conversation.get(key) ?? 0;
    this.position.set(key, (n + 1) % 4);
    if (n === 3) this.conversation.set(key, c + 1);
    const user = new TeamsUser(this.channel, url, `a:${key}-${c}`);
    if (bot === 'echo') return (await user.say(`echo this please ${n}`)).status === 200;
    if (n === 0) {
      const result = await user.say(CASE_MESSAGE);
      return result.status === 200 && this.cards.has(user.conversationId);
    }
    const card = this.cards.get(user.conversationId);
    if (!card) return false;
    const activity = user.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: card.activityId,
      value: { action: { type: 'Action.Execute', verb: card.verb, data: card.data }, trigger: 'manual' },
    });
    const result = await user.post(activity);
    if (result.status !== 200) return false;
    const body = JSON.parse(result.body) as Json;
    if (body.statusCode !== 200 || body.type !== ADAPTIVE_CARD) return false;
    if (n === 3) {
      this.cards.delete(user.conversationId);
      return true;
    }
    const next = didntHelp(body.value);
    if (!next) return false;
    this.cards.set(user.conversationId, { activityId: card.activityId, ...next });
    return true;
  }
}

/** `concurrency` workers playing turns for `seconds`. */
async function round(
  workload: CaseWorkload,
  bot: 'winfix' | 'echo',
  child: BotChild,
  prefix: string,
  concurrency: number,
  seconds: number,
): Promise<Round> {
  const samples: number[] = [];
  const firstSamples: number[] = [];
  const laterSamples: number[] = [];
  let failed = 0;
  const callsBefore = workload.channelCalls[bot];
  const cpuBefore = await child.cpu();
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      // Whole conversations only, so each bot's turn mix is its workload's.
      let n = 0;
      while (performance.now() < end || n % 4 !== 0) {
        const t0 = performance.now();
        const ok = await workload.turn(bot, child.url, prefix, worker);
        const took = performance.now() - t0;
        (n % 4 === 0 ? firstSamples : laterSamples).push(took);
        samples.push(took);
        if (!ok) failed++;
        n++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpuAfter = await child.cpu();
  return {
    turns: samples.length,
    seconds: elapsed,
    samples,
    firstSamples,
    laterSamples,
    serverCpuMs: cpuAfter - cpuBefore,
    channelCalls: workload.channelCalls[bot] - callsBefore,
    failed,
  };
}

function pool(rounds: Round[]): Figures {
  const samples = rounds.flatMap((r) => r.samples).sort((a, b) => a - b);
  const turns = samples.length;
  const sum = (f: (r: Round) => number) => rounds.reduce((total, r) => total + f(r), 0);
  const first = rounds.flatMap((r) => r.firstSamples).sort((a, b) => a - b);
  const later = rounds.flatMap((r) => r.laterSamples).sort((a, b) => a - b);
  return {
    turns,
    turnsPerSecond: turns / sum((r) => r.seconds),
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    serverCpuMsPerTurn: sum((r) => r.serverCpuMs) / turns,
    channelCallsPerTurn: sum((r) => r.channelCalls) / turns,
    failed: sum((r) => r.failed),
    roundTurnsPerSecond: rounds.map((r) => Number((r.turns / r.seconds).toFixed(1))),
    firstTurn: { p50Ms: percentile(first, 50), p99Ms: percentile(first, 99) },
    laterTurns: { p50Ms: percentile(later, 50), p99Ms: percentile(later, 99) },
  };
}

export async function caseCostBench(): Promise<void> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  const workload = new CaseWorkload(channel);
  const [winfix, echo] = await Promise.all([startBotChild('winfix'), startBotChild('echo')]);
  const children = { winfix, echo };
  const rows: { concurrency: number; winfix: Figures; echo: Figures }[] = [];
  try {
    // Warm-up: JIT, connection pools, the knowledge base's first plans.
    await round(workload, 'winfix', winfix, 'warm', 10, 1);
    await round(workload, 'echo', echo, 'warm', 10, 1);
    for (const level of LEVELS) {
      const rounds: Record<'winfix' | 'echo', Round[]> = { winfix: [], echo: [] };
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which bot goes first, so a slow spell of the machine does not favour one.
        const order: ('winfix' | 'echo')[] = r % 2 === 0 ? ['winfix', 'echo'] : ['echo', 'winfix'];
        for (const bot of order)
          rounds[bot].push(
            await round(workload, bot, children[bot], `${level}-${r}`, level, SECONDS_PER_ROUND),
          );
      }
      rows.push({ concurrency: level, winfix: pool(rounds.winfix), echo: pool(rounds.echo) });
    }
  } finally {
    await Promise.all([winfix.stop(), echo.stop()]);
    await channel.stop();
  }

  console.log(
    `\nCase cost (issue 15): winfix vs a bare Agents SDK echo bot, each in its own process, same fake channel; ` +
      `${ROUNDS} alternating rounds of ${SECONDS_PER_ROUND} s per bot and level, pooled`,
  );
  console.log(
    'conc │ winfix turns/s  p50 ms  p99 ms  CPU ms/turn calls/turn │ echo turns/s  p50 ms  p99 ms  CPU ms/turn calls/turn │ throughput ratio  p99 ratio',
  );
  const cells = (f: Figures, width: number) =>
    `${f.turnsPerSecond.toFixed(0).padStart(width)} ${ms(f.p50Ms).padStart(7)} ${ms(f.p99Ms).padStart(7)} ${f.serverCpuMsPerTurn
      .toFixed(2)
      .padStart(12)} ${f.channelCallsPerTurn.toFixed(2).padStart(10)}`;
  const results = rows.map(({ concurrency, winfix: w, echo: e }) => {
    const throughputRatio = w.turnsPerSecond / e.turnsPerSecond;
    const p99Ratio = w.p99Ms / e.p99Ms;
    console.log(
      `${String(concurrency).padStart(4)} │ ${cells(w, 14)} │ ${cells(e, 12)} │ ${throughputRatio
        .toFixed(2)
        .padStart(16)} ${p99Ratio.toFixed(2).padStart(10)}`,
    );
    return {
      concurrency,
      winfix: w,
      echo: e,
      throughputRatio: Number(throughputRatio.toFixed(3)),
      p99Ratio: Number(p99Ratio.toFixed(3)),
      throughputMet: throughputRatio >= TARGET_THROUGHPUT,
      p99Met: p99Ratio <= TARGET_P99,
    };
  });
  for (const r of results)
    console.log(
      `  at ${r.concurrency}: throughput ${r.throughputRatio.toFixed(2)}× echo (target ≥ ${TARGET_THROUGHPUT}: ${
        r.throughputMet ? 'met' : 'NOT met'
      }), p99 ${r.p99Ratio.toFixed(2)}× echo (target ≤ ${TARGET_P99}: ${r.p99Met ? 'met' : 'NOT met'}); ` +
        `rounds winfix ${r.winfix.roundTurnsPerSecond.join('/')} turns/s, echo ${r.echo.roundTurnsPerSecond.join('/')}`,
    );
  for (const r of results)
    console.log(
      `  at ${r.concurrency}, p50/p99 ms of the first turn (the message) and of the three after it: winfix ` +
        `${ms(r.winfix.firstTurn.p50Ms)}/${ms(r.winfix.firstTurn.p99Ms)} and ${ms(r.winfix.laterTurns.p50Ms)}/${ms(r.winfix.laterTurns.p99Ms)}, ` +
        `echo ${ms(r.echo.firstTurn.p50Ms)}/${ms(r.echo.firstTurn.p99Ms)} and ${ms(r.echo.laterTurns.p50Ms)}/${ms(r.echo.laterTurns.p99Ms)}`,
    );
  const failed = results.reduce((sum, r) => sum + r.winfix.failed + r.echo.failed, 0);
  if (failed > 0) console.log(`  (${failed} turns did not go as expected: not 200, or no next card)`);
  console.log(
    '  CPU ms/turn: the bot process alone (process.cpuUsage of its child); calls/turn: calls it made to the channel.',
  );
  saveResult('case-cost', {
    workload: {
      winfix: `"${CASE_MESSAGE}", then three "${DIDNT_HELP}" Action.Execute invokes`,
      echo: 'four messages, one text reply each',
    },
    rounds: ROUNDS,
    secondsPerRound: SECONDS_PER_ROUND,
    targets: { throughputRatioAtLeast: TARGET_THROUGHPUT, p99RatioAtMost: TARGET_P99 },
    levels: results.map((r) => ({
      ...r,
      winfix: { ...r.winfix },
      echo: { ...r.echo },
    })),
  });
}

/** One bot's child alone under --cpu-prof, `seconds` at each level; the profile lands in `dir`. */
async function profileBot(bot: 'winfix' | 'echo', dir: string, seconds: number): Promise<void> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  const workload = new CaseWorkload(channel);
  const child = await startBotChild(bot, ['--cpu-prof', '--cpu-prof-dir', dir]);
  try {
    for (const level of LEVELS) {
      const r = await round(workload, bot, child, `prof-${level}`, level, seconds);
      console.log(
        `profiled at ${level}: ${r.turns} turns, ${(r.turns / r.seconds).toFixed(0)} turns/s, ${(r.serverCpuMs / r.turns).toFixed(2)} CPU ms/turn, ${r.failed} failed`,
      );
    }
  } finally {
    await child.stop();
    await channel.stop();
  }
  console.log(
    `profile written under ${dir} (read it with: node --import tsx bench/cpu-profile-top.ts ${dir})`,
  );
}

if (require.main === module) {
  const at = process.argv.indexOf('--profile');
  if (at < 0 || !process.argv[at + 1]) {
    console.error(
      'usage: node --import tsx bench/case-cost.bench.ts --profile DIR [winfix|echo] (or npm run bench -- case-cost)',
    );
    process.exitCode = 2;
  } else
    profileBot(process.argv[at + 2] === 'echo' ? 'echo' : 'winfix', process.argv[at + 1] as string, 5).catch(
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
}
