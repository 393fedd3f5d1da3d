/** Remote runs: the coordinator, the job poller and the ports the composition root fills in. */
import type { Bot } from '../bot/bot';
import { type Clock, systemClock } from '../bot/clock';
import { createTranslator } from '../bot/i18n/translator';
import { JobPoller, type JobPollerOptions } from './job-poller';
import { DEFAULT_POLICY, type RemotePolicy } from './policy';
import { RemoteContext, type RemoteDeps } from './remote-context';
import { RemoteRuns } from './remote-runs';
import { Sweeper, type SweeperOptions } from './sweeper';

export type * from '../bot/remote-runs-port';
export { checkParameters } from '../rules/kb/runbook-parameters';
export { approvalCard, type CardJob, minuteUtc, type StoredRunContext } from './approval-card';
export type * from './executor';
export { isRetryable } from './executor';
export { JobPoller, type JobPollerOptions, runResult, shortSummary } from './job-poller';
export { DEFAULT_POLICY, type RemotePolicy } from './policy';
export type { RemoteLog } from './remote-context';
export { identitiesOf, inConversation, RemoteRuns } from './remote-runs';
export type * from './stores';
export { Sweeper, type SweeperOptions } from './sweeper';

export interface RemoteSetup {
  runs: RemoteRuns;
  poller: JobPoller;
  /** Tells what was recorded but not told (after a crash); run at start-up and periodically. */
  sweeper: Sweeper;
  /** Hands the bot to the coordinator (it tells users through the bot's system events). */
  attach(bot: Bot): void;
}

export function createRemoteRuns(
  deps: Omit<RemoteDeps, 'translator' | 'clock' | 'policy'> & {
    policy?: Partial<RemotePolicy>;
    clock?: Clock;
  },
  poller: JobPollerOptions = {},
  sweeper: SweeperOptions = {},
): RemoteSetup {
  const ctx = new RemoteContext({
    ...deps,
    policy: { ...DEFAULT_POLICY, ...deps.policy },
    clock: deps.clock ?? systemClock,
    translator: createTranslator(),
  });
  const runs = new RemoteRuns(ctx);
  return {
    runs,
    poller: new JobPoller(ctx, poller),
    sweeper: new Sweeper(ctx, sweeper),
    attach: (bot) => ctx.attach(bot),
  };
}
