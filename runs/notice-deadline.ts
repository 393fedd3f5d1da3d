/**
 * A deadline on what remote runs tell through a chat platform outside anyone's turn: card redraws,
 * notes to the technicians, messages to the requester. A platform that takes the connection and never
 * answers (the Teams SDK's calls have no timeout; Node's fetch waits five minutes for headers) must not
 * hold the job poller, the sweep or the expiry timers, and with them every other remote run of the
 * process: after the deadline the call counts as failed with a NoAnswerError, like a refusal (the
 * requester's message goes to the technicians, `notify.failed` is audited). Whatever the platform does
 * with the request later is its own business. Posting the approval card is not bounded here: it happens
 * in the employee's turn, and its connector decides what an unreachable channel means.
 */
import { withinDeadline as within } from '../bot/deadline';
import type { ApprovalMessage, OutgoingMessage } from '../bot/messages';
import type { Delivery, RemoteNotifier } from './stores';

/** How long a notice may take by default. */
export const DEFAULT_NOTICE_DEADLINE_MS = 30_000;

/** The chat platform did not answer a notice in time (its outcome is unknown). */
export class NoAnswerError extends Error {
  readonly code = 'winfix_chat_no_answer';
  constructor(what: string, ms: number) {
    super(`the chat platform did not answer ${what} within ${Math.round(ms / 1000)} s`);
    this.name = 'NoAnswerError';
  }
}

/** `work`'s result, or a NoAnswerError once `ms` have passed without one. */
export function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return within(work, ms, () => new NoAnswerError(what, ms));
}

/** The notifier with a deadline on every notice (not on posting the approval card, see above). */
export function noticesWithDeadline(notifier: RemoteNotifier, ms: number): RemoteNotifier {
  return {
    postApproval: (platform: string, card: ApprovalMessage): Promise<Delivery> =>
      notifier.postApproval(platform, card),
    updateApproval: (platform: string, card: ApprovalMessage) =>
      withinDeadline(
        notifier.updateApproval(platform, card),
        ms,
        `the redraw of the card of ${card.requestId}`,
      ),
    toTechnicians: (platform: string, requestId: string, text: string) =>
      withinDeadline(
        notifier.toTechnicians(platform, requestId, text),
        ms,
        `a message to the technicians about ${requestId}`,
      ),
    toConversation: (conversationKey: string, messages: OutgoingMessage[]) =>
      withinDeadline(
        notifier.toConversation(conversationKey, messages),
        ms,
        `the messages to ${conversationKey}`,
      ),
  };
}
