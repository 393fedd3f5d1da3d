/** The bearer token and the client secret never show in an error, a log line, or printed settings. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { TokenCredential } from '@azure/identity';
import {
  AutomationAuthError,
  AutomationRequestError,
  readExecutorSettings,
} from '../../../connectors/azure-automation';
import { FakeArm } from '../../helpers/fake-arm';
import { harness, JOB_NAME, request } from './harness';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.c2VjcmV0LXRva2VuLXZhbHVl.U0lH';

/** Every way an error might be printed. */
function printed(error: unknown): string {
  const e = error as Error;
  return [
    String(e),
    e.message,
    e.stack,
    inspect(e, { depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(e),
  ].join('\n');
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

describe('AzureAutomationExecutor keeps the token out of errors and logs', () => {
  let fake: FakeArm;

  beforeEach(async () => {
    fake = await FakeArm.start({ tokens: [TOKEN] });
  });
  afterEach(() => fake.close());

  it('in ARM error answers (even one that echoes the Authorization header), dropped connections and timeouts', async () => {
    const { executor, logs } = harness(fake, { tokens: [TOKEN] });
    const echo = {
      code: 'BadRequest',
      message: `Header Authorization: Bearer ${TOKEN} rejected; token ${TOKEN}`,
    };
    fake.inject('Job_Get', { kind: 'status', status: 400, body: echo });
    const refused = await caught(executor.get(JOB_NAME));
    assert.ok(refused instanceof AutomationRequestError);
    assert.match(refused.message, /ARM answered 400 \(BadRequest: Header Authorization: Bearer \[redacted\]/);

    for (let i = 0; i < 5; i++) fake.inject('Job_Get', { kind: 'drop' });
    const dropped = await caught(executor.get(JOB_NAME));

    fake.inject('Job_Create', { kind: 'hang-after-apply' });
    for (let i = 0; i < 5; i++) fake.inject('Job_Get', { kind: 'status', status: 503, body: echo });
    const unknown = await caught(
      harness(fake, { tokens: [TOKEN], requestTimeoutMs: 100 }).executor.start(request()),
    );
    assert.match(String((unknown as Error).message), /503/);

    for (const error of [refused, dropped, unknown]) assert.doesNotMatch(printed(error), new RegExp(TOKEN));
    assert.ok(logs.length > 0);
    assert.doesNotMatch(logs.join('\n'), new RegExp(TOKEN));
    assert.deepEqual(fake.problems, []);
  });

  it('when ARM refuses the token (401 after one fresh try)', async () => {
    const { executor } = harness(fake, { tokens: ['stale-token-1', 'stale-token-2'] });
    const error = await caught(executor.get(JOB_NAME));
    assert.ok(error instanceof AutomationRequestError);
    assert.equal(error.status, 401);
    assert.equal(fake.requests.length, 2, 'asked once more with a new token');
    assert.doesNotMatch(printed(error), /stale-token/);
  });

  it('when the credential fails or gives nothing', async () => {
    const failing: TokenCredential = {
      getToken: async () => {
        throw new Error('ManagedIdentityCredential: no managed identity endpoint found');
      },
    };
    const error = await caught(harness(fake, { credential: failing }).executor.get(JOB_NAME));
    assert.ok(error instanceof AutomationAuthError);
    assert.match(
      error.message,
      /no token for http:\/\/127\.0\.0\.1:\d+\/\.default: Error: ManagedIdentityCredential/,
    );
    const empty: TokenCredential = { getToken: async () => null };
    await assert.rejects(harness(fake, { credential: empty }).executor.get(JOB_NAME), AutomationAuthError);
    assert.deepEqual(fake.requests, []);
  });

  it('the client secret prints as [redacted] from the settings', () => {
    const settings = readExecutorSettings({
      WINFIX_EXECUTOR: 'azure',
      AZURE_SUBSCRIPTION_ID: '51766542-3ed7-4a72-a187-0c8ab644ddab',
      AZURE_RESOURCE_GROUP: 'rg-winfix',
      AZURE_AUTOMATION_ACCOUNT: 'aa-winfix-helpdesk',
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: '0f1e2d3c-4b5a-4697-8877-665544332211',
      AZURE_CLIENT_SECRET: 'Q~super.secret-value',
    });
    assert.equal(settings.clientSecret?.reveal(), 'Q~super.secret-value');
    for (const text of [
      JSON.stringify(settings),
      inspect(settings, { depth: 5 }),
      `${settings.clientSecret}`,
    ])
      assert.doesNotMatch(text, /super\.secret/);
  });
});
