/**
 * A Slack delivery (a direct message, a mention, a button press) as one turn of the core, run by the
 * shared turn runner (connectors/chat/chat-turns.ts): the sender looked up (name, locale, e-mail), the
 * core's input built, and its answer delivered in the conversation, in place of the pressed card, or to
 * the presser alone.
 */
import type { webApi } from '@slack/bolt';
import { isTechnicianAction, type Sender } from '../../bot';
import type { ChatTurns } from '../chat/chat-turns';
import type { ButtonPress } from './press-payload';
import { conversationIdOf, PLATFORM, type SlackPlace } from './slack-inputs';
import type { SlackReplies } from './slack-replies';
import type { SlackProfile, UserProfiles } from './user-profile';

/** What a person wrote (a DM or a mention), as the event listeners read it. */
export interface TextDelivery {
  client: webApi.WebClient;
  place: SlackPlace;
  userId: string;
  text: string;
  /** The delivery's keys for duplicate detection. */
  keys: string[];
}

export interface SlackTurnIntakeOptions {
  turns: ChatTurns;
  profiles: UserProfiles;
  replies: SlackReplies;
}

function senderOf(userId: string, profile: SlackProfile): Sender {
  return {
    id: userId,
    name: profile.name,
    locale: profile.locale,
    ...(profile.email ? { email: profile.email } : {}),
  };
}

export class SlackTurnIntake {
  constructor(private readonly options: SlackTurnIntakeOptions) {}

  async text(delivery: TextDelivery): Promise<void> {
    const { turns, profiles, replies } = this.options;
    const conversationId = conversationIdOf(delivery.place);
    await turns.take({
      conversationId,
      keys: delivery.keys,
      what: 'a message',
      transport: {
        input: async () => {
          const profile = await profiles.lookup(delivery.client, delivery.userId);
          return {
            kind: 'text',
            platform: PLATFORM,
            conversationId,
            user: senderOf(delivery.userId, profile),
            text: delivery.text,
          };
        },
        deliver: (out) =>
          replies.deliver(
            {
              client: delivery.client,
              conversationId,
              place: delivery.place,
              userId: delivery.userId,
              fromButton: false,
            },
            out,
          ),
      },
    });
  }

  async press(client: webApi.WebClient, press: ButtonPress): Promise<void> {
    const { turns, profiles, replies } = this.options;
    const { place, conversationId, userId, button, fields, pressed } = press;
    const technician = isTechnicianAction(button.action);
    await turns.take({
      conversationId,
      keys: [press.key],
      what: 'a button press',
      transport: {
        input: async () => {
          const profile = await profiles.lookup(client, userId);
          return {
            kind: 'action',
            platform: PLATFORM,
            conversationId,
            user: senderOf(userId, profile),
            action: button.action,
            cardId: button.cardId,
            ...(fields ? { fields } : {}),
          };
        },
        // A technician's press on an approval card: the card itself is updated for everyone by the
        // notifier; the core's answer (approved, refused…) is for the presser alone.
        deliver: (out) =>
          technician
            ? replies.toPresser(client, place, userId, out)
            : replies.deliver(
                {
                  client,
                  conversationId,
                  place,
                  userId,
                  fromButton: true,
                  ...(pressed.ts ? { pressed } : {}),
                },
                out,
              ),
      },
    });
  }
}
