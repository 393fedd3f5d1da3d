/**
 * Work done in rounds: one round at once, then the next `intervalMs` after the last one ended (rounds
 * never overlap), until `stop()`. A round that fails is reported to `onError` and the rounds go on:
 * a database or an API that is down for a while must not end them. The timer does not keep the
 * process alive. Used by the job poller, the approval sweeper, the timers and the ticket outbox.
 */
export class Rounds {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Starts the rounds; does nothing while they run. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.running = this.round()
        .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    tick();
  }

  /** Stops after the round in progress (resolves when it has ended). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
