/**
 * What a button press (a `block_actions` payload) says: the conversation it belongs to, who pressed,
 * the card and action on the button, text typed into the card, and where the pressed message can be
 * replaced (its ts and `response_url`). Payloads this connector did not make are logged and dropped.
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { ConnectorLogger } from './connector-logger';
import type { PressedCard } from './press-in-place';
import {
  type ButtonValue,
  conversationIdOf,
  decodeButtonValue,
  inputFieldsOf,
  isDirectMessageChannel,
  type SlackPlace,
} from './slack-inputs';

export interface ButtonPress {
  place: SlackPlace;
  conversationId: string;
  /** Who pressed. */
  userId: string;
  button: ButtonValue;
  /** Text typed into the card (an approval card's reason), read when the button was pressed. */
  fields: Record<string, string> | null;
  /** The pressed card; its `ts` is '' when the payload named no message. */
  pressed: PressedCard;
  /** The press's key for duplicate detection. */
  key: string;
}

/** The press in `body`, or null (logged) when it is not one of this connector's buttons or has no channel. */
export function buttonPressOf(
  body: BlockAction<ButtonAction>,
  action: ButtonAction,
  logger: ConnectorLogger,
): ButtonPress | null {
  const messageTs = body.container?.message_ts ?? body.message?.ts ?? '';
  let button: ButtonValue;
  try {
    button = decodeButtonValue(action.value);
  } catch (error) {
    logger.warn(`Slack: ignored a button press: ${(error as Error).message}`);
    return null;
  }
  const channel: string | undefined = body.channel?.id ?? body.container?.channel_id;
  if (!channel) {
    logger.warn('Slack: ignored a button press without a channel');
    return null;
  }
  const team = body.team?.id ?? body.user.team_id ?? '';
  const thread: string | undefined = body.message?.thread_ts ?? body.container?.thread_ts;
  const place: SlackPlace = {
    team,
    channel,
    threadTs: isDirectMessageChannel(channel) ? null : (thread ?? messageTs),
  };
  // Where Slack lets the app replace the pressed message (checked before use: response-urls.ts).
  const responseUrl = typeof body.response_url === 'string' && body.response_url ? body.response_url : null;
  return {
    place,
    conversationId: conversationIdOf(place),
    userId: body.user.id,
    button,
    fields: inputFieldsOf(body.state?.values),
    pressed: { cardId: button.cardId, ts: messageTs, responseUrl },
    key: `action:${messageTs}:${action.action_id}:${action.action_ts}`,
  };
}
