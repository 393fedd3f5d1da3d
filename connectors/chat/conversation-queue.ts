/**
 * Per-conversation ordering, the same on every platform: one conversation's deliveries run one after
 * another (so the core sees them in order and replies keep their order), different conversations side
 * by side, and `idle()` waits for all of it (graceful stop, tests).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class ConversationQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<unknown>>();
  /** The key whose work is running in the current async context (to avoid waiting on oneself). */
  private readonly current = new AsyncLocalStorage<string>();

  /** Runs `work` after the earlier work for `key` has settled. Errors go to `onError`, never thrown. */
  enqueue(key: string, work: () => Promise<void>, onError: (error: unknown) => void): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.current.run(key, work)).catch(onError);
    this.tails.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  /** Like `enqueue`, but resolves with the work's result (or rejects with its error). */
  submit<T>(key: string, work: () => Promise<T>): Promise<T> {
    // Set by the work or its error handler, which always run first (an Error made here on every turn
    // would cost a stack trace each time: the case-cost profile, decision 0025).
    let result: { value: T } | { error: unknown } | null = null;
    const done = this.enqueue(
      key,
      async () => {
        result = { value: await work() };
      },
      (error) => {
        result = { error };
      },
    );
    return done.then(() => {
      const settled = result as { value: T } | { error: unknown } | null;
      if (settled === null) throw new Error('not run');
      if ('value' in settled) return settled.value;
      throw settled.error;
    });
  }

  /**
   * Like `enqueue`, but from inside work for the same `key` (which would wait for itself) runs `work`
   * at once: proactive deliveries triggered while that conversation's own turn is running.
   */
  run(key: string, work: () => Promise<void>, onError: (error: unknown) => void): Promise<void> {
    if (this.current.getStore() === key) return this.track(work().catch(onError));
    return this.enqueue(key, work, onError);
  }

  /** Counts a promise as running until it settles. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    const forget = () => this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Resolves once nothing is running (including work started while waiting). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
