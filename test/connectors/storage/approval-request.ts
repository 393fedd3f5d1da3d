/** Approval requests for the storage tests of approvals and jobs. */
import type { ApprovalInput } from '../../../connectors/storage';

export const HOUR = 60 * 60 * 1000;
let n = 0;
/** A request for a computer of its own: one request per requester and computer may be pending. */
export const request = (extra: Partial<ApprovalInput> = {}): ApprovalInput => ({
  conversationKey: `teams:conv-${++n}`,
  requester: 'teams:29:aiko',
  stepId: 'wu-reset-components',
  runbook: 'Reset-WindowsUpdateComponents',
  parameters: { Confirm: true },
  computerName: `PC-${String(n).padStart(4, '0')}`,
  workerGroup: 'hrw-pc-0042',
  ttlMs: HOUR,
  ...extra,
});
