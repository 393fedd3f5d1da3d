/**
 * The conversation core's entry point: `createBot(...).handle(input)` loads the conversation, runs one
 * turn, saves it with optimistic versioning (re-running the turn on a conflict) and returns the
 * messages to send. Pure TypeScript: no platform SDK, no connector.
 */
import type { Knowledge } from '../rules/knowledge';
import type { Learning } from '../rules/planner/learned-order';
import type { Locale } from '../rules/vocabulary';
import type { AdminPolicy } from './admin-rights';
import { type Clock, systemClock } from './clock';
import { type ConversationState, newConversation } from './conversation-state';
import { type ConversationStore, InMemoryConversationStore } from './conversation-store';
import { BotInputError, ConversationBusyError, ConversationConflictError } from './errors';
import { createTranslator } from './i18n/translator';
import { conversationKey, type IncomingMessage, isApprovalView, isTechnicianAction } from './inputs';
import { platformLocale, turnLocale } from './locale';
import type { OutgoingMessage } from './messages';
import { onAction } from './on-action';
import { onSystem } from './on-system';
import { onText } from './on-text';
import { createRateLimits, type RateLimitSettings, rateKey } from './rate-limit';
import type { Computer, RemoteRunsPort } from './remote-runs-port';
import type { TicketPolicy } from './tickets-port';
import { Turn, type TurnDeps } from './turn';

export interface BotOptions {
  knowledge: Knowledge;
  /** Where conversations are kept. Default: a new `InMemoryConversationStore`. */
  store?: ConversationStore;
  /** Default: the system clock. */
  clock?: Clock;
  /** The locale when neither the platform nor the message tells. Default "en". */
  defaultLocale?: Locale;
  /** How many times a turn is re-run when its conversation changed meanwhile. Default 3. */
  conflictRetries?: number;
  /** Remote runs (runs/). Default: none, and "Run it for me" is never offered. */
  remote?: RemoteRunsPort;
  /** The technicians' language, for their copy of hand-offs. Default: `defaultLocale`. */
  technicianLocale?: Locale;
  /**
   * Whether employees can run things as administrator: "yes", "no", or "ask" each user once (see
   * admin-rights.ts). Default "yes" (every step in the employee's part); `winfix` defaults to "ask".
   */
  employeesAreAdmins?: AdminPolicy;
  /**
   * Plans that learn: the employee's part re-ordered by measured outcomes (see
   * rules/planner/learned-order.ts). Default: none, the sources' order.
   */
  learning?: Learning;
  /**
   * Per-user limits on messages (per minute) and remote-run requests (per hour), in memory per instance
   * (see rate-limit.ts). Default: none; `winfix serve` sets them from the configuration.
   */
  rateLimits?: RateLimitSettings;
  /**
   * Tickets on hand-off: each hand-off writes a ticket job (open, or a note on the case's ticket) with
   * the state; the store must keep an outbox (SqlConversationStore). Default: none.
   */
  tickets?: TicketPolicy;
}

export interface Bot {
  handle(input: IncomingMessage): Promise<OutgoingMessage[]>;
}

function validate(input: IncomingMessage): void {
  if (!input.platform || !input.conversationId || !input.user?.id)
    throw new BotInputError('an input needs platform, conversationId and user.id');
  if (input.kind === 'text' && typeof input.text !== 'string')
    throw new BotInputError('text input without text');
  if (input.kind === 'action' && typeof input.action?.verb !== 'string')
    throw new BotInputError('action input without a verb');
}

