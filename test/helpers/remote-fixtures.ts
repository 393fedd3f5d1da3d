/** Shared pieces of the remote-run tests: the environment that points the Azure executor at a fake ARM, and runbook output. */
import type { FakeArm } from './fake-arm';

/** WINFIX_EXECUTOR=azure against the fake ARM (the credential is injected by the test). */
export function azureEnv(fake: FakeArm): Record<string, string> {
  return {
    WINFIX_EXECUTOR: 'azure',
    AZURE_SUBSCRIPTION_ID: fake.subscriptionId,
    AZURE_RESOURCE_GROUP: fake.resourceGroup,
    AZURE_AUTOMATION_ACCOUNT: fake.automationAccount,
    AZURE_ARM_ENDPOINT: fake.url,
    AZURE_TENANT_ID: 'e5e5e5e5-0000-4000-8000-000000000005',
    AZURE_CLIENT_ID: 'f6f6f6f6-0000-4000-8000-000000000006',
    AZURE_CLIENT_SECRET: 'not-a-real-secret',
  };
}

/** Get-UpdateHealth's last output line, with the measured facts given. */
export function healthOutput(facts: Record<string, unknown>): string {
  return `${JSON.stringify({
    runbook: 'Get-UpdateHealth',
    computer: 'PC-0042',
    ok: true,
    changed: false,
    rebootRequired: false,
    actions: [],
    errors: [],
    disabledServices: [],
    pendingReboot: false,
    thirdPartyAv: false,
    ...facts,
  })}\n`;
}
