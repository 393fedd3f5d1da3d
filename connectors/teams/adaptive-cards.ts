/**
 * The bot's neutral messages as Adaptive Cards 1.5 (what Teams renders): step cards, questions, code
 * explanations, summaries, hand-offs and approvals. Pure JSON, no SDK. Commands go in Teams' CodeBlock
 * (copy button), with monospace lines as its fallback; a step with many command lines keeps them behind
 * a "Show commands" toggle. The user's own words go in RichTextBlock/TextRun, which Adaptive Cards never
 * read as markdown, so they show verbatim; buttons are Action.Execute (Action.Submit as fallback, see
 * card-actions.ts) whose `data` carries the BotAction and the card id back.
 * An answered card is the same card without its buttons and with a line saying what was answered.
 */
import type {
  Card,
  Choice,
  CodeExplanationMessage,
  HandoffMessage,
  OutgoingMessage,
  QuestionMessage,
  StepCard,
  StepCommand,
  SummaryMessage,
  TriedStep,
} from '../../bot';
import { approvalCardForEveryone } from './approval-adaptive-card';
import { choiceButton } from './card-actions';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_VERSION = '1.5';
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  /** Shown by clients that cannot render the card, and in notifications. */
  fallbackText: string;
  /** How Teams fetches a user's own view of the card (see card-actions.ts `refreshFor`). */
  refresh?: CardElement;
  body: CardElement[];
}

/** Messages that become a card (the rest are plain text, and card updates are edits). */
export type CardMessage = Exclude<OutgoingMessage, { kind: 'text' | 'job-status' | 'card-update' }>;

export function isCardMessage(message: OutgoingMessage): message is CardMessage {
  return message.kind !== 'text' && message.kind !== 'job-status' && message.kind !== 'card-update';
}

/** Messages with buttons, whose card is edited when answered. */
export function hasButtons(
  message: OutgoingMessage,
): message is Card | Extract<OutgoingMessage, { kind: 'approval' }> {
  return message.kind === 'question' || message.kind === 'step' || message.kind === 'approval';
}

/** A TextBlock; a line break becomes a paragraph break, the only one Adaptive Card markdown keeps. */
const textBlock = (text: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: text.replace(/\r?\n/g, '\n\n'),
  wrap: true,
  ...extra,
});

/** Text shown exactly as written (no markdown): commands, the user's words. Empty lines keep their height. */
const verbatim = (line: string, run: CardElement = {}, extra: CardElement = {}): CardElement => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text: line === '' ? '\u00a0' : line, ...run }],
  ...extra,
});

/** Up to three short answers side by side; otherwise one button per line (long labels stay readable). */
function buttons(choices: Choice[], cardId: string): CardElement[] {
  if (choices.length === 0) return [];
  const compact = choices.length <= 3 && choices.every((c) => c.label.length <= 24);
  if (compact) return [{ type: 'ActionSet', actions: choices.map((c) => choiceButton(c, cardId)) }];
  return choices.map((c, i) => ({
    type: 'ActionSet',
    ...(i > 0 ? { spacing: 'Small' } : {}),
    actions: [choiceButton(c, cardId)],
  }));
}

/** The line that replaces the buttons once the card is answered. */
function answeredLine(answer: string): CardElement {
  return {
    type: 'Container',
    style: 'emphasis',
    items: [textBlock(answer, { weight: 'Bolder' })],
  };
}

/** Commands shown verbatim in monospace lines: what clients without CodeBlock get (Teams mobile, say). */
function monospaceLines(code: string): CardElement {
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'Small',
    items: code
      .split(/\r?\n/)
      .map((line, i) => verbatim(line, { fontType: 'Monospace' }, i > 0 ? { spacing: 'None' } : {})),
  };
}

/** Teams' CodeBlock language for each shell (highlighting only; the code is never changed). */
const CODE_LANGUAGE: Record<StepCommand['shell'], string> = {
  cmd: 'DOS',
  powershell: 'PowerShell',
  run: 'PlainText',
};

/**
 * A command in Teams' CodeBlock element: its own scrolling box with a copy button on Teams desktop and
 * web, so long lines and tokens stay inside it; other clients render the fallback (monospace lines).
 */
function codeBlock(command: StepCommand): CardElement {
  return {
    type: 'CodeBlock',
    codeSnippet: command.code,
    language: CODE_LANGUAGE[command.shell],
    startLineNumber: 1,
    spacing: 'Small',
    fallback: monospaceLines(command.code),
  };
}

/** Steps with more command lines than this keep them behind a "Show commands" toggle. */
export const COMMAND_LINES_SHOWN = 10;

