/**
 * Renders the bot's neutral messages as Slack Block Kit: sections in mrkdwn (escaped), commands in
 * rich-text preformatted blocks (shown verbatim), buttons whose `value` carries the card id and the
 * BotAction, and context lines for hints and a step's risk/admin/reboot/minutes. Cards also give their
 * `content` (the blocks without buttons) so an answered card can be shown again without them.
 */
import type { types } from '@slack/bolt';
import type {
  ApprovalMessage,
  Choice,
  CodeExplanationMessage,
  HandoffMessage,
  JobStatusMessage,
  NextStep,
  OutgoingMessage,
  QuestionMessage,
  StepCard,
  TriedStep,
} from '../../bot';
import { ACTION_ID_PREFIX, encodeButtonValue, REASON_BLOCK_ID, REASON_FIELD } from './slack-inputs';

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
  inputLabel: 2000,
  placeholder: 150,
  /** What a technician may type as a reason (the core keeps 500 characters of it). */
  reasonLength: 500,
  /** Our own bound for one preformatted block of a job's output (Slack documents none). */
  preformattedText: 3000,
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
  if (m.learned) content.push(context(`:bar_chart: ${escapeMrkdwn(m.learned)}`));
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
  const text = [
    `${m.heading}: ${m.title}`,
    m.why,
    m.learned ?? '',
    ...m.instructions,
    commands,
    m.meta,
  ].filter(Boolean);
  return { text: text.join('\n'), blocks, content };
}

function code(m: CodeExplanationMessage): Block[] {
  const blocks = sections(`*${escapeMrkdwn(m.heading)}*\n${escapeMrkdwn(m.meaning)}`);
  if (m.contextNote) blocks.push(context(escapeMrkdwn(m.contextNote)));
  return blocks;
}

/** Facts as section fields, ten per section (Slack's limit), the first section titled when `title`. */
function factFields(facts: { label: string; value: string }[], title: string | null): Block[] {
  const blocks: Block[] = [];
  const fields = facts.map((f) => ({
    type: 'mrkdwn' as const,
    text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText),
  }));
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    const slice = fields.slice(i, i + LIMITS.fieldsPerSection);
    blocks.push(
      i === 0 && title
        ? { type: 'section', text: { type: 'mrkdwn', text: clip(title, LIMITS.sectionText) }, fields: slice }
        : { type: 'section', fields: slice },
    );
  }
  return blocks;
}

function triedLines(tried: TriedStep[], none: string): string {
  if (tried.length === 0) return `_${escapeMrkdwn(none)}_`;
  return tried.map((t) => `• ${escapeMrkdwn(t.title)} — ${escapeMrkdwn(t.outcomeLabel)}`).join('\n');
}

/** What a hand-off summary shows: the employee's copy, or the technicians' copy in their language. */
export type HandoffSummaryParts = Pick<
  HandoffMessage,
  'heading' | 'facts' | 'tried' | 'next' | 'userWords' | 'labels'
>;

/** The hand-off summary (heading, facts, steps tried, the user's words), for the user or the technicians. */
export function handoffSummary(m: HandoffSummaryParts): Block[] {
  const blocks: Block[] = [header(m.heading), ...factFields(m.facts, `*${escapeMrkdwn(m.labels.facts)}*`)];
  if (m.facts.length === 0)
    blocks.push(...sections(`*${escapeMrkdwn(m.labels.facts)}*\n_${escapeMrkdwn(m.labels.none)}_`));
  blocks.push(...sections(`*${escapeMrkdwn(m.labels.tried)}*\n${triedLines(m.tried, m.labels.none)}`));
  if (m.next.length > 0)
    blocks.push(
      ...sections(`*${escapeMrkdwn(m.labels.next)}*\n${nextLines(m.next).map(escapeMrkdwn).join('\n')}`),
    );
  const words =
    m.userWords.length === 0
      ? `_${escapeMrkdwn(m.labels.none)}_`
      : m.userWords.map((w) => `> ${escapeMrkdwn(w.replace(/\s*\n\s*/g, ' '))}`).join('\n');
  blocks.push(...sections(`*${escapeMrkdwn(m.labels.words)}*\n${words}`));
  return blocks;
}

function nextLines(next: NextStep[]): string[] {
  return next.map((n, i) => `${i + 1}. ${n.title}${n.note ? ` (${n.note})` : ''}`);
}

export function handoffPlainText(m: HandoffSummaryParts): string {
  const facts = m.facts.map((f) => `${f.label}: ${f.value}`);
  const tried = m.tried.map((t) => `- ${t.title} — ${t.outcomeLabel}`);
  const next = m.next.length > 0 ? [`${m.labels.next}:`, ...nextLines(m.next)] : [];
  return [
    m.heading,
    ...facts,
    `${m.labels.tried}:`,
    ...(tried.length ? tried : [m.labels.none]),
    ...next,
  ].join('\n');
}

const DECISION_ICON: Record<ApprovalMessage['status'], string> = {
  pending: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  rejected: ':no_entry:',
  expired: ':hourglass:',
};

