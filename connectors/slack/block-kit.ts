/**
 * Renders the bot's neutral messages as Slack Block Kit: sections in mrkdwn (escaped), commands in
 * rich-text preformatted blocks (shown verbatim), buttons whose `value` carries the card id and the
 * BotAction, and context lines for hints and a step's risk/admin/reboot/minutes. Cards also give their
 * `content` (the blocks without buttons) so an answered card can be shown again without them.
 */
import type { types } from '@slack/bolt';
import type {
  Choice,
  CodeExplanationMessage,
  HandoffMessage,
  OutgoingMessage,
  QuestionMessage,
  StepCard,
  TriedStep,
} from '../../bot';
import { ACTION_ID_PREFIX, encodeButtonValue } from './slack-inputs';

type Block = types.KnownBlock;

/** Slack's documented limits. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonsPerActions: 25,
  fieldsPerSection: 10,
  fieldText: 2000,
  fallbackText: 4000,
} as const;

export interface RenderedMessage {
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks: Block[];
  /** For cards: the blocks without the buttons (kept to show the card answered). Null otherwise. */
  content: Block[] | null;
}

/** Escapes the three characters Slack's mrkdwn treats as markup (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One or more sections for (already escaped) mrkdwn, split at line breaks below the section limit. */
function sections(mrkdwn: string): Block[] {
  const out: Block[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk.trim()) out.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    chunk = '';
  };
  for (const line of mrkdwn.split('\n')) {
    const piece = clip(line, LIMITS.sectionText);
    if (chunk && chunk.length + 1 + piece.length > LIMITS.sectionText) flush();
    chunk = chunk ? `${chunk}\n${piece}` : piece;
  }
  flush();
  return out;
}

function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(mrkdwn, LIMITS.fieldText) }] };
}

function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true } };
}

/** Buttons for the choices, numbered from `from` so every action_id in a message is unique. */
function actions(cardId: string, choices: Choice[], from = 0): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < choices.length; i += LIMITS.buttonsPerActions) {
    const elements = choices.slice(i, i + LIMITS.buttonsPerActions).map((choice, j) => {
      const button: types.Button = {
        type: 'button',
        action_id: `${ACTION_ID_PREFIX}${from + i + j}`,
        text: { type: 'plain_text', text: clip(choice.label, LIMITS.buttonText), emoji: true },
        value: encodeButtonValue(cardId, choice.action),
      };
      if (choice.style !== 'default') button.style = choice.style;
      return button;
    });
    blocks.push({ type: 'actions', elements });
  }
  return blocks;
}

function preformatted(code: string): Block {
  return {
    type: 'rich_text',
    elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: code }] }],
  };
}

function question(m: QuestionMessage): RenderedMessage {
  const content = [...sections(escapeMrkdwn(m.text))];
  if (m.hint) content.push(context(`:bulb: ${escapeMrkdwn(m.hint)}`));
  return { text: m.text, blocks: [...content, ...actions(m.id, m.choices)], content };
}

