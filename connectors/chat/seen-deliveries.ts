/**
 * Duplicate detection, the same on every platform: a delivery is known by one or more keys (an event
 * id, a message's timestamp, an activity id, a button press) and handled only the first time any of
 * them is seen. The composition root passes the database's `SqlSeenDeliveries` (shared by every
 * instance on it, with expiry); without one, a bounded set in memory.
 */
import { type Clock, systemClock } from '../../bot';
import { MemorySeenDeliveries, type SeenDeliveries } from '../storage/dedup';

export {
  MemorySeenDeliveries,
  type MemorySeenDeliveriesOptions,
  type SeenDeliveries,
} from '../storage/dedup';

/** The given store, or one in memory. */
export function seenDeliveries(seen: SeenDeliveries | undefined, clock: Clock = systemClock): SeenDeliveries {
  return seen ?? new MemorySeenDeliveries({ clock });
}

/** True the first time a delivery is seen under any of `keys` (a delivery without keys is always new). */
export async function firstDelivery(
  seen: SeenDeliveries,
  ...keys: (string | null | undefined)[]
): Promise<boolean> {
  return seen.firstTime(...keys);
}
