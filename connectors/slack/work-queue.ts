/**
 * Runs the work that follows an acknowledgement: one conversation's deliveries one after another (so
 * replies keep their order), different conversations side by side, and `idle()` to wait for all of it
 * (graceful stop, tests).
 */

export class WorkQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `work` after the earlier work for `key` has settled. Errors go to `onError`, never thrown. */
  enqueue(key: string, work: () => Promise<void>, onError: (error: unknown) => void): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch(onError);
    this.tails.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
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