function step(m: StepCard): RenderedMessage {
  const content: Block[] = [header(`${m.heading}: ${m.title}`), ...sections(escapeMrkdwn(m.why))];
  content.push(...sections(m.instructions.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')));
  for (const command of m.commands) {
    content.push(context(`*${escapeMrkdwn(command.shellLabel)}*`), preformatted(command.code));
  }
  if (m.caution) content.push(...sections(`:warning: ${escapeMrkdwn(m.caution)}`));
  content.push(context(escapeMrkdwn(m.meta)));
  const buttons = [...m.choices, ...(m.runForMe ? [m.runForMe] : [])];
  const blocks = [...content, ...actions(m.id, buttons)];
  if (m.reveals.length > 0) {
    if (m.revealPrompt) blocks.push(...sections(escapeMrkdwn(m.revealPrompt)));
    blocks.push(...actions(m.id, m.reveals, buttons.length));
  }
  const commands = m.commands.map((c) => `${c.shellLabel}:\n\`\`\`${c.code}\`\`\``).join('\n');
  const text = [`${m.heading}: ${m.title}`, m.why, ...m.instructions, commands, m.meta].filter(Boolean);
  return { text: text.join('\n'), blocks, content };
}

function code(m: CodeExplanationMessage): Block[] {
  const blocks = sections(`*${escapeMrkdwn(m.heading)}*\n${escapeMrkdwn(m.meaning)}`);
  if (m.contextNote) blocks.push(context(escapeMrkdwn(m.contextNote)));
  return blocks;
}

function triedLines(tried: TriedStep[], none: string): string {
  if (tried.length === 0) return `_${escapeMrkdwn(none)}_`;
  return tried.map((t) => `• ${escapeMrkdwn(t.title)} — ${escapeMrkdwn(t.outcomeLabel)}`).join('\n');
}

/** The hand-off summary (heading, facts, steps tried, the user's words), for the user or the technicians. */
export function handoffSummary(m: HandoffMessage): Block[] {
  const blocks: Block[] = [header(m.heading)];
  const fields = m.facts.map((f) => ({
    type: 'mrkdwn' as const,
    text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText),
  }));
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    const slice = fields.slice(i, i + LIMITS.fieldsPerSection);
    blocks.push(
      i === 0
        ? {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${escapeMrkdwn(m.labels.facts)}*` },
            fields: slice,
          }
        : { type: 'section', fields: slice },
    );
  }
  if (fields.length === 0)
    blocks.push(...sections(`*${escapeMrkdwn(m.labels.facts)}*\n_${escapeMrkdwn(m.labels.none)}_`));
  blocks.push(...sections(`*${escapeMrkdwn(m.labels.tried)}*\n${triedLines(m.tried, m.labels.none)}`));
  const words =
    m.userWords.length === 0
      ? `_${escapeMrkdwn(m.labels.none)}_`
      : m.userWords.map((w) => `> ${escapeMrkdwn(w.replace(/\s*\n\s*/g, ' '))}`).join('\n');
  blocks.push(...sections(`*${escapeMrkdwn(m.labels.words)}*\n${words}`));
  return blocks;
}

export function handoffPlainText(m: HandoffMessage): string {
  const facts = m.facts.map((f) => `${f.label}: ${f.value}`);
  const tried = m.tried.map((t) => `- ${t.title} — ${t.outcomeLabel}`);
  return [m.heading, ...facts, `${m.labels.tried}:`, ...(tried.length ? tried : [m.labels.none])].join('\n');
}

function limited(rendered: RenderedMessage): RenderedMessage {
  return {
    text: clip(rendered.text, LIMITS.fallbackText),
    blocks: rendered.blocks.slice(0, LIMITS.blocksPerMessage),
    content: rendered.content,
  };
}

/** Renders a message to post, or null for a `card-update` (that one is an edit, see `answeredCard`). */
export function renderMessage(message: OutgoingMessage): RenderedMessage | null {
  switch (message.kind) {
    case 'text':
      return limited({ text: message.text, blocks: sections(escapeMrkdwn(message.text)), content: null });
    case 'question':
      return limited(question(message));
    case 'step':
      return limited(step(message));
    case 'code':
      return limited({
        text: `${message.heading}\n${message.meaning}`,
        blocks: code(message),
        content: null,
      });
    case 'summary':
      return limited({
        text: message.text,
        blocks: sections(`:white_check_mark: ${escapeMrkdwn(message.text)}`),
        content: null,
      });
    case 'handoff':
      return limited({
        text: `${message.text}\n${handoffPlainText(message)}`,
        blocks: [...sections(escapeMrkdwn(message.text)), ...handoffSummary(message)],
        content: null,
      });
    case 'approval': {
      const content = sections(escapeMrkdwn(message.text));
      return limited({
        text: message.text,
        blocks: [...content, ...actions(message.id, message.choices)],
        content,
      });
    }
    case 'job-status':
      return limited({
        text: `[${message.status}] ${message.text}`,
        blocks: [context(`*${message.status}* ${escapeMrkdwn(message.text)}`)],
        content: null,
      });
    case 'card-update':
      return null;
  }
}

/**
 * An answered card: its content without buttons, and a line with the answer. Without the content (a card
 * posted before a restart with an in-memory reference store) only the answer line remains.
 */
export function answeredCard(content: Block[] | null, answer: string): RenderedMessage {
  const blocks = (content ?? []).slice(0, LIMITS.blocksPerMessage - 1);
  const line = answer.trim() ? answer : '✔';
  blocks.push(context(`:heavy_check_mark: ${escapeMrkdwn(line)}`));
  return { text: line, blocks, content: null };
}