/** The reason field of a pending approval card: optional, one line; its text comes back in `state.values`. */
function reasonInput(input: { label: string; placeholder: string }): Block {
  const element: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: REASON_FIELD,
    multiline: false,
    max_length: LIMITS.reasonLength,
  };
  if (input.placeholder.trim())
    element.placeholder = { type: 'plain_text', text: clip(input.placeholder, LIMITS.placeholder) };
  return {
    type: 'input',
    block_id: REASON_BLOCK_ID,
    optional: true,
    label: { type: 'plain_text', text: clip(input.label.trim() || '…', LIMITS.inputLabel) },
    element,
  };
}

/**
 * The approval card for the technicians' channel: the heading, the facts as fields, what was tried,
 * the decision, the job and the dry-run notice as context lines; while pending the reason field and
 * Approve / Reject; while the job runs Stop. Buttons and the reason field always fit: the content is
 * cut first when a card would pass Slack's 50 blocks.
 */
function approval(m: ApprovalMessage): RenderedMessage {
  const content: Block[] = [header(m.heading), ...factFields(m.facts, null)];
  if (m.tried.length > 0)
    content.push(
      ...sections(
        `*${escapeMrkdwn(m.triedLabel)}*\n${m.tried.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')}`,
      ),
    );
  if (m.decision) content.push(context(`${DECISION_ICON[m.status]} ${escapeMrkdwn(m.decision)}`));
  if (m.job) content.push(context(`:gear: ${escapeMrkdwn(m.job)}`));
  if (m.dryRunNotice) content.push(context(`:test_tube: ${escapeMrkdwn(m.dryRunNotice)}`));
  const controls: Block[] = [];
  if (m.status === 'pending' && m.reasonInput) controls.push(reasonInput(m.reasonInput));
  controls.push(...actions(m.id, m.choices));
  const kept = content.slice(0, LIMITS.blocksPerMessage - controls.length);
  return { text: m.text, blocks: [...kept, ...controls], content: kept };
}

const JOB_ICON: Record<JobStatusMessage['stage'], string> = {
  requested: ':hourglass_flowing_sand:',
  approved: ':white_check_mark:',
  rejected: ':no_entry:',
  expired: ':hourglass:',
  started: ':gear:',
  finished: ':checkered_flag:',
};

/** A remote run's progress for the user: its status word in bold, then what it means. */
function jobStatus(m: JobStatusMessage): RenderedMessage {
  const icon =
    m.stage === 'finished' && m.ok !== null ? (m.ok ? ':white_check_mark:' : ':x:') : JOB_ICON[m.stage];
  const status = m.status.trim();
  const head = status ? `${icon} *${escapeMrkdwn(status)}*` : icon;
  return {
    text: status ? `${status}: ${m.text}` : m.text,
    blocks: sections(`${head}  ${escapeMrkdwn(m.text)}`),
    content: null,
  };
}

/**
 * A note for the technicians under an approval card (a job's output): the first line as its title, the
 * rest verbatim in preformatted blocks.
 */
export function technicianNote(text: string): RenderedMessage {
  const [first = '', ...rest] = text.split('\n');
  const blocks: Block[] = sections(escapeMrkdwn(first.trim() || '…'));
  const body = rest.join('\n').replace(/\s+$/, '');
  for (let i = 0; i < body.length && blocks.length < LIMITS.blocksPerMessage; i += LIMITS.preformattedText)
    blocks.push(preformatted(body.slice(i, i + LIMITS.preformattedText)));
  return { text: clip(text, LIMITS.fallbackText), blocks, content: null };
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
    case 'approval':
      return limited(approval(message));
    case 'job-status':
      return limited(jobStatus(message));
    case 'card-update':
      return null;
  }
}

/** The mark before an answer: a reply arrow, neutral, since "didn't help" is no success (no check mark). */
export const ANSWER_MARK = ':leftwards_arrow_with_hook:';

/**
 * An answered card: its content without buttons, and a line with the answer. Without the content (a card
 * posted before a restart with an in-memory reference store) only the answer line remains.
 */
export function answeredCard(content: Block[] | null, answer: string): RenderedMessage {
  const blocks = (content ?? []).slice(0, LIMITS.blocksPerMessage - 1);
  const line = answer.trim() ? answer : '…';
  blocks.push(context(`${ANSWER_MARK} ${escapeMrkdwn(line)}`));
  return { text: line, blocks, content: null };
}

/**
 * A card drawn with lines on top: the record of the press it answers (`↩ step title — answer`) and the
 * texts said just before it, which would otherwise be messages of their own. The buttons always fit:
 * the lines are cut first when the card would pass Slack's 50 blocks. The lines stay in the card's
 * content, so they are still there once the card itself is answered.
 */
export function withLead(
  rendered: RenderedMessage,
  record: string,
  texts: readonly string[],
): RenderedMessage {
  const top: Block[] = [context(`${ANSWER_MARK} ${escapeMrkdwn(record.trim() || '…')}`)];
  for (const text of texts) top.push(...sections(escapeMrkdwn(text)));
  const kept = top.slice(0, Math.max(0, LIMITS.blocksPerMessage - rendered.blocks.length));
  return {
    text: clip([record, ...texts, rendered.text].join('\n'), LIMITS.fallbackText),
    blocks: [...kept, ...rendered.blocks],
    content: rendered.content ? [...kept, ...rendered.content] : null,
  };
}