/** The commands of a step: shown, or (when long) in a hidden container a toggle button opens. */
function commandElements(card: StepCard): CardElement[] {
  const elements = card.commands.flatMap((command) => [
    textBlock(command.shellLabel, { weight: 'Bolder', size: 'Small' }),
    codeBlock(command),
  ]);
  const lines = card.commands.reduce((n, c) => n + c.code.split(/\r?\n/).length, 0);
  if (lines <= COMMAND_LINES_SHOWN || !card.showCommandsLabel) return elements;
  const id = `commands-${card.id}`;
  return [
    {
      type: 'ActionSet',
      actions: [{ type: 'Action.ToggleVisibility', title: card.showCommandsLabel, targetElements: [id] }],
    },
    { type: 'Container', id, isVisible: false, spacing: 'None', items: elements },
  ];
}

function triedLines(tried: TriedStep[]): CardElement[] {
  return tried.map((t) => textBlock(`• ${t.title} — ${t.outcomeLabel}`, { spacing: 'Small' }));
}

const RISK_COLOR: Record<StepCard['risk'], string> = { low: 'Good', medium: 'Warning', high: 'Attention' };

function stepBody(card: StepCard, answered: string | null): CardElement[] {
  const body: CardElement[] = [
    textBlock(card.heading, { isSubtle: true, size: 'Small', spacing: 'None' }),
    textBlock(card.title, { size: 'Medium', weight: 'Bolder', spacing: 'Small' }),
    textBlock(card.why),
    ...(card.learned ? [textBlock(card.learned, { isSubtle: true, size: 'Small', spacing: 'Small' })] : []),
    ...card.instructions.map((line, i) => textBlock(`${i + 1}. ${line}`, { spacing: 'Small' })),
  ];
  body.push(...commandElements(card));
  if (card.caution) body.push(textBlock(`⚠ ${card.caution}`, { color: 'Warning' }));
  body.push(textBlock(card.meta, { size: 'Small', color: RISK_COLOR[card.risk] }));
  if (answered !== null) return [...body, answeredLine(answered)];
  body.push(...buttons([...card.choices, ...(card.runForMe ? [card.runForMe] : [])], card.id));
  if (card.reveals.length > 0) {
    if (card.revealPrompt) body.push(textBlock(card.revealPrompt, { isSubtle: true }));
    body.push(...buttons(card.reveals, card.id));
  }
  return body;
}

function questionBody(q: QuestionMessage, answered: string | null): CardElement[] {
  const body = [textBlock(q.text)];
  if (q.hint) body.push(textBlock(q.hint, { isSubtle: true, size: 'Small' }));
  return [...body, ...(answered !== null ? [answeredLine(answered)] : buttons(q.choices, q.id))];
}

function codeBody(m: CodeExplanationMessage): CardElement[] {
  const body = [textBlock(m.heading, { weight: 'Bolder', size: 'Medium' }), textBlock(m.meaning)];
  if (m.contextNote) body.push(textBlock(m.contextNote, { isSubtle: true }));
  return body;
}

function summaryBody(m: SummaryMessage): CardElement[] {
  return [textBlock(`✔ ${m.text}`, { weight: 'Bolder', color: 'Good' }), ...triedLines(m.tried)];
}

/** What a hand-off summary shows: the employee's copy, or the technicians' copy in their language. */
type HandoffSummaryParts = Pick<
  HandoffMessage,
  'heading' | 'facts' | 'tried' | 'next' | 'userWords' | 'labels'
>;

function handoffSummary(m: HandoffSummaryParts): CardElement[] {
  const none = textBlock(m.labels.none, { isSubtle: true, spacing: 'Small' });
  return [
    textBlock(m.heading, { weight: 'Bolder', size: 'Medium', separator: true }),
    textBlock(m.labels.facts, { weight: 'Bolder' }),
    m.facts.length > 0
      ? { type: 'FactSet', facts: m.facts.map((f) => ({ title: f.label, value: f.value })) }
      : none,
    textBlock(m.labels.tried, { weight: 'Bolder' }),
    ...(m.tried.length > 0 ? triedLines(m.tried) : [none]),
    ...(m.next.length > 0
      ? [
          textBlock(m.labels.next, { weight: 'Bolder' }),
          ...m.next.map((n, i) =>
            textBlock(`${i + 1}. ${n.title}${n.note ? ` (${n.note})` : ''}`, { spacing: 'Small' }),
          ),
        ]
      : []),
    textBlock(m.labels.words, { weight: 'Bolder' }),
    ...(m.userWords.length > 0
      ? m.userWords.map((w) => verbatim(w, { italic: true }, { spacing: 'Small' }))
      : [none]),
  ];
}

