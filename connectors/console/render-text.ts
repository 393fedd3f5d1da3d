/**
 * Renders the bot's neutral messages as plain text for a terminal: cards list their buttons as numbered
 * choices, commands go in indented blocks, and a step shows its risk/admin/reboot/minutes line.
 */
import type { Choice, HandoffMessage, OutgoingMessage, StepCard } from '../../bot';

export interface Rendered {
  /** The text to print, or null for messages a terminal does not show (card updates). */
  text: string | null;
  /** The buttons, in the order they are numbered (1-based). Empty when the message has none. */
  choices: Choice[];
}

const INDENT = '    ';

function numbered(choices: Choice[], from = 1): string[] {
  return choices.map((c, i) => `  ${from + i}) ${c.label}`);
}

function stepText(card: StepCard): Rendered {
  const lines = [`── ${card.heading}: ${card.title} ──`, card.why];
  if (card.learned) lines.push(`  (${card.learned})`);
  lines.push('');
  for (const line of card.instructions) lines.push(`  • ${line}`);
  for (const command of card.commands) {
    lines.push('', `  ${command.shellLabel}:`);
    for (const codeLine of command.code.split('\n')) lines.push(`${INDENT}${codeLine}`);
  }
  if (card.caution) lines.push('', `  ⚠ ${card.caution}`);
  lines.push('', `  ${card.meta}`, '');
  const choices = [...card.choices, ...(card.runForMe ? [card.runForMe] : [])];
  lines.push(...numbered(choices));
  if (card.reveals.length > 0) {
    lines.push(`  ${card.revealPrompt ?? ''}`.trimEnd());
    lines.push(...numbered(card.reveals, choices.length + 1));
  }
  return { text: lines.join('\n'), choices: [...choices, ...card.reveals] };
}

function handoffText(m: HandoffMessage): string {
  const lines = [m.text, '', `== ${m.heading} ==`, `${m.labels.facts}:`];
  for (const f of m.facts) lines.push(`  ${f.label}: ${f.value}`);
  lines.push(`${m.labels.tried}:`);
  if (m.tried.length === 0) lines.push(`  ${m.labels.none}`);
  for (const t of m.tried) lines.push(`  - ${t.title} — ${t.outcomeLabel}`);
  if (m.next.length > 0) lines.push(`${m.labels.next}:`);
  m.next.forEach((n, i) => {
    lines.push(`  ${i + 1}. ${n.title}${n.note ? ` (${n.note})` : ''}`);
  });
  lines.push(`${m.labels.words}:`);
  if (m.userWords.length === 0) lines.push(`  ${m.labels.none}`);
  for (const w of m.userWords) lines.push(`  > ${w}`);
  return lines.join('\n');
}

export function renderText(message: OutgoingMessage): Rendered {
  switch (message.kind) {
    case 'text':
      return { text: message.text, choices: [] };
    case 'question': {
      const lines = [message.text];
      if (message.hint) lines.push(`  (${message.hint})`);
      lines.push(...numbered(message.choices));
      return { text: lines.join('\n'), choices: message.choices };
    }
    case 'step':
      return stepText(message);
    case 'code': {
      const lines = [`[${message.heading}]`, message.meaning];
      if (message.contextNote) lines.push(message.contextNote);
      return { text: lines.join('\n'), choices: [] };
    }
    case 'summary':
      return { text: `✔ ${message.text}`, choices: [] };
    case 'handoff':
      return { text: handoffText(message), choices: [] };
    case 'approval': {
      const lines = [message.text, ...numbered(message.choices)];
      return { text: lines.join('\n'), choices: message.choices };
    }
    case 'job-status':
      return { text: `[${message.status}] ${message.text}`, choices: [] };
    case 'card-update':
      return { text: null, choices: [] };
  }
}
