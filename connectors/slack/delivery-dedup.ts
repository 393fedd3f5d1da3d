/**
 * Remembers which Slack deliveries were already taken (event ids, message timestamps, action presses),
 * so a retried or duplicated delivery changes nothing. The connector takes any `SeenDeliveries`: the
 * composition root passes the database's (`SqlSeenDeliveries`, shared by every instance on it); without
 * a database it is this bounded in-memory one.
 */
export {
  MemorySeenDeliveries as DeliveryDedup,
  type MemorySeenDeliveriesOptions as DeliveryDedupOptions,
  type SeenDeliveries,
} from '../storage/dedup';
