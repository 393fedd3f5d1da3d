/**
 * The buttons of winfix's Teams cards: Universal Actions (`Action.Execute`, Adaptive Cards 1.4+),
 * which Teams delivers as an `adaptiveCard/action` invoke the bot answers with the card to show next.
 * Each carries an `Action.Submit` with the same data as its `fallback`, for clients without Universal
 * Actions (those send a message activity with the data as its `value`, handled the older way).
 * The verb is the same for every button; what the button does is in `data` (see SubmitData).
 */
import type { BotAction, Choice } from '../../bot';
import { submitData } from './incoming';

/** The verb of every winfix button (an Action.Execute needs one; the BotAction is in `data`). */
export const ACTION_VERB = 'winfix';
/** The verb of a card's `refresh` action: Teams sends it when a listed user opens the card. */
export const REFRESH_VERB = 'winfix-refresh';

type Element = Record<string, unknown>;

/** Adaptive Card button styles; the default style is left out (the card stays minimal). */
const BUTTON_STYLE: Record<Choice['style'], string | null> = {
  primary: 'positive',
  default: null,
  danger: 'destructive',
};

/** One button: Action.Execute, with an Action.Submit of the same title, style and data as fallback. */
export function executeButton(
  title: string,
  style: Choice['style'],
  cardId: string,
  action: BotAction,
): Element {
  const styled = BUTTON_STYLE[style] ? { style: BUTTON_STYLE[style] } : {};
  const data = submitData(cardId, action);
  return {
    type: 'Action.Execute',
    title,
    verb: ACTION_VERB,
    ...styled,
    data,
    fallback: { type: 'Action.Submit', title, ...styled, data },
  };
}

export const choiceButton = (choice: Choice, cardId: string): Element =>
  executeButton(choice.label, choice.style, cardId, choice.action);

/** Teams refreshes a card by itself for at most this many listed users. */
export const REFRESH_USER_LIMIT = 60;

/**
 * A card's `refresh` (Universal Actions): Teams runs its Action.Execute, as an `adaptiveCard/action`
 * invoke with `trigger: "automatic"`, for each user in `userIds` (Teams user ids, 29:…; at most 60) who
 * sees the card, when it is shown or its message is updated, and shows that user the card answered; the
 * others see the card as sent and can ask for their own view with Refresh in the message's menu
 * (`trigger: "manual"`). Without `userIds` (none known) Teams refreshes automatically for everyone in a
 * conversation of up to 60 members, and offers the menu's Refresh in larger ones.
 */
export function refreshFor(cardId: string, action: BotAction, userIds: readonly string[] | null): Element {
  return {
    action: { type: 'Action.Execute', verb: REFRESH_VERB, data: submitData(cardId, action) },
    ...(userIds && userIds.length > 0 ? { userIds: userIds.slice(0, REFRESH_USER_LIMIT) } : {}),
  };
}
