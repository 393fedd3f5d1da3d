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

/**
 * A card's `refresh`: Teams runs the action for each of `userIds` who sees the card (at most 60 ids),
 * and shows that user the card the bot answers with; everyone else sees the card as sent.
 */
export function refreshFor(cardId: string, userIds: readonly string[]): Element {
  return {
    action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { winfix: 1, cardId, refresh: true } },
    userIds: [...userIds],
  };
}
