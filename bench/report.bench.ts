/**
 * `winfix report` over 100,000 synthetic closed cases (3 step outcomes each) on PGlite and PostgreSQL:
 * time of `buildReport` for a 30-day window covering all of them. The rows are written in bulk with
 * generate_series (same columns the conversation store writes). PostgreSQL uses a throw-away schema
 * at 127.0.0.1:5432 and is skipped when unreachable. Figures are printed and saved, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { openStorage, type Storage } from '../connectors/storage';
import { buildReport } from '../connectors/storage/report-queries';
import { ms, saveResult, time } from './measure';

const CASES = 100_000;
const RUNS = 5;
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function fill(storage: Storage): Promise<void> {
  await storage.db.query(
    `INSERT INTO audit_log (at, actor, action, subject, data)
     SELECT now() - (i % 29) * interval '1 day' - (i % 1440) * interval '1 minute',
            CASE WHEN i % 3 = 0 THEN 'slack:U' ELSE 'teams:29:' END || (i % 5000),
            (ARRAY['case.resolved', 'case.resolved', 'case.handed-off', 'case.abandoned'])[1 + i % 4],
            'conv-' || i,
            jsonb_build_object('code', '0x8007' || lpad((i % 40)::text, 4, '0'), 'context', 'windows-update',
                               'fixedBy', NULL, 'steps', 1 + i % 3)
       FROM generate_series(1, $1::int) AS i`,
    [CASES],
  );
  await storage.db.query(
    `INSERT INTO step_outcomes (key, conversation_key, code, context, os_family, os_build, step_id, outcome,
                                fixed, case_result, at)
     SELECT 'k' || i || '|' || s, 'conv-' || i, '0x8007' || lpad((i % 40)::text, 4, '0'), 'windows-update',
            'windows-11', '22631', 'step-' || s,
            CASE WHEN s = 3 THEN 'fixed' WHEN (i + s) % 5 = 0 THEN 'skipped' ELSE 'didnt-help' END,
            s = 3, 'resolved', now() - (i % 29) * interval '1 day'
       FROM generate_series(1, $1::int) AS i, generate_series(1, 3) AS s`,
    [CASES],
  );
}

export async function reportBench(): Promise<void> {
  const rows: { backend: string; cases: number; meanMs: number; p50Ms: number; p99Ms: number }[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'winfix-report-bench-'));
  const targets: { name: string; open: () => Promise<Storage>; drop: () => Promise<void> }[] = [
    {
      name: 'pglite',
      open: () => openStorage({ dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ];
  const schema = `winfix_bench_${randomBytes(4).toString('hex')}`;
  try {
    const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    targets.push({
      name: 'postgres',
      open: () => openStorage({ databaseUrl: POSTGRES_URL, schema }),
      drop: async () => {
        const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await pool.end();
      },
    });
  } catch (error) {
    console.log(`(report bench: PostgreSQL skipped: ${(error as Error).message})`);
  }
  for (const target of targets) {
    const storage = await target.open();
    try {
      await fill(storage);
      const since = new Date(Date.now() - 30 * 86_400_000);
      const t = await time(() => buildReport(storage.db, since), RUNS, 1);
      rows.push({ backend: target.name, cases: CASES, meanMs: t.meanMs, p50Ms: t.p50Ms, p99Ms: t.p99Ms });
    } finally {
      await storage.close();
      await target.drop();
    }
  }
  console.log(`\nwinfix report over ${CASES} closed cases (${RUNS} runs)`);
  console.log('backend    mean ms   p50 ms   max ms');
  for (const r of rows)
    console.log(
      `${r.backend.padEnd(10)} ${ms(r.meanMs).padStart(8)} ${ms(r.p50Ms).padStart(8)} ${ms(r.p99Ms).padStart(8)}`,
    );
  console.log(`saved ${saveResult('report', { rows })}`);
}

if (require.main === module)
  reportBench().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
