/** Runs runbook jobs on the employees' PCs (Azure Automation) or pretends to (dry run). The composition root imports this. */
import type { TokenCredential } from '@azure/identity';
import type { AxiosInstance } from 'axios';
import type { Clock } from '../../bot';
import type { ArmRetryOptions } from './arm-client';
import { AzureAutomationExecutor } from './azure-automation-executor';
import { createCredential } from './credential';
import { DryRunExecutor } from './dry-run-executor';
import { AutomationConfigError } from './errors';
import type { Executor, Sleep } from './executor';
import type { ExecutorSettings } from './settings';

export { parseRetryAfter } from './arm-client';
export {
  API_VERSION,
  AzureAutomationExecutor,
  type AzureAutomationExecutorOptions,
} from './azure-automation-executor';
export { createCredential } from './credential';
export {
  DRY_RUN_NOTICE,
  DRY_RUN_SEQUENCE,
  DryRunExecutor,
  type DryRunExecutorOptions,
} from './dry-run-executor';
export * from './errors';
export * from './executor';
export { runbookExecutorOf, runStateOf } from './runbook-executor';
export { parseRunbookOutput, type RunbookSummary } from './runbook-output';
export * from './settings';

export interface ExecutorDependencies extends ArmRetryOptions {
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Tests pass a fake; by default built from the settings (createCredential). */
  credential?: TokenCredential;
  http?: AxiosInstance;
  /** Retries and waits of the Azure executor, one line each. */
  log?: (message: string) => void;
}

/** The executor the settings ask for: the dry run by default, Azure Automation with WINFIX_EXECUTOR=azure. */
export async function createExecutor(
  settings: ExecutorSettings,
  deps: ExecutorDependencies = {},
): Promise<Executor> {
  if (settings.kind === 'dry-run') return new DryRunExecutor({ clock: deps.clock, sleep: deps.sleep });
  const { subscriptionId, resourceGroup, automationAccount } = settings;
  if (!subscriptionId || !resourceGroup || !automationAccount)
    throw new AutomationConfigError(
      'WINFIX_EXECUTOR=azure needs AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and AZURE_AUTOMATION_ACCOUNT',
    );
  return new AzureAutomationExecutor({
    ...deps,
    subscriptionId,
    resourceGroup,
    automationAccount,
    armEndpoint: settings.armEndpoint,
    credential: deps.credential ?? (await createCredential(settings)),
    pollIntervalMs: settings.pollSeconds * 1000,
  });
}
