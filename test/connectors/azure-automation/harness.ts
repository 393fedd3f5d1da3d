/** An AzureAutomationExecutor wired to a FakeArm, with a fake credential, clock, sleep and randomness. */
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Clock } from '../../../bot';
import {
  AzureAutomationExecutor,
  type AzureAutomationExecutorOptions,
} from '../../../connectors/azure-automation';
import type { FakeArm } from '../../helpers/fake-arm';

export class StepClock implements Clock {
  private t: number;
  constructor(start = '2026-03-02T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export class FakeCredential implements TokenCredential {
  calls = 0;
  scopes: string[] = [];
  constructor(
    private readonly clock: Clock,
    private readonly tokens: string[] = ['fake-arm-token'],
  ) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    const token = this.tokens[Math.min(this.calls, this.tokens.length - 1)] ?? '';
    this.calls += 1;
    return { token, expiresOnTimestamp: this.clock.now().getTime() + 3_600_000 };
  }
}

export interface Harness {
  executor: AzureAutomationExecutor;
  clock: StepClock;
  credential: TokenCredential;
  /** Every wait the executor asked for, in ms. */
  sleeps: number[];
  logs: string[];
}

export function harness(
  fake: FakeArm,
  overrides: Partial<AzureAutomationExecutorOptions> & { tokens?: string[] } = {},
): Harness {
  const clock = new StepClock();
  const sleeps: number[] = [];
  const logs: string[] = [];
  const credential = overrides.credential ?? new FakeCredential(clock, overrides.tokens);
  const executor = new AzureAutomationExecutor({
    subscriptionId: fake.subscriptionId,
    resourceGroup: fake.resourceGroup,
    automationAccount: fake.automationAccount,
    armEndpoint: fake.url,
    credential,
    clock,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
    pollIntervalMs: 15_000,
    requestTimeoutMs: 500,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { executor, clock, credential, sleeps, logs };
}

export const JOB_NAME = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

export const request = (jobName = JOB_NAME) => ({
  jobName,
  runbook: 'Sync-SystemClock',
  parameters: {},
  runOn: 'hrw-pc-0042',
});
