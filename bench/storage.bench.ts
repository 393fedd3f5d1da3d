/**
 * Storage cost per turn on each backend, next to the in-memory store: (1) one state read + write
 * (`get` then `save`, what every turn adds), (2) turn throughput of `bot.handle` over 4 conversations
 * answering at once, cycling: a message with a code, "didn't help" twice, "start over". PGlite runs in
 * a temp folder; PostgreSQL at 127.0.0.1:5432 (database `test`) in a throw-away schema, skipped when
 * unreachable. Figures are printed and saved, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { type ConversationStore, createBot, InMemoryConversationStore } from '../bot';
import { openStorage, type Storage } from '../connectors/storage';
import { createKnowledge, type Knowledge } from '../rules/knowledge';
import { ms, percentile, saveResult, time } from './measure';

const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const READ_WRITES = 300;
const CONVERSATIONS = 4;
const SECONDS = 3;
const SCRIPT = [
  'Windows Update fails with 0x80070002 on Windows 11 23H2',
  "didn't help",
  "didn't help",
  'start over',
];

interface Backend {
  name: 'memory' | 'pglite' | 'postgres';
  store: ConversationStore;
  close(): Promise<void>;
}

interface Row {
  backend: string;
  readWriteP50Ms: number;
  readWriteP99Ms: number;
  turnsPerSecond: number;
  turnP50Ms: number;
  turnP99Ms: number;
}

async function openBackends(): Promise<Backend[]> {
  const backends: Backend[] = [
    { name: 'memory', store: new InMemoryConversationStore(), close: async () => {} },
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'winfix-bench-'));
  const pglite = await openStorage({ dataDir: dir });
  backends.push({
    name: 'pglite',
    store: pglite.conversations,
    close: async () => {
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const schema = `winfix_bench_${randomBytes(4).toString('hex')}`;
  let postgres: Storage;
  try {
    postgres = await openStorage({ databaseUrl: POSTGRES_URL, schema });
  } catch (error) {
    console.log(`(PostgreSQL skipped: ${(error as Error).message})`);
    return backends;
  }
  backends.push({
    name: 'postgres',
    store: postgres.conversations,
    close: async () => {
      await postgres.close();
      const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  });
  return backends;
}

async function readWrite(knowledge: Knowledge, store: ConversationStore) {
  // A realistic state: a conversation a few turns in.
  const bot = createBot({ knowledge, store });
  const base = { platform: 'bench', conversationId: 'rw', user: { id: 'u' } };
  for (const text of SCRIPT.slice(0, 3)) await bot.handle({ ...base, kind: 'text', text });
  return time(async () => {
    const state = await store.get('bench:rw');
    if (!state) throw new Error('state vanished');
    await store.save(state, state.version);
  }, READ_WRITES);
}

async function throughput(knowledge: Knowledge, store: ConversationStore) {
  const bot = createBot({ knowledge, store });
  const samples: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      const base = { platform: 'bench', conversationId: `tp-${c}`, user: { id: `u${c}` } };
      for (let i = 0; Date.now() < deadline; i++) {
        const t0 = process.hrtime.bigint();
        await bot.handle({ ...base, kind: 'text', text: SCRIPT[i % SCRIPT.length] as string });
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  return {
    turns: samples.length,
    perSecond: samples.length / seconds,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
  };
}

export async function storageBench(): Promise<void> {
  const knowledge = createKnowledge();
  const rows: Row[] = [];
  for (const backend of await openBackends()) {
    try {
      const rw = await readWrite(knowledge, backend.store);
      const tp = await throughput(knowledge, backend.store);
      rows.push({
        backend: backend.name,
        readWriteP50Ms: rw.p50Ms,
        readWriteP99Ms: rw.p99Ms,
        turnsPerSecond: tp.perSecond,
        turnP50Ms: tp.p50,
        turnP99Ms: tp.p99,
      });
    } finally {
      await backend.close();
    }
  }
  console.log(
    `\nStorage per turn (state get+save ×${READ_WRITES}; bot.handle, ${CONVERSATIONS} conversations at once, ${SECONDS} s)`,
  );
  console.log('backend    get+save p50   p99       turns/s   turn p50   p99');
  for (const r of rows)
    console.log(
      `${r.backend.padEnd(10)} ${ms(r.readWriteP50Ms).padStart(8)} ms ${ms(r.readWriteP99Ms).padStart(7)} ms ` +
        `${r.turnsPerSecond.toFixed(0).padStart(9)} ${ms(r.turnP50Ms).padStart(7)} ms ${ms(r.turnP99Ms).padStart(7)} ms`,
    );
  saveResult('storage', { conversations: CONVERSATIONS, seconds: SECONDS, readWrites: READ_WRITES, rows });
}

if (require.main === module)
  storageBench().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
