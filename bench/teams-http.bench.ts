/**
 * Teams over HTTP: turn throughput and p50/p99 latency at 1, 10 and 50 concurrent conversations
 * against the real server (restify + Agents SDK + the real bot) and the local fake Bot Connector
 * channel, next to a bare echo bot on the same SDK and server in the same run; then the memory with
 * 1,000 active conversations. A turn is one POST to /api/messages until its HTTP answer, which comes
 * after the replies were sent to the channel. The winfix workload cycles through: a message with a code
 * (code card, plan text, step card), "Didn't help" twice (card update + next step each), "start over".
 * Everything runs in one process (the fake channel included), so the figures are relative.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CloudAdapter } from '@microsoft/agents-hosting';
import { createBot, InMemoryConversationStore, InMemoryReferenceStore } from '../bot';
import { createTeamsHttpServer, createTeamsService, type TeamsLog } from '../connectors/teams';
import { authConfiguration } from '../connectors/teams/auth';
import { createKnowledge } from '../rules/knowledge';
import { type ChannelCall, FakeBotConnector } from '../test/helpers/fake-bot-connector';
import { cardOf, submitActions, TeamsUser } from '../test/helpers/teams-user';
import { ms, percentile, saveResult } from './measure';

const LEVELS = [1, 10, 50];
const SECONDS_PER_LEVEL = 2.5;
const ACTIVE_CONVERSATIONS = 1000;
const quiet: TeamsLog = { info: () => {}, warn: () => {}, error: () => {} };

interface Run {
  concurrency: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

/** Runs `turn` in `concurrency` loops for `seconds`; each loop gets its own index (its conversation). */
async function drive(
  concurrency: number,
  seconds: number,
  turn: (worker: number, n: number) => Promise<number>,
): Promise<Run> {
  const samples: number[] = [];
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
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
  samples.sort((a, b) => a - b);
  return {
    concurrency,
    turns: samples.length,
    turnsPerSecond: samples.length / elapsed,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    failed,
  };
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export async function teamsHttpBench(): Promise<void> {
  const channel = new FakeBotConnector();
  channel.record = false;
  channel.checkContracts = false;
  await channel.start();
  // The latest "Didn't help" button per conversation, as a Teams client would show it.
  const buttons = new Map<string, { activityId: string; data: unknown }>();
  channel.onCall = (call: ChannelCall) => {
    if (call.kind === 'update' || !call.id) return;
    const button = submitActions(cardOf(call.activity)).find((a) => a.title === "Didn't help");
    if (button) buttons.set(call.conversationId, { activityId: call.id, data: button.data });
  };

  const knowledge = createKnowledge();
  const bot = createBot({ knowledge, store: new InMemoryConversationStore() });
  const winfix = createTeamsService({ bot, references: new InMemoryReferenceStore(), log: quiet });
  const winfixUrl = await winfix.listen(0, '127.0.0.1');

  const echoAdapter = new CloudAdapter(authConfiguration({ appId: null }));
  const echo = createTeamsHttpServer({
    adapter: echoAdapter,
    log: quiet,
    onTurn: async (context) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
    },
  });
  const echoUrl = await echo.listen(0, '127.0.0.1');

  let round = 0;
  const winfixTurn = async (worker: number, n: number) => {
    const user = new TeamsUser(channel, winfixUrl, `a:bench-${round}-${worker}`);
    const step = n % 4;
    if (step === 0) return (await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2')).status;
    if (step === 3) return (await user.say('start over')).status;
    const button = buttons.get(user.conversationId);
    if (!button) return (await user.say('start over')).status;
    return (await user.post(user.activity({ replyToId: button.activityId, value: button.data }))).status;
  };
  const echoTurn = async (worker: number, n: number) =>
    (await new TeamsUser(channel, echoUrl, `a:echo-${round}-${worker}`).say(`hello ${n}`)).status;

  // Warm-up: JIT, connection pools, the knowledge base's first plans.
  round = -1;
  await drive(10, 0.5, winfixTurn);
  await drive(10, 0.5, echoTurn);

  // Memory, before the load runs fill the heap: 1,000 conversations, each left on an open step card.
  gc();
  const before = process.memoryUsage();
  const memBot = createBot({ knowledge, store: new InMemoryConversationStore() });
  const memService = createTeamsService({
    bot: memBot,
    references: new InMemoryReferenceStore(),
    log: quiet,
  });
  const memUrl = await memService.listen(0, '127.0.0.1');
  for (let batch = 0; batch < ACTIVE_CONVERSATIONS; batch += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new TeamsUser(channel, memUrl, `a:mem-${batch + i}`).say(
          'Windows Update fails with 0x80070002 on Windows 11 23H2',
        ),
      ),
    );
  gc();
  const after = process.memoryUsage();
  const perConversationKb = (after.heapUsed - before.heapUsed) / 1024 / ACTIVE_CONVERSATIONS;
  const memoryLine =
    `RSS with ${ACTIVE_CONVERSATIONS} active conversations: ${mb(after.rss)} MB (${mb(before.rss)} MB before; ` +
    `V8 heap reserved ${mb(before.heapTotal)} → ${mb(after.heapTotal)} MB). Live heap after GC ` +
    `+${mb(after.heapUsed - before.heapUsed)} MB ≈ ${perConversationKb.toFixed(1)} KB per conversation ` +
    `(state, reference, open card; in-memory stores)`;

  const rows: { winfix: Run; echo: Run; ratio: number }[] = [];
  for (const level of LEVELS) {
    round = level;
    const w = await drive(level, SECONDS_PER_LEVEL, winfixTurn);
    const e = await drive(level, SECONDS_PER_LEVEL, echoTurn);
    rows.push({ winfix: w, echo: e, ratio: w.turnsPerSecond / e.turnsPerSecond });
  }

  console.log(
    '\nTeams over HTTP (real server + SDK + fake channel, one process): winfix bot vs bare echo bot',
  );
  console.log('conc │ winfix turns/s   p50 ms   p99 ms │ echo turns/s   p50 ms   p99 ms │ winfix/echo');
  for (const { winfix: w, echo: e, ratio } of rows)
    console.log(
      `${String(w.concurrency).padStart(4)} │ ${w.turnsPerSecond.toFixed(0).padStart(14)} ${ms(w.p50Ms).padStart(8)} ${ms(
        w.p99Ms,
      ).padStart(
        8,
      )} │ ${e.turnsPerSecond.toFixed(0).padStart(12)} ${ms(e.p50Ms).padStart(8)} ${ms(e.p99Ms).padStart(8)} │ ${ratio.toFixed(2).padStart(11)}`,
    );
  const failures = rows.reduce((sum, r) => sum + r.winfix.failed + r.echo.failed, 0);
  if (failures > 0) console.log(`(${failures} turns did not answer 200)`);
  console.log(memoryLine);

  await memService.close();
  await winfix.close();
  await echo.close();
  await channel.stop();
  saveResult('teams-http', {
    secondsPerLevel: SECONDS_PER_LEVEL,
    levels: rows,
    memory: {
      conversations: ACTIVE_CONVERSATIONS,
      rssBeforeMb: Number(mb(before.rss)),
      rssAfterMb: Number(mb(after.rss)),
      heapTotalBeforeMb: Number(mb(before.heapTotal)),
      heapTotalAfterMb: Number(mb(after.heapTotal)),
      heapDeltaMb: Number(mb(after.heapUsed - before.heapUsed)),
      heapPerConversationKb: Number(perConversationKb.toFixed(1)),
    },
  });
}
