/**
 * Who a request is for, checked again just before its job starts: the PC must still be enrolled to the
 * requester (any of their identities) with the same worker group. A PC unenrolled, or enrolled to
 * someone else since the request, is refused (decision 0013).
 */
import type { Sender } from '../bot/inputs';
import { storedContext } from './approval-card';
import type { ApprovalRecord, EnrollmentStore } from './stores';

/** The identities a chat user can be enrolled or listed as a technician under. */
export function identitiesOf(platform: string, user: Sender): { platform: string; id: string }[] {
  const ids = [{ platform, id: user.id }];
  if (user.directoryId) ids.unshift({ platform, id: user.directoryId });
  if (user.email) ids.push({ platform: 'email', id: user.email.toLowerCase() });
  return ids;
}

/** The requester as the request stored them. */
export function requesterOf(approval: ApprovalRecord): { platform: string; user: Sender } {
  const c = storedContext(approval);
  const at = approval.requester.indexOf(':');
  const platform = c.platform ?? approval.requester.slice(0, Math.max(0, at));
  return {
    platform,
    user: {
      id: c.requesterId ?? approval.requester.slice(at + 1),
      directoryId: c.requesterDirectoryId ?? null,
      email: c.requesterEmail ?? null,
    },
  };
}

/** "PC-0042.corp.example.com" and "pc-0042" are one PC. */
const netbios = (name: string) => (name.split('.')[0] ?? '').toLowerCase();

/** Whether the request's PC is still enrolled to its requester, in the same worker group. */
export async function stillOwned(enrollments: EnrollmentStore, approval: ApprovalRecord): Promise<boolean> {
  const { platform, user } = requesterOf(approval);
  for (const identity of identitiesOf(platform, user))
    for (const e of await enrollments.forUser(identity.platform, identity.id))
      if (
        netbios(e.computerName) === netbios(approval.computerName) &&
        e.workerGroup.toLowerCase() === approval.workerGroup.toLowerCase()
      )
        return true;
  return false;
}

/** What the audit log says about who pressed, besides the chat id (directory id, e-mail, name). */
export function technicianData(user: Sender): Record<string, unknown> {
  if (!user.directoryId && !user.email) return {};
  return {
    technician: {
      directoryId: user.directoryId ?? null,
      email: user.email?.toLowerCase() ?? null,
      name: user.name ?? null,
    },
  };
}
