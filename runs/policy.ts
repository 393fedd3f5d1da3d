/** Who may decide remote runs, what runs without a decision, and how long a request waits. */
import type { Locale } from '../rules/vocabulary';

export interface RemotePolicy {
  /**
   * Technicians per platform ("teams", "slack"): platform user ids, Teams Entra object ids, or e-mails.
   * Nobody else can approve, reject or stop. Default: none (so nobody can decide).
   */
  technicians: Record<string, string[]>;
  /** How long a request waits for a decision before it lapses (default 30). */
  approvalMinutes: number;
  /** Diagnostics (read-only runbooks) start without a decision (default false: every run needs one). */
  diagnosticsWithoutApproval: boolean;
  /** Runbooks that may run; null: every runbook in the catalog (rules/kb/runbooks.json). */
  allowedRunbooks: string[] | null;
  /** The language of the technicians' cards and replies (default "en"). */
  technicianLocale: Locale;
  /**
   * Where each platform's technicians decide (Teams channel conversation id, Slack channel id):
   * Approve, Reject and Stop count only there. Unset for a platform: wherever the card is.
   */
  technicianConversations: Record<string, string | null>;
}

export const DEFAULT_POLICY: RemotePolicy = {
  technicians: {},
  approvalMinutes: 30,
  diagnosticsWithoutApproval: false,
  allowedRunbooks: null,
  technicianLocale: 'en',
  technicianConversations: {},
};
