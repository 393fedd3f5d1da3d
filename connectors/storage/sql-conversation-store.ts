/**
 * The bot's `ConversationStore` in SQL, with the same optimistic versioning: a save is one
 * compare-and-set (`UPDATE … WHERE version = expected`, or an INSERT that loses to an existing row), so
 * concurrent turns in any number of processes never overwrite each other; the loser gets
 * `ConversationConflictError` and the bot re-runs its turn. A stored state that fails validation is
 * moved to the quarantine table, reported, and the conversation starts afresh. The turn's ticket jobs
 * (tickets on hand-off) go into the outbox in the same transaction.
 */
import {
  ConversationConflictError,
  type ConversationState,
  type ConversationStore,
  casesClosed,
  type TurnEffects,
} from '../../bot';
import type { BadRows } from './bad-rows';
import { recordClosedCases } from './closed-cases';
import { checkConversationState } from './conversation-state-check';
import type { Queryable, SqlExecutor } from './sql';
import { json } from './sql';
import { insertTicketJobs } from './ticket-jobs';

interface Row {
  version: number;
  state: unknown;
}

export class SqlConversationStore implements ConversationStore {
  constructor(
    private readonly db: SqlExecutor,
    private readonly badRows: BadRows,
  ) {}

  async get(key: string): Promise<ConversationState | null> {
    const { rows } = await this.db.query<Row>('SELECT version, state FROM conversations WHERE key = $1', [
      key,
    ]);
    const row = rows[0];
    if (!row) return null;
    const state = checkConversationState(row.state, key);
    if (state instanceof Error) {
      await this.quarantine(key, row, state);
      return null;
    }
    // The column is the truth about the version (the JSON copy is written from it).
    return { ...state, version: row.version };
  }

  async save(
    state: ConversationState,
    expectedVersion: number,
    effects: TurnEffects = {},
  ): Promise<ConversationState> {
    const version = expectedVersion + 1;
    const saved: ConversationState = { ...structuredClone(state), version };
    const now = new Date(state.updatedAt);
    const at = Number.isNaN(now.getTime()) ? new Date() : now;
    await this.db.transaction(async (tx) => {
      const casesBefore =
        expectedVersion === 0
          ? await this.insert(tx, saved, at)
          : await this.update(tx, saved, expectedVersion, at);
      if (casesBefore === null) throw await this.conflict(tx, state.key, expectedVersion);
      // History keeps only the latest cases, so the new ones are counted, not found by position.
      const added = Math.min(casesClosed(saved) - casesBefore, saved.history.length);
      if (added > 0) await recordClosedCases(tx, saved, saved.history.slice(-added));
      // The outbox: a hand-off's ticket job exists exactly when the hand-off was saved.
      if (effects.tickets?.length) await insertTicketJobs(tx, effects.tickets, at);
    });
    return saved;
  }

  /** Cases the stored state had closed (0 for a new one), or null when the row already exists. */
  private async insert(tx: Queryable, state: ConversationState, at: Date): Promise<number | null> {
    const { rowCount } = await tx.query(
      `INSERT INTO conversations (key, version, state, updated_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (key) DO NOTHING`,
      [state.key, state.version, json(state), at],
    );
    return rowCount === 1 ? 0 : null;
  }

  /** Cases the replaced state had closed, or null when the version moved on (or the row is gone). */
  private async update(
    tx: Queryable,
    state: ConversationState,
    expectedVersion: number,
    at: Date,
  ): Promise<number | null> {
    // The CTE reads the row as it was before this statement; when the UPDATE matches, that is the row
    // it replaced (a concurrent change would have moved the version and failed the WHERE).
    const { rows } = await tx.query<{ cases: number | null }>(
      `WITH before AS (
         SELECT CASE WHEN jsonb_typeof(state -> 'casesClosed') = 'number' THEN (state ->> 'casesClosed')::int
                     WHEN jsonb_typeof(state -> 'history') = 'array'
                     THEN jsonb_array_length(state -> 'history') ELSE 0 END AS cases
           FROM conversations WHERE key = $1
       )
       UPDATE conversations SET version = $2, state = $3::jsonb, updated_at = $4
        WHERE key = $1 AND version = $5
       RETURNING (SELECT cases FROM before) AS cases`,
      [state.key, state.version, json(state), at, expectedVersion],
    );
    const row = rows[0];
    return row ? (row.cases ?? 0) : null;
  }

  private async conflict(tx: Queryable, key: string, expected: number): Promise<ConversationConflictError> {
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM conversations WHERE key = $1', [
      key,
    ]);
    return new ConversationConflictError(key, expected, rows[0]?.version ?? 0);
  }

  /**
   * Moves a bad row aside and reports it, once: when several processes find it together, the one whose
   * DELETE takes the row does both.
   */
  private async quarantine(key: string, row: Row, problem: Error): Promise<void> {
    const moved = await this.db.transaction(async (tx) => {
      const deleted = await tx.query(
        `DELETE FROM conversations WHERE key = $1 AND version = $2 RETURNING key`,
        [key, row.version],
      );
      if (deleted.rowCount === 0) return false;
      await tx.query(
        `INSERT INTO quarantine (source, key, data, error, at) VALUES ('conversations', $1, $2, $3, now())`,
        [key, JSON.stringify(row.state), problem.message],
      );
      return true;
    });
    if (moved) this.badRows.report('conversations', key, problem);
  }
}
