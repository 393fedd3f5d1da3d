/** The conversation core's public API (connectors import from here). */
export { ADMIN_POLICIES, type AdminPolicy } from './admin-rights';
export { type Bot, type BotOptions, createBot } from './bot';
export { type Clock, systemClock } from './clock';
export type { CaseFacts, CaseTicket, ConversationState, OutcomeRecord, Phase } from './conversation-state';
export { casesClosed, MAX_HISTORY } from './conversation-state';
export { type ConversationStore, InMemoryConversationStore, type TurnEffects } from './conversation-store';
export * from './errors';
export * from './inputs';
export type * from './messages';
export { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limit';
export { InMemoryReferenceStore, type ReferenceStore } from './reference-store';
export * from './tickets-port';
