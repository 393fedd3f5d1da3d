/**
 * One turn of a conversation: the state being changed, the messages going out, and the helpers every
 * handler needs (translation, message ids, open-card bookkeeping).
 */

import type { Step } from '../rules/kb/schema';
import type { Knowledge } from '../rules/knowledge';
import type { Learning } from '../rules/planner/learned-order';
import type { Locale } from '../rules/vocabulary';
import type { AdminPolicy } from './admin-rights';
import type { ConversationState } from './conversation-state';
import type { MessageKey, Translator, Vars } from './i18n/translator';
import type { Sender } from './inputs';
import type { Card, Draft, OutgoingMessage } from './messages';
import type { RateLimiter } from './rate-limit';
import type { Computer, RemoteRunsPort } from './remote-runs-port';
import type { TicketJobDraft, TicketPolicy } from './tickets-port';

export interface TurnDeps {
  knowledge: Knowledge;
  translator: Translator;
  /** Remote runs, when configured (storage and an executor); absent: "Run it for me" is never offered. */
  remote?: RemoteRunsPort;
  /** The technicians' language (hand-off copies for their channel). Default: the conversation's. */
  technicianLocale?: Locale;
  /** Whether employees can run things as administrator (see admin-rights.ts). Default "yes". */
  employeesAreAdmins?: AdminPolicy;
  /** Plans that learn from measured outcomes, when storage is configured and learning is on. */
  learning?: Learning;
  /** Remote-run requests per user per hour (rate-limit.ts); absent: no limit. */
  runLimit?: RateLimiter;
  /** Tickets on hand-off (WINFIX_TICKETS); absent: no ticket jobs are written. */
  tickets?: TicketPolicy;
}

/** Who is talking in this turn, and the PCs enrolled to them (looked up once per turn). */
export interface TurnContext {
  sender: Sender;
  computers: Computer[];
}

export class Turn {
  readonly out: OutgoingMessage[] = [];
  /** Ticket jobs this turn writes; the store saves them with the state (one transaction). */
  readonly tickets: TicketJobDraft[] = [];

  constructor(
    readonly state: ConversationState,
    readonly deps: TurnDeps,
    readonly now: Date,
    readonly context: TurnContext = { sender: { id: state.who.userId }, computers: [] },
  ) {}

  get locale() {
    return this.state.locale;
  }

  get kb() {
    return this.deps.knowledge.kb;
  }

  t(key: MessageKey, vars?: Vars): string {
    return this.deps.translator.t(this.state.locale, key, vars);
  }

  private nextId(): string {
    this.state.seq += 1;
    return `m${this.state.seq}`;
  }

  emit<M extends OutgoingMessage>(draft: Draft<M>): string {
    const id = this.nextId();
    this.out.push({ ...draft, id } as OutgoingMessage);
    return id;
  }

  say(text: string): void {
    this.emit({ kind: 'text', text });
  }

  /** Sends a card with buttons; any card still open is superseded first. */
  card(draft: Draft<Card>): string {
    this.closeCard(this.t('answer.superseded'));
    const id = this.emit(draft);
    this.state.openCard = { id, kind: draft.kind };
    return id;
  }

  /** Tells connectors the open card is answered (disable its buttons, show `answer`). */
  closeCard(answer: string): void {
    const open = this.state.openCard;
    if (!open) return;
    this.state.openCard = null;
    this.emit({ kind: 'card-update', cardId: open.id, answer });
  }

  /** The step of the plan the conversation is on, if any. */
  currentStep(): Step | null {
    const id = this.state.plan[this.state.index];
    return id ? (this.kb.steps.get(id) ?? null) : null;
  }

  stepTitle(id: string): string {
    return this.kb.steps.get(id)?.title[this.locale] ?? id;
  }
}
