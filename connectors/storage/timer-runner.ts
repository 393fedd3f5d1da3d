/**
 * Fires due timers: claims them (several processes can run a runner on one database), runs the handler
 * for their kind, marks them fired. A handler that throws is retried with backoff and, after
 * `maxAttempts`, the timer is marked failed and reported (a bad payload never loops). Delivery is
 * exactly once while processes live; after a crash mid-handler the timer fires again once its lease runs
 * out, so handlers use compare-and-set (as `Approvals.expire` does).
 */
import type { Clock } from '../../bot';
import { Rounds } from '../../bot/rounds';
import type { BadRows, StorageLog } from './bad-rows';
import type { Timer, Timers } from './timers';

export type TimerHandler = (timer: Timer) => Promise<void>;

export interface TimerRunnerOptions {
  timers: Timers;
  /** Handlers by timer kind; only these kinds are claimed. */
  handlers: Record<string, TimerHandler>;
  /** This process's name in leases (default: pid and a random suffix). */
  owner?: string;
  clock: Clock;
  log: StorageLog;
  badRows: BadRows;
  /** How often to look for due timers (default 1000 ms). */
  intervalMs?: number;
  /** How long a claim holds before another process may take the timer over (default 60 s). */
  leaseMs?: number;
  /** Timers claimed per round (default 20). */
  batch?: number;
  /** Attempts before a timer is marked failed (default 5); retries back off 1 s, 2 s, 4 s … */
  maxAttempts?: number;
}

export interface RoundResult {
  fired: number;
  retried: number;
  failed: number;
  /** Fired by this process but marked by another (the lease ran out while the handler ran). */
  lost: number;
}

export class TimerRunner {
  readonly owner: string;
  private readonly rounds: Rounds;

  constructor(private readonly options: TimerRunnerOptions) {
    this.owner = options.owner ?? `pid${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.rounds = new Rounds(
      () => this.runOnce(),
      this.options.intervalMs ?? 1000,
      (error) => this.options.log.error(`timer round failed: ${error.message}`),
    );
  }

  /** One round: claim what is due and run it. */
  async runOnce(): Promise<RoundResult> {
    const o = this.options;
    const result: RoundResult = { fired: 0, retried: 0, failed: 0, lost: 0 };
    const kinds = Object.keys(o.handlers);
    if (kinds.length === 0) return result;
    const claimed = await o.timers.claimDue(this.owner, kinds, o.batch ?? 20, o.leaseMs ?? 60_000);
    for (const timer of claimed) {
      const handler = o.handlers[timer.kind];
      try {
        if (!handler) throw new Error(`no handler for ${timer.kind}`);
        await handler(timer);
        if (await o.timers.complete(timer.id, this.owner)) result.fired++;
        else result.lost++;
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        const max = o.maxAttempts ?? 5;
        if (timer.attempts >= max) {
          await o.timers.fail(timer.id, this.owner, message, null);
          o.badRows.report(
            'timers',
            timer.id,
            new Error(`gave up after ${timer.attempts} attempts: ${message}`),
          );
          result.failed++;
        } else {
          const backoff = 1000 * 2 ** (timer.attempts - 1);
          await o.timers.fail(timer.id, this.owner, message, new Date(o.clock.now().getTime() + backoff));
          o.log.warn(`timer ${timer.id} (${timer.kind}) failed, retrying in ${backoff} ms: ${message}`);
          result.retried++;
        }
      }
    }
    return result;
  }

  /** Runs a round now and then every `intervalMs` until `stop()`; a failed round is logged. */
  start(): void {
    this.rounds.start();
  }

  /** Stops after the round in progress. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }
}
