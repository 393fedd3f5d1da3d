/**
 * Duplicate detection for Teams: the channel posts an activity again when the first attempt timed out
 * or failed, and behind a load balancer the copy may reach another instance. An activity is known by
 * its conversation and id; the connector asks `SeenDeliveries` (the database's, shared by every
 * instance, or one in memory) before handing it to the core, and answers a copy with nothing.
 */
import { type Clock, systemClock } from '../../bot';
import { MemorySeenDeliveries, type SeenDeliveries } from '../storage/dedup';
import type { ActivityLike } from './incoming';

/** The key of an activity, or null when it has no id (then it cannot be told from another). */
export function activityKey(activity: ActivityLike): string | null {
  const conversationId = activity.conversation?.id;
  const id = activity.id;
  if (!conversationId || !id) return null;
  return `activity:${conversationId}:${id}`;
}

/** The connector's duplicate check: true when this activity was already handled (by any instance). */
export class ActivityDedup {
  private readonly seen: SeenDeliveries;

  constructor(seen?: SeenDeliveries, clock: Clock = systemClock) {
    this.seen = seen ?? new MemorySeenDeliveries({ clock });
  }

  async repeated(activity: ActivityLike): Promise<boolean> {
    const key = activityKey(activity);
    if (!key) return false;
    return !(await this.seen.firstTime(key));
  }
}
