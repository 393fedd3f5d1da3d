/**
 * Checks an Adaptive Card with the real parser (the `adaptivecards` package, which loads in Node
 * through tsx: its ESM build uses extensionless imports that plain Node refuses). Three kinds of
 * problem: parse events (unknown element or action types, invalid property values), validation events
 * (duplicate ids, empty collections, too many actions …), and properties the parser dropped when
 * serialising the card back (misspelt or unknown names, or a default value written out).
 */
import * as AC from 'adaptivecards';

type Json = Record<string, unknown>;

export const TEAMS_CARD_VERSION = '1.5';

function dropped(input: unknown, output: unknown, at: string, problems: string[]): void {
  if (Array.isArray(input)) {
    // The parser drops what it does not know: walk both lists, pairing items of the same type.
    const out = Array.isArray(output) ? output : [];
    let j = 0;
    input.forEach((item, i) => {
      const type = (item as Json | null)?.type;
      if (j < out.length && (out[j] as Json | null)?.type === type)
        dropped(item, out[j++], `${at}[${i}]`, problems);
      else problems.push(`${at}[${i}]: the parser dropped this ${JSON.stringify(type ?? item)}`);
    });
    return;
  }
  if (typeof input !== 'object' || input === null) return;
  const out = (output ?? {}) as Json;
  for (const [key, value] of Object.entries(input)) {
    if (!(key in out)) problems.push(`${at}.${key}: unknown property (or a default value written out)`);
    // Action.Submit data is the host's payload: the parser keeps it as it is.
    else if (key !== 'data') dropped(value, out[key], `${at}.${key}`, problems);
  }
}

/** Problems with a card (empty when it is a valid Adaptive Card 1.5 with nothing unknown in it). */
export function checkAdaptiveCard(content: unknown): string[] {
  const problems: string[] = [];
  const card = content as Json;
  if (card?.type !== 'AdaptiveCard')
    problems.push(`type is ${JSON.stringify(card?.type)}, not "AdaptiveCard"`);
  if (card?.version !== TEAMS_CARD_VERSION)
    problems.push(`version is ${JSON.stringify(card?.version)}; Teams cards here are ${TEAMS_CARD_VERSION}`);
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of parsed.validateProperties().validationEvents)
    problems.push(`validate: ${AC.ValidationEvent[event.event]}: ${event.message}`);
  dropped(card, parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5)), 'card', problems);
  return problems;
}
