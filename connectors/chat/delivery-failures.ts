/**
 * Delivery failures, reported the same way on every platform: each one is logged once with its code
 * and handed to every registered listener (a listener that throws is logged, never breaks a turn).
 */
import type { DeliveryFailure, DeliveryFailureListener } from './contract';

export interface FailureLog {
  error(message: string): void;
}

export class DeliveryFailures {
  private readonly listeners: DeliveryFailureListener[] = [];
  constructor(private readonly log: FailureLog) {}

  on(listener: DeliveryFailureListener): void {
    this.listeners.push(listener);
  }

  /** `alreadyLogged`: the connector wrote its own line for it (kept as operators know it). */
  report(failure: DeliveryFailure, alreadyLogged = false): void {
    if (!alreadyLogged)
      this.log.error(
        `${failure.platform}: not delivered to ${failure.conversationId} (${failure.code}): ${failure.message}`,
      );
    for (const listener of this.listeners)
      try {
        listener(failure);
      } catch (error) {
        this.log.error(`a delivery failure listener failed: ${(error as Error).message}`);
      }
  }
}
