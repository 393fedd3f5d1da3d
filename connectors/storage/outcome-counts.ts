/**
 * The bot's `OutcomeCounts` port over `step_outcomes`: per (code, context, OS family), how often each
 * step was tried and how often it fixed the case. Answers are kept for a few minutes (default 5) so a
 * busy conversation does not query on every plan; counts that change by one case in five minutes do
 * not change a plan a user would notice. A failed query is logged and answers "no counts" (the
 * sources' order stands) and is not kept.
 */
import type { Clock } from '../../bot/clock';
import type { MeasuredStep, OutcomeCounts, OutcomeKey } from '../../rules/planner/learned-order';
import type { StorageLog } from './bad-rows';
import { measuredSteps } from './report-queries';
import type { Queryable } from './sql';

export const OUTCOME_CACHE_MS = 5 * 60_000;
/** Keys kept at most; the oldest goes first (a helpdesk sees a few hundred codes, not thousands). */
const MAX_KEYS = 1000;

export class SqlOutcomeCounts implements OutcomeCounts {
  private readonly cache = new Map<
    string,
    { at: number; counts: Promise<ReadonlyMap<string, MeasuredStep>> }
  >();
  private readonly ttlMs: number;

  constructor(
    private readonly db: Queryable,
    private readonly options: { clock: Clock; log: StorageLog; ttlMs?: number },
  ) {
    this.ttlMs = options.ttlMs ?? OUTCOME_CACHE_MS;
  }

  measured(key: OutcomeKey): Promise<ReadonlyMap<string, MeasuredStep>> {
    const id = JSON.stringify([key.code, key.context, key.osFamily]);
    const now = this.options.clock.now().getTime();
    const kept = this.cache.get(id);
    if (kept && now - kept.at < this.ttlMs) return kept.counts;
    const counts = measuredSteps(this.db, key).catch((error: unknown) => {
      this.cache.delete(id);
      this.options.log.warn(`step outcome counts unavailable: ${(error as Error).message}`);
      return new Map<string, MeasuredStep>();
    });
    this.cache.delete(id);
    this.cache.set(id, { at: now, counts });
    if (this.cache.size > MAX_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    return counts;
  }
}
