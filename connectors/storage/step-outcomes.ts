/**
 * Step outcomes: which step was tried for which code in which context, and whether it fixed it. Recorded
 * once per idempotency key (a platform retry or a re-run turn records nothing twice).
 */
import type { Queryable, SqlExecutor } from './sql';
import { iso } from './sql';

export interface StepOutcomeInput {
  /** Idempotency key: the same key records once. */
  key: string;
  conversationKey: string;
  code: string | null;
  context: string | null;
  osFamily: string | null;
  osBuild: string | null;
  stepId: string;
  /** "fixed", "didnt-help", "skipped", "revealed:<id>". */
  outcome: string;
  /** This step is the one that fixed the case. */
  fixed: boolean;
  caseResult: 'resolved' | 'handed-off' | 'abandoned';
  at: Date;
}

export interface StepOutcome extends Omit<StepOutcomeInput, 'at'> {
  at: string;
}

export interface StepStats {
  code: string | null;
  context: string | null;
  stepId: string;
  tried: number;
  fixed: number;
}

/** Records one outcome; true when new, false when the key was recorded before. */
export async function recordOutcome(q: Queryable, o: StepOutcomeInput): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO step_outcomes
       (key, conversation_key, code, context, os_family, os_build, step_id, outcome, fixed, case_result, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (key) DO NOTHING`,
    [
      o.key,
      o.conversationKey,
      o.code,
      o.context,
      o.osFamily,
      o.osBuild,
      o.stepId,
      o.outcome,
      o.fixed,
      o.caseResult,
      o.at,
    ],
  );
  return rowCount === 1;
}

interface OutcomeRow {
  key: string;
  conversation_key: string;
  code: string | null;
  context: string | null;
  os_family: string | null;
  os_build: string | null;
  step_id: string;
  outcome: string;
  fixed: boolean;
  case_result: StepOutcome['caseResult'];
  at: Date;
}

export class StepOutcomes {
  constructor(private readonly db: SqlExecutor) {}

  record(outcome: StepOutcomeInput): Promise<boolean> {
    return recordOutcome(this.db, outcome);
  }

  async forConversation(conversationKey: string): Promise<StepOutcome[]> {
    const { rows } = await this.db.query<OutcomeRow>(
      'SELECT * FROM step_outcomes WHERE conversation_key = $1 ORDER BY at, key',
      [conversationKey],
    );
    return rows.map((r) => ({
      key: r.key,
      conversationKey: r.conversation_key,
      code: r.code,
      context: r.context,
      osFamily: r.os_family,
      osBuild: r.os_build,
      stepId: r.step_id,
      outcome: r.outcome,
      fixed: r.fixed,
      caseResult: r.case_result,
      at: iso(r.at),
    }));
  }

  /** Per code, context and step: how often it was tried and how often it fixed it (best first). */
  async stats(filter: { code?: string; context?: string } = {}): Promise<StepStats[]> {
    const { rows } = await this.db.query<StepStats & { step_id: string }>(
      `SELECT code, context, step_id, count(*)::int AS tried, count(*) FILTER (WHERE fixed)::int AS fixed
         FROM step_outcomes
        WHERE ($1::text IS NULL OR code = $1) AND ($2::text IS NULL OR context = $2)
        GROUP BY code, context, step_id
        ORDER BY fixed DESC, tried DESC, step_id`,
      [filter.code ?? null, filter.context ?? null],
    );
    return rows.map((r) => ({
      code: r.code,
      context: r.context,
      stepId: r.step_id,
      tried: r.tried,
      fixed: r.fixed,
    }));
  }
}
