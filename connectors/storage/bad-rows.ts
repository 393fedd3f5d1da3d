/**
 * Rows the code cannot use (state JSON that fails validation, a timer whose handler keeps failing) are
 * reported here — logged through the injected log and counted — and skipped, so one bad row never
 * turns into a crash loop.
 */
import { BadRowError } from './errors';

/** Where storage writes what operators should know (the same shape as the connectors' logs). */
export interface StorageLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: StorageLog = { info() {}, warn() {}, error() {} };

export class BadRows {
  private readonly counts = new Map<string, number>();

  constructor(private readonly log: StorageLog) {}

  /** Logs and counts one bad row of `source` (a table name); returns the error for callers that keep it. */
  report(source: string, key: string, problem: unknown): BadRowError {
    const reason = problem instanceof Error ? problem.message : String(problem);
    const error = new BadRowError(`skipped bad row in ${source} (${key}): ${reason}`, { cause: problem });
    this.counts.set(source, (this.counts.get(source) ?? 0) + 1);
    this.log.warn(`[${error.code}] ${error.message}`);
    return error;
  }

  /** Bad rows seen by this process, in total or for one source. */
  count(source?: string): number {
    if (source !== undefined) return this.counts.get(source) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }
}
