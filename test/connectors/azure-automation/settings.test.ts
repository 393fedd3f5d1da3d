import assert from 'node:assert/strict';
import { readConfig } from '../../../cli/config';
import {
  AUTOMATION_ERROR_CLASSES,
  AutomationConfigError,
  AzureAutomationExecutor,
  createCredential,
  createExecutor,
  DryRunExecutor,
  describeExecutorSettings,
} from '../../../connectors/azure-automation';
import { FakeCredential, StepClock } from './harness';

const AZURE = {
  WINFIX_EXECUTOR: 'azure',
  AZURE_SUBSCRIPTION_ID: '51766542-3ed7-4a72-a187-0c8ab644ddab',
  AZURE_RESOURCE_GROUP: 'rg-winfix',
  AZURE_AUTOMATION_ACCOUNT: 'aa-winfix-helpdesk',
};

const problem = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(
    () => readConfig(env),
    (e: unknown) => e instanceof AutomationConfigError && pattern.test(e.message),
  );

describe('executor settings (cli/config.ts)', () => {
  it('defaults to the dry run, polling every 20 s against the public cloud', () => {
    const { executor } = readConfig({});
    assert.deepEqual(
      [executor.kind, executor.pollSeconds, executor.armEndpoint, executor.clientSecret],
      ['dry-run', 20, 'https://management.azure.com', null],
    );
    assert.match(describeExecutorSettings(executor), /dry run \(nothing runs/);
  });

  it('reads an Azure configuration: managed identity by default, a sovereign cloud, a poll interval', () => {
    const { executor } = readConfig({
      ...AZURE,
      AZURE_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      WINFIX_POLL_SECONDS: '30',
    });
    assert.equal(executor.kind, 'azure');
    assert.equal(executor.armEndpoint, 'https://management.usgovcloudapi.net');
    assert.equal(executor.pollSeconds, 30);
    assert.match(describeExecutorSettings(executor), /system-assigned managed identity, polling every 30 s/);
  });

  it('says clearly what is wrong, all at once', () => {
    problem({ WINFIX_EXECUTOR: 'local' }, /WINFIX_EXECUTOR must be dry-run or azure \(got "local"\)/);
    problem(
      { WINFIX_EXECUTOR: 'azure' },
      /AZURE_SUBSCRIPTION_ID is missing.*AZURE_RESOURCE_GROUP is missing.*AZURE_AUTOMATION_ACCOUNT is missing/,
    );
    problem({ ...AZURE, AZURE_SUBSCRIPTION_ID: 'my-sub' }, /AZURE_SUBSCRIPTION_ID must be a GUID/);
    problem({ ...AZURE, AZURE_AUTOMATION_ACCOUNT: 'aa' }, /AZURE_AUTOMATION_ACCOUNT must be 6–50 letters/);
    problem(
      { ...AZURE, AZURE_RESOURCE_GROUP: 'rg winfix' },
      /AZURE_RESOURCE_GROUP is not a resource group name/,
    );
    problem(
      { ...AZURE, AZURE_CLIENT_SECRET: 's3cr3t-value' },
      /AZURE_TENANT_ID is missing; .*AZURE_CLIENT_ID is missing/,
    );
    problem(
      { ...AZURE, AZURE_TENANT_ID: 'contoso.onmicrosoft.com' },
      /AZURE_TENANT_ID is set but AZURE_CLIENT_SECRET is not/,
    );
    problem({ ...AZURE, AZURE_CLIENT_ID: 'app' }, /AZURE_CLIENT_ID must be a GUID/);
    problem({ AZURE_ARM_ENDPOINT: 'http://management.azure.com' }, /AZURE_ARM_ENDPOINT must use https/);
    problem({ AZURE_ARM_ENDPOINT: 'https://management.azure.com/subscriptions' }, /just scheme and host/);
    problem({ AZURE_ARM_ENDPOINT: 'management.azure.com' }, /must be a URL/);
    problem(
      { AZURE_AUTHORITY_HOST: 'http://login.microsoftonline.us' },
      /AZURE_AUTHORITY_HOST must use https/,
    );
    for (const poll of ['10', '31', '20.5', 'soon'])
      problem(
        { WINFIX_POLL_SECONDS: poll },
        /WINFIX_POLL_SECONDS must be a whole number of seconds from 15 to 30/,
      );
  });

  it('never puts the secret in a message', () => {
    assert.throws(
      () => readConfig({ ...AZURE, AZURE_CLIENT_SECRET: 'Q~very-secret', WINFIX_POLL_SECONDS: '99' }),
      (e: unknown) => e instanceof Error && !e.message.includes('very-secret'),
    );
  });

  it('builds the executor and the credential the settings ask for', async () => {
    const clock = new StepClock();
    assert.ok((await createExecutor(readConfig({}).executor, { clock })) instanceof DryRunExecutor);
    const azure = readConfig({ ...AZURE, WINFIX_POLL_SECONDS: '15' }).executor;
    const executor = await createExecutor(azure, { credential: new FakeCredential(clock), clock });
    assert.ok(executor instanceof AzureAutomationExecutor);
    assert.equal(executor.pollIntervalMs, 15_000);
    assert.equal((await createCredential(azure)).constructor.name, 'ManagedIdentityCredential');
    const principal = readConfig({
      ...AZURE,
      AZURE_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      AZURE_CLIENT_ID: '0f1e2d3c-4b5a-4697-8877-665544332211',
      AZURE_CLIENT_SECRET: 'Q~very-secret',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    }).executor;
    assert.equal((await createCredential(principal)).constructor.name, 'ClientSecretCredential');
    assert.match(describeExecutorSettings(principal), /service principal 0f1e2d3c-.* in tenant 72f988bf-/);
    assert.doesNotMatch(describeExecutorSettings(principal), /very-secret/);
  });

  it('errors have unique winfix_automation_ codes', () => {
    const codes = AUTOMATION_ERROR_CLASSES.map((C) => new C('m', 0 as never, null as never).code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_automation_[a-z_]+$/);
  });
});