export function createBot(options: BotOptions): Bot {
  const store = options.store ?? new InMemoryConversationStore();
  const clock = options.clock ?? systemClock;
  const defaultLocale = options.defaultLocale ?? 'en';
  const retries = options.conflictRetries ?? 3;
  const limits = options.rateLimits ? createRateLimits(options.rateLimits, clock) : null;
  const deps: TurnDeps = {
    knowledge: options.knowledge,
    translator: createTranslator(),
    ...(options.remote ? { remote: options.remote } : {}),
    technicianLocale: options.technicianLocale ?? defaultLocale,
    ...(options.employeesAreAdmins ? { employeesAreAdmins: options.employeesAreAdmins } : {}),
    ...(options.learning ? { learning: options.learning } : {}),
    ...(limits ? { runLimit: limits.runs } : {}),
    ...(options.tickets ? { tickets: options.tickets } : {}),
  };

  /**
   * A user over the message limit: told once, in the conversation's language, how long to wait; the
   * messages that follow are dropped until the limit allows one again. Nothing is stored.
   */
  async function overLimit(input: IncomingMessage): Promise<OutgoingMessage[] | null> {
    if (!limits || input.kind === 'system') return null;
    const verdict = limits.messages.take(rateKey(input.platform, input.user.id));
    if (verdict.ok) return null;
    if (!verdict.first) return [];
    const state = await store.get(conversationKey(input));
    const locale = state?.locale ?? platformLocale(input.user.locale) ?? defaultLocale;
    const text = deps.translator.t(locale, 'rate.messages', { seconds: verdict.retryAfterSeconds });
    return [{ kind: 'text', id: `rate-limit-${clock.now().getTime()}`, text }];
  }

  /** The user's enrolled PCs, once per turn (only when remote runs are on). */
  async function computersOf(input: IncomingMessage): Promise<Computer[]> {
    if (!deps.remote) return [];
    return deps.remote.computersOf(input.platform, input.user);
  }

  async function runTurn(
    state: ConversationState,
    input: IncomingMessage,
    now: Date,
    computers: Computer[],
  ): Promise<Turn> {
    const firstContact = state.version === 0;
    const understanding = input.kind === 'text' ? deps.knowledge.understand(input.text) : null;
    const script = understanding?.language ?? null;
    state.locale = turnLocale({
      chosen: state.localeChosen ? state.locale : null,
      current: state.locale,
      firstContact,
      text: input.kind === 'text' ? input.text : null,
      script,
      platformTag: input.user.locale,
      fallback: defaultLocale,
    });
    if (input.user.name) state.who.displayName = input.user.name;
    const turn = new Turn(state, deps, now, { sender: input.user, computers });
    if (input.kind === 'text' && understanding) await onText(turn, input.text, understanding, firstContact);
    else if (input.kind === 'action') await onAction(turn, input.action, input.cardId ?? null);
    else if (input.kind === 'system') await onSystem(turn, input.event);
    else turn.say(turn.t('system.unsupported'));
    state.updatedAt = now.toISOString();
    return turn;
  }

  return {
    async handle(input) {
      validate(input);
      if (input.kind === 'action' && isTechnicianAction(input.action)) {
        if (!deps.remote) return [];
        return deps.remote.onTechnicianAction({ ...input, action: input.action });
      }
      if (input.kind === 'action' && isApprovalView(input.action))
        return deps.remote?.viewApproval ? deps.remote.viewApproval({ ...input, action: input.action }) : [];
      const limited = await overLimit(input);
      if (limited) return limited;
      const key = conversationKey(input);
      const computers = await computersOf(input);
      let lastConflict: unknown = null;
      for (let attempt = 0; attempt <= retries; attempt++) {
        const now = clock.now();
        const state =
          (await store.get(key)) ??
          newConversation(
            key,
            { platform: input.platform, userId: input.user.id, displayName: input.user.name ?? null },
            defaultLocale,
            now,
          );
        const expected = state.version;
        // Coming back to a conversation that never started: nothing to show, and nothing to save (the
        // first real message must still count as first contact).
        if (expected === 0 && input.kind === 'action' && input.action.verb === 'resume') return [];
        // A system event for a conversation that does not exist (deleted meanwhile) has nowhere to go.
        if (expected === 0 && input.kind === 'system') return [];
        const turn = await runTurn(state, input, now, computers);
        try {
          await store.save(state, expected, turn.tickets.length > 0 ? { tickets: turn.tickets } : undefined);
          return turn.out;
        } catch (error) {
          if (!(error instanceof ConversationConflictError)) throw error;
          lastConflict = error;
        }
      }
      throw new ConversationBusyError(
        `conversation ${key} kept changing; gave up after ${retries + 1} tries`,
        {
          cause: lastConflict,
        },
      );
    },
  };
}
