/**
 * Translating Slack's shapes into the core's: which conversation a message or button press belongs to,
 * the payload carried on a button, and the plain text of a Slack message.
 */
import type { types } from '@slack/bolt';
import type { BotAction } from '../../bot';
import { SlackPayloadError } from './errors';

export const PLATFORM = 'slack';

/** Where a conversation lives in Slack: a DM, or a thread in a channel started by a mention. */
export interface SlackPlace {
  team: string;
  channel: string;
  /** The thread's root ts for a channel conversation; null in a DM (a DM is one conversation). */
  threadTs: string | null;
}

/** What the reference store keeps for a Slack conversation (opaque to the core). */
export interface SlackConversationReference extends SlackPlace {
  /** The user who started it. */
  userId: string;
  /**
   * The card last shown, without its buttons (and with what was drawn on top of it), to show it answered
   * when the core closes it; a step's title, for the record of a press on it.
   */
  card: { id: string; content: types.KnownBlock[]; title?: string } | null;
}

export function isReference(value: unknown): value is SlackConversationReference {
  const v = value as Partial<SlackConversationReference> | null;
  return typeof v?.channel === 'string' && typeof v.team === 'string';
}

/** DM channel ids start with D (Slack's documented convention; `channel_type: im` in events). */
export function isDirectMessageChannel(channel: string): boolean {
  return channel.startsWith('D');
}

/** `T1:D1` for a DM, `T1:C1:1712345678.000100` for a thread in a channel. */
export function conversationIdOf(place: SlackPlace): string {
  return place.threadTs
    ? `${place.team}:${place.channel}:${place.threadTs}`
    : `${place.team}:${place.channel}`;
}

/** A card id is unique within its conversation only, so the reference store keys it with the conversation. */
export function cardKeyOf(conversationId: string, cardId: string): string {
  return `${conversationId}#${cardId}`;
}

/** The `action_id` prefix of every button this connector makes; `winfix:<n>` keeps ids unique per message. */
export const ACTION_ID_PREFIX = 'winfix:';
export const ACTION_ID_PATTERN = /^winfix:\d+$/;

export interface ButtonValue {
  cardId: string;
  action: BotAction;
}

/** The button's `value` (≤ 2,000 characters): the card id and the BotAction, as JSON. */
export function encodeButtonValue(cardId: string, action: BotAction): string {
  const value = JSON.stringify({ card: cardId, action });
  if (value.length > 2000) throw new SlackPayloadError(`button value too long (${value.length} characters)`);
  return value;
}

export function decodeButtonValue(value: string | undefined): ButtonValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch (error) {
    throw new SlackPayloadError('button value is not JSON', { cause: error });
  }
  const { card, action } = (parsed ?? {}) as { card?: unknown; action?: { verb?: unknown } };
  if (typeof card !== 'string' || !card || typeof action !== 'object' || typeof action?.verb !== 'string')
    throw new SlackPayloadError('button value is not a winfix action');
  return { cardId: card, action: action as BotAction };
}

/**
 * Inputs this connector puts on cards (the reason field of an approval card) have a `block_id` starting
 * with this prefix; their `action_id` is the field's name in `ActionInput.fields`.
 */
export const INPUT_BLOCK_PREFIX = 'winfix_';
/** The approval card's reason field: block `winfix_reason`, element `reason`. */
export const REASON_BLOCK_ID = `${INPUT_BLOCK_PREFIX}reason`;
export const REASON_FIELD = 'reason';

/** What a block_actions payload's `state.values` holds for one input element. */
export interface InputStateValue {
  type?: string;
  value?: string | null;
}

/**
 * The text typed into this connector's inputs on the card a button was pressed on, from the payload's
 * `state.values` (`{ block_id: { action_id: { type, value } } }`), by field name. Empty inputs (Slack
 * sends `value: null`) and other apps' blocks are left out; null when nothing was typed.
 */
export function inputFieldsOf(
  values: Record<string, Record<string, InputStateValue> | undefined> | undefined | null,
): Record<string, string> | null {
  const fields: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    if (!blockId.startsWith(INPUT_BLOCK_PREFIX) || !elements) continue;
    for (const [actionId, state] of Object.entries(elements))
      if (typeof state?.value === 'string' && state.value.trim()) fields[actionId] = state.value;
  }
  return Object.keys(fields).length > 0 ? fields : null;
}

/** `T1:D1` → { team T1, channel D1 }; `T1:C1:1712345678.000100` → a thread. Null when not one of ours. */
export function placeOf(conversationId: string): SlackPlace | null {
  const [team = '', channel, threadTs, ...rest] = conversationId.split(':');
  if (!channel || rest.length > 0 || threadTs === '') return null;
  return { team, channel, threadTs: threadTs ?? null };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * The text a person typed, from Slack's message text: the bot's own mention removed, other mentions,
 * channels and links reduced to what the person saw, and Slack's three HTML entities decoded.
 */
export function plainTextOf(text: string, botUserId: string | null): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@'))
        return botUserId && target === `@${botUserId}` ? ' ' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
      return label ?? target.replace(/^mailto:/, '');
    })
    .replace(/&(amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
