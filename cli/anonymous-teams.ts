/**
 * Remote runs in anonymous Teams mode (no WINFIX_TEAMS_APP_ID): nobody on /api/messages is
 * authenticated, so anyone reaching the port could claim an enrolled employee's or a technician's
 * Entra id. With a real executor (WINFIX_EXECUTOR=azure) `winfix serve` therefore refuses to start when
 * Teams is the only platform, and with Slack configured it starts with remote runs for Slack only:
 * from Teams nothing is offered, requested or decided. The dry-run executor runs nothing, so anonymous
 * Teams keeps its remote runs there (every message says "dry run"). See decision 0014.
 */
import type { RemoteRunsPort } from '../bot/remote-runs-port';

const TEAMS = 'teams';

export type AnonymousRunsVerdict = 'allowed' | 'slack-only' | 'refuse';

/** What anonymous Teams mode means for remote runs with this executor and platforms. */
export function anonymousRunsVerdict(settings: {
  anonymousTeams: boolean;
  dryRun: boolean;
  slack: boolean;
}): AnonymousRunsVerdict {
  if (!settings.anonymousTeams || settings.dryRun) return 'allowed';
  return settings.slack ? 'slack-only' : 'refuse';
}

export const ANONYMOUS_AZURE_REFUSAL =
  'WINFIX_EXECUTOR=azure runs real jobs, but without WINFIX_TEAMS_APP_ID nobody on Teams is authenticated; set WINFIX_TEAMS_APP_ID (with its password and tenant), or WINFIX_EXECUTOR=dry-run';

export const ANONYMOUS_AZURE_SLACK_ONLY =
  'remote runs are for Slack only: WINFIX_EXECUTOR=azure runs real jobs and Teams is anonymous (no WINFIX_TEAMS_APP_ID), so Teams users are offered no runs and Teams presses on approval cards count for nothing';

/** The remote-run port with every Teams path closed (offers, requests, technicians' presses and looks). */
export function withoutTeamsRuns(port: RemoteRunsPort, warn: (message: string) => void): RemoteRunsPort {
  return {
    get dryRun() {
      return port.dryRun;
    },
    get approvalMinutes() {
      return port.approvalMinutes;
    },
    computersOf: (platform, user) =>
      platform === TEAMS ? Promise.resolve([]) : port.computersOf(platform, user),
    allows: (runbook) => port.allows(runbook),
    request: (request) =>
      request.platform === TEAMS
        ? Promise.resolve({ kind: 'refused', detail: 'remote runs are off in anonymous Teams mode' })
        : port.request(request),
    onTechnicianAction: async (input) => {
      if (input.platform !== TEAMS) return port.onTechnicianAction(input);
      warn(`an anonymous Teams press on approval request ${input.action.request} was ignored`);
      return [];
    },
    // An anonymous Teams look at an approval card shows nothing (no card was posted there anyway).
    viewApproval: async (input) =>
      input.platform !== TEAMS && port.viewApproval ? port.viewApproval(input) : [],
  };
}
