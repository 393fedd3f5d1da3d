/** What every chat connector shares: the contract, and the platform-independent parts of a turn. */
export { apologyFor } from './apology';
export { ChatTurns, type ChatTurnsOptions, type TurnDeliveryRequest, type TurnOutcome } from './chat-turns';
export type * from './contract';
export { ConversationQueue } from './conversation-queue';
export { DeliveryFailures } from './delivery-failures';
export { type OpenCard, OpenCards, openCardOf } from './open-cards';
export { firstDelivery, MemorySeenDeliveries, type SeenDeliveries, seenDeliveries } from './seen-deliveries';
