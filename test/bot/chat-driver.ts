/** Drives a conversation with the bot in tests: say text, press buttons by label, read the replies. */
import assert from 'node:assert/strict';
import type { Bot, BotAction, Clock, OutgoingMessage } from '../../bot';
import type { Card, Choice } from '../../bot/messages';

type Kind = OutgoingMessage['kind'];
type Of<K extends Kind> = Extract<OutgoingMessage, { kind: K }>;

/** A clock that moves one second each time it is read. */
export function steppingClock(start = '2026-03-02T09:00:00Z'): Clock {
  let at = Date.parse(start);
  return {
    now: () => {
      at += 1000;
      return new Date(at);
    },
  };
}

export interface ChatUser {
  id: string;
  name?: string | null;
  /** The platform's locale for the user, sent with every input when set. */
  locale?: string | null;
  /** The directory id (Teams: Entra object id), when the platform gives one. */
  directoryId?: string | null;
}

export class ChatDriver {
  /** Everything the bot said, in order. */
  readonly transcript: OutgoingMessage[] = [];
  /** What the bot said in the last turn. */
  last: OutgoingMessage[] = [];
  /** The latest card with buttons. */
  card: Card | null = null;

  constructor(
    private readonly bot: Bot,
    private readonly conversationId = 'c1',
    private readonly user: ChatUser = { id: 'u1', name: 'Test User' },
    private readonly platform = 'test',
  ) {}

  private get base() {
    return { platform: this.platform, conversationId: this.conversationId, user: this.user };
  }

  private take(replies: OutgoingMessage[]): OutgoingMessage[] {
    this.last = replies;
    this.transcript.push(...replies);
    for (const m of replies) if (m.kind === 'question' || m.kind === 'step') this.card = m;
    return replies;
  }

  async say(text: string): Promise<OutgoingMessage[]> {
    return this.take(await this.bot.handle({ ...this.base, kind: 'text', text }));
  }

  async act(action: BotAction, cardId: string | null = this.card?.id ?? null): Promise<OutgoingMessage[]> {
    return this.take(await this.bot.handle({ ...this.base, kind: 'action', action, cardId }));
  }

  /** The choices of the latest card (a step's outcome buttons, its reveals, then "Run it for me"). */
  choices(): Choice[] {
    if (!this.card) return [];
    if (this.card.kind !== 'step') return this.card.choices;
    return [...this.card.choices, ...this.card.reveals, ...(this.card.runForMe ? [this.card.runForMe] : [])];
  }

  /** Presses the button of the latest card whose label matches (exact string or RegExp). */
  async press(label: string | RegExp): Promise<OutgoingMessage[]> {
    const choice = this.choices().find((c) =>
      typeof label === 'string' ? c.label === label : label.test(c.label),
    );
    assert.ok(
      choice,
      `no button ${label} on the card; there are: ${this.choices()
        .map((c) => c.label)
        .join(' | ')}`,
    );
    return this.act(choice.action);
  }

  /** Messages of one kind in the last turn. */
  of<K extends Kind>(kind: K): Of<K>[] {
    return this.last.filter((m): m is Of<K> => m.kind === kind);
  }

  /** The only message of a kind in the last turn. */
  one<K extends Kind>(kind: K): Of<K> {
    const found = this.of(kind);
    assert.equal(
      found.length,
      1,
      `expected one ${kind} message, got ${found.length}: ${JSON.stringify(this.last.map((m) => m.kind))}`,
    );
    return found[0] as Of<K>;
  }

  /** The step card of the last turn. */
  step(): Of<'step'> {
    return this.one('step');
  }

  /** All text of the last turn, joined (texts, questions, code explanations, summaries). */
  text(): string {
    return this.last
      .map((m) => {
        switch (m.kind) {
          case 'text':
            return m.text;
          case 'question':
            return `${m.text} ${m.hint ?? ''}`;
          case 'code':
            return `${m.heading} ${m.meaning}`;
          case 'summary':
          case 'handoff':
          case 'job-status':
            return m.text;
          default:
            return '';
        }
      })
      .join('\n');
  }
}

export const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
export const CYRILLIC = /[\u0400-\u04ff]/;
