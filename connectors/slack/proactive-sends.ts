/**
 * The core's messages to a Slack conversation outside a turn (the contract's `sendProactive`), queued
 * behind that conversation's work and sent where the conversation lives: the stored reference's place,
 * else the place its id names. A failure is reported and returned, never thrown.
 */
import type { webApi } from '@slack/bolt';
import type { OutgoingMessage, ReferenceStore } from '../../bot';
import type { DeliveryOutcome } from '../chat/contract';
import type { ConversationQueue } from '../chat/conversation-queue';
import type { DeliveryFailures } from '../chat/delivery-failures';
import { isReference, PLATFORM, placeOf } from './slack-inputs';
import type { SlackReplies } from './slack-replies';

export interface ProactiveSendsOptions {
  client: webApi.WebClient;
  references: ReferenceStore;
  replies: SlackReplies;
  work: ConversationQueue;
  failures: DeliveryFailures;
}

export class ProactiveSends {
  constructor(private readonly options: ProactiveSendsOptions) {}

  async send(conversationId: string, messages: OutgoingMessage[]): Promise<DeliveryOutcome> {
    const { client, references, replies, work, failures } = this.options;
    let outcome: DeliveryOutcome = { ok: true, delivered: messages.length };
    const fail = (code: string, message: string) => {
      const failure = { platform: PLATFORM, conversationId, code, message };
      failures.report(failure);
      outcome = { ok: false, delivered: 0, failure };
    };
    await work.run(
      conversationId,
      async () => {
        const stored = await references.getReference(PLATFORM, conversationId);
        const reference = isReference(stored) ? stored : null;
        const place = reference
          ? { team: reference.team, channel: reference.channel, threadTs: reference.threadTs }
          : placeOf(conversationId);
        if (!place)
          return fail('winfix_slack_no_place', `cannot tell where conversation ${conversationId} is`);
        const turn = {
          client,
          conversationId,
          place,
          userId: reference?.userId ?? '',
          fromButton: false,
        };
        await replies.deliver(turn, messages);
      },
      (error) =>
        fail((error as { code?: string }).code ?? 'winfix_slack_delivery_failed', (error as Error).message),
    );
    return outcome;
  }
}