function handoffBody(m: HandoffMessage): CardElement[] {
  return [textBlock(m.text), ...handoffSummary(m)];
}

/** Who handed a case over, and from where: the line on top of the technicians' copy of a hand-off. */
export interface HandoffOrigin {
  /** The employee's display name, or their Teams user id when Teams gave no name. */
  name: string;
  /** Their Entra object id, or null. */
  directoryId: string | null;
  /** personal, groupChat or channel (Teams' conversationType), or null when not given. */
  conversationType: string | null;
  conversationId: string;
}

/**
 * The hand-off summary as the technicians' channel gets it, in the technicians' language (the bot's
 * `forTechnicians` copy): who handed over, from which conversation and why on top (verbatim: a display
 * name is not markdown), then the summary, without the line addressed to the employee.
 */
export function handoffForTechnicians(m: HandoffMessage, from: HandoffOrigin): AdaptiveCardJson {
  const tech = m.forTechnicians;
  const type = (from.conversationType ?? 'other') as keyof NonNullable<typeof tech>['where'];
  // Without a technicians' copy (an older bot), names and ids only: no words in a language of our choosing.
  const headline = `🆘 ${tech ? (tech.headline[type] ?? tech.headline.other) : from.name}`;
  const directory = from.directoryId
    ? ` · ${tech ? `${tech.directoryIdLabel} ` : ''}${from.directoryId}`
    : '';
  const ids = `${tech ? `${tech.conversationLabel} ` : ''}${from.conversationId}${directory}`;
  const summary = tech ?? m;
  return card(
    [
      verbatim(headline, { weight: 'Bolder' }),
      verbatim(ids, { isSubtle: true, size: 'Small' }, { spacing: 'None' }),
      ...handoffSummary(summary),
    ],
    `${headline}\n${summary.heading}`,
  );
}

/** One line of plain text for a message: the card's fallback text and the activity's summary. */
export function plainTextOf(message: OutgoingMessage): string {
  switch (message.kind) {
    case 'step':
      return `${message.heading}: ${message.title}`;
    case 'code':
      return message.heading;
    case 'handoff':
    case 'summary':
    case 'question':
    case 'approval':
    case 'text':
      return message.text;
    case 'job-status':
      return `[${message.status}] ${message.text}`;
    case 'card-update':
      return message.answer;
  }
}

function card(body: CardElement[], fallbackText: string): AdaptiveCardJson {
  return { type: 'AdaptiveCard', $schema: SCHEMA, version: ADAPTIVE_CARD_VERSION, fallbackText, body };
}

/**
 * The Adaptive Card for a message. With `answered`, the card as it looks once answered: the same
 * content, no buttons, and the answer in their place.
 */
export function adaptiveCardFor(message: CardMessage, answered: string | null = null): AdaptiveCardJson {
  const fallback = plainTextOf(message);
  switch (message.kind) {
    case 'step':
      return card(stepBody(message, answered), fallback);
    case 'question':
      return card(questionBody(message, answered), fallback);
    case 'approval':
      // Approval cards are redrawn whole (card-update with `card`), never closed with an answer line;
      // this is the card for everyone, with nothing to press (see approval-adaptive-card.ts).
      return approvalCardForEveryone(message);
    case 'code':
      return card(codeBody(message), fallback);
    case 'summary':
      return card(summaryBody(message), fallback);
    case 'handoff':
      return card(handoffBody(message), fallback);
  }
}

/** The replacement for an answered card whose content is no longer known (e.g. after a restart). */
export function answeredOnlyCard(answer: string): AdaptiveCardJson {
  return card([answeredLine(answer)], answer);
}

/**
 * A card with the plain texts the bot said just before it, on top (one verbatim line each, so nothing
 * is read as markdown), above a separator. Teams splits an activity carrying both `text` and a card
 * into two messages and then returns no activity id, so the card could never be updated in place:
 * the texts go inside the card instead (see deliveryPlan).
 */
export function withLead(card: AdaptiveCardJson, lead: readonly string[]): AdaptiveCardJson {
  if (lead.length === 0) return card;
  // Lines of one text sit close together; each text starts a new paragraph.
  const lines = lead.flatMap((text) =>
    text.split(/\r?\n/).map((line, i) => verbatim(line, {}, i > 0 ? { spacing: 'None' } : {})),
  );
  const [first, ...rest] = card.body;
  return {
    ...card,
    fallbackText: [...lead, card.fallbackText].join('\n'),
    body: [...lines, ...(first ? [{ ...first, separator: true, spacing: 'Medium' }] : []), ...rest],
  };
}
