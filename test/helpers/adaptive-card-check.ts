/**
 * Checks an Adaptive Card with the real parser (the `adaptivecards` package, which loads in Node
 * through tsx: its ESM build uses extensionless imports that plain Node refuses). Three kinds of
 * problem: parse events (unknown element or action types, invalid property values), validation events
 * (duplicate ids, empty collections, too many actions …), and properties the parser dropped when
 * serialising the card back (misspelt or unknown names, or a default value written out). An
 * Action.Execute must have an Action.Submit fallback with the same title and data (checked on its own).
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

/**
 * Teams' CodeBlock element (not in the Adaptive Cards schema; Teams desktop and web render it with a
 * copy button, other hosts use its `fallback`), as the Teams docs describe it ("Format cards in Teams",
 * learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
 */
export const TEAMS_CODE_BLOCK_LANGUAGES = [
  'Bash',
  'C',
  'C++',
  'C#',
  'CSS',
  'DOS',
  'Go',
  'GraphQL',
  'HTML',
  'Java',
  'JavaScript',
  'JSON',
  'Perl',
  'PHP',
  'PlainText',
  'PowerShell',
  'Python',
  'SQL',
  'TypeScript',
  'Visual Basic',
  'Verilog',
  'VHDL',
  'XML',
] as const;
const CODE_BLOCK_KEYS = new Set([
  'type',
  'codeSnippet',
  'language',
  'startLineNumber',
  'fallback',
  'id',
  'spacing',
  'separator',
]);

/**
 * Checks every CodeBlock against Teams' schema and puts its fallback in its place, so the real parser
 * checks what other hosts render. A CodeBlock without a fallback element is a problem here: a client
 * that does not know CodeBlock would show nothing.
 */
function withCodeBlockFallbacks(value: unknown, at: string, problems: string[]): unknown {
  // (Also checks each Action.Execute's fallback: see withoutActionFallback.)
  if (Array.isArray(value)) return value.map((v, i) => withCodeBlockFallbacks(v, `${at}[${i}]`, problems));
  if (typeof value !== 'object' || value === null) return value;
  const element = value as Json;
  if (element.type === 'CodeBlock') {
    for (const key of Object.keys(element))
      if (!CODE_BLOCK_KEYS.has(key)) problems.push(`${at}.${key}: not a CodeBlock property`);
    if (typeof element.codeSnippet !== 'string' || element.codeSnippet === '')
      problems.push(`${at}.codeSnippet: a CodeBlock needs its code`);
    if (
      element.language !== undefined &&
      !(TEAMS_CODE_BLOCK_LANGUAGES as readonly unknown[]).includes(element.language)
    )
      problems.push(`${at}.language: ${JSON.stringify(element.language)} is not a Teams CodeBlock language`);
    if (
      element.startLineNumber !== undefined &&
      !(Number.isInteger(element.startLineNumber) && (element.startLineNumber as number) >= 1)
    )
      problems.push(`${at}.startLineNumber: a whole number from 1`);
    const fallback = element.fallback;
    if (typeof fallback !== 'object' || fallback === null) {
      problems.push(`${at}.fallback: a CodeBlock needs a fallback element for clients without CodeBlock`);
      return { type: 'TextBlock', text: String(element.codeSnippet ?? '') };
    }
    return withCodeBlockFallbacks(fallback, `${at}.fallback`, problems);
  }
  if (element.type === 'Action.Execute' && !at.endsWith('.refresh.action'))
    return withoutActionFallback(element, at, problems);
  const out: Json = {};
  for (const [key, v] of Object.entries(element))
    out[key] = key === 'data' ? v : withCodeBlockFallbacks(v, `${at}.${key}`, problems);
  return out;
}

/**
 * An Action.Execute button must carry an Action.Submit `fallback` (clients without Universal Actions
 * show that one): the fallback is checked on its own, in a card of its own, and taken out of the card
 * the parser checks (the parser reads an action's fallback but never writes it back).
 */
function withoutActionFallback(element: Json, at: string, problems: string[]): Json {
  const { fallback, ...rest } = element;
  const submit = fallback as Json | undefined;
  if (typeof submit !== 'object' || submit === null || submit.type !== 'Action.Submit')
    problems.push(`${at}.fallback: an Action.Execute needs an Action.Submit fallback for older clients`);
  else {
    if (submit.title !== element.title) problems.push(`${at}.fallback: the fallback's title differs`);
    if (JSON.stringify(submit.data) !== JSON.stringify(element.data))
      problems.push(`${at}.fallback: the fallback's data differs from the action's`);
    const alone = {
      type: 'AdaptiveCard',
      version: TEAMS_CARD_VERSION,
      body: [{ type: 'ActionSet', actions: [submit] }],
    };
    for (const p of checkAdaptiveCard(alone)) problems.push(`${at}.fallback: ${p}`);
  }
  if (typeof element.verb !== 'string' || element.verb === '')
    problems.push(`${at}.verb: an Action.Execute needs a verb`);
  return rest;
}

/** Problems with a card (empty when it is a valid Adaptive Card 1.5 with nothing unknown in it). */
export function checkAdaptiveCard(content: unknown): string[] {
  const problems: string[] = [];
  const card = withCodeBlockFallbacks(content, 'card', problems) as Json;
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
