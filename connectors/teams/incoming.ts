/**
 * From the HTTP body to the core's input: checks that a request body is a Bot Framework activity the
 * connector can answer (with a clear message when not), and maps a Teams activity to an
 * IncomingMessage: typed text (the bot's @mention removed), or a button press (Action.Execute invoke
 * or Action.Submit message) carrying the BotAction and card id the connector put on the button.
 */
import type { BotAction, IncomingMessage } from '../../bot';
import { TeamsBadRequestError } from './errors';

export const PLATFORM = 'teams';

/** The fields of an activity the connector reads (the SDK's Activity class has them all). */
export interface ActivityLike {
  type?: string;
  /** The invoke's name (`adaptiveCard/action` …). */
  name?: string;
  id?: string;
  text?: string;
  value?: unknown;
  locale?: string;
  attachments?: unknown[];
  from?: { id?: string; name?: string; aadObjectId?: string };
  recipient?: { id?: string };
  conversation?: { id?: string };
  entities?: { type?: string; [key: string]: unknown }[];
}

/** What the connector puts in an Action.Submit's `data`; Teams hands it back as the activity's `value`. */
export interface SubmitData {
  winfix: 1;
  /** The id of the core's message that carried the button. */
  cardId: string;
  action: BotAction;
}

export function submitData(cardId: string, action: BotAction): SubmitData {
  return { winfix: 1, cardId, action };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The connector's own submit payload, or null for anything else (another card's inputs, no value). */
export function readSubmit(value: unknown): SubmitData | null {
  if (!isObject(value) || value.winfix !== 1 || !nonEmpty(value.cardId)) return null;
  const action = value.action;
  if (!isObject(action) || !nonEmpty(action.verb)) return null;
  return { winfix: 1, cardId: value.cardId, action: action as unknown as BotAction };
}

/** What the user typed into the card's inputs: Teams merges them into the submit value by input id. */
export function inputFields(value: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'winfix' || key === 'cardId' || key === 'action' || typeof field !== 'string') continue;
    if (Object.keys(fields).length >= 10) break;
    fields[key] = field.slice(0, 2000);
  }
  return fields;
}

/** Removes the bot's own @mention (`<at>winfix</at>`), which Teams puts in the text in channels and group chats. */
export function stripBotMention(text: string, activity: ActivityLike): string {
  let result = text;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const mentioned = entity.mentioned as { id?: string } | undefined;
    if (!mentioned?.id || mentioned.id !== activity.recipient?.id) continue;
    if (typeof entity.text === 'string' && entity.text) result = result.split(entity.text).join(' ');
  }
  return result.replace(/\s+/g, ' ').trim();
}

/** The user's locale: the activity's `locale`, else the `clientInfo` entity Teams sends. */
export function localeOf(activity: ActivityLike): string | null {
  if (nonEmpty(activity.locale)) return activity.locale;
  const clientInfo = activity.entities?.find((e) => e.type === 'clientInfo');
  return nonEmpty(clientInfo?.locale) ? clientInfo.locale : null;
}

/** The invoke Teams sends for an Action.Execute press or a card's refresh (Universal Actions). */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** What an `adaptiveCard/action` invoke carries: `value.action` is the Action.Execute, inputs merged into its data. */
export interface CardActionInvoke {
  verb: string;
  data: Record<string, unknown>;
  /** `automatic` for a refresh Teams ran on its own, `manual` for a press. */
  trigger: string;
}

/** The Action.Execute of an `adaptiveCard/action` invoke, or null for any other activity. */
export function cardActionOf(activity: ActivityLike): CardActionInvoke | null {
  if (activity.type !== 'invoke' || activity.name !== CARD_ACTION_INVOKE || !isObject(activity.value))
    return null;
  const action = activity.value.action;
  if (!isObject(action) || typeof action.verb !== 'string') return null;
  return {
    verb: action.verb,
    data: isObject(action.data) ? action.data : {},
    trigger: typeof activity.value.trigger === 'string' ? activity.value.trigger : 'manual',
  };
}

/**
 * Maps an activity to the core's input, or null when there is nothing for the core to answer
 * (conversation updates, typing, reactions, other invokes, a press on a card that is not ours). A
 * press arrives as a message whose `value` is the Action.Submit's data (older clients, cards sent
 * before Universal Actions) or as an `adaptiveCard/action` invoke carrying the Action.Execute's data.
 */
export function toIncoming(activity: ActivityLike): IncomingMessage | null {
  const invoke = cardActionOf(activity);
  if (activity.type !== 'message' && !invoke) return null;
  const conversationId = activity.conversation?.id;
  const userId = activity.from?.id;
  if (!nonEmpty(conversationId) || !nonEmpty(userId)) return null;
  const base = {
    platform: PLATFORM,
    conversationId,
    user: {
      id: userId,
      name: activity.from?.name ?? null,
      locale: localeOf(activity),
      directoryId: nonEmpty(activity.from?.aadObjectId) ? activity.from.aadObjectId.toLowerCase() : null,
    },
  };
  const pressed = invoke ? invoke.data : activity.value;
  if (invoke || (activity.value !== undefined && activity.value !== null)) {
    const submit = readSubmit(pressed);
    if (!submit) return null;
    const fields = inputFields(pressed as Record<string, unknown>);
    return {
      ...base,
      kind: 'action',
      action: submit.action,
      cardId: submit.cardId,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    };
  }
  const text = stripBotMention(activity.text ?? '', activity);
  // A message with only a picture or a file still goes to the core, which asks for what it needs.
  if (!text && (activity.attachments ?? []).length === 0) return null;
  return { ...base, kind: 'text', text };
}

function field(body: Record<string, unknown>, name: string): Record<string, unknown> | null {
  const value = body[name];
  return isObject(value) ? value : null;
}

/**
 * Parses and checks the body of a POST to /api/messages. Throws TeamsBadRequestError (400 or 415)
 * saying what is wrong; returns the parsed activity otherwise.
 */
export function checkActivityBody(
  contentType: string | undefined,
  raw: string | Buffer | undefined,
): Record<string, unknown> {
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType.trim()))
    throw new TeamsBadRequestError(`Content-Type must be application/json (got "${contentType ?? ''}")`, 415);
  const text = raw === undefined ? '' : raw.toString();
  if (text.trim() === '') throw new TeamsBadRequestError('empty body: expected a Bot Framework activity');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new TeamsBadRequestError(`body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(body))
    throw new TeamsBadRequestError('body must be a JSON object (a Bot Framework activity)');
  if (!nonEmpty(body.type)) throw new TeamsBadRequestError('activity has no "type"');
  if (!nonEmpty(field(body, 'conversation')?.id))
    throw new TeamsBadRequestError('activity has no "conversation.id"');
  if (!nonEmpty(body.serviceUrl))
    throw new TeamsBadRequestError('activity has no "serviceUrl" (where replies are sent)');
  let url: URL | null = null;
  try {
    url = new URL(body.serviceUrl);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new TeamsBadRequestError(`activity "serviceUrl" is not an http(s) URL: "${body.serviceUrl}"`);
  if (!nonEmpty(body.channelId)) throw new TeamsBadRequestError('activity has no "channelId"');
  if (!nonEmpty(field(body, 'from')?.id)) throw new TeamsBadRequestError('activity has no "from.id"');
  if (!nonEmpty(field(body, 'recipient')?.id))
    throw new TeamsBadRequestError('activity has no "recipient.id"');
  return body;
}
