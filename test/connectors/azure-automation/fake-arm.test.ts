/** The fake ARM itself: it agrees with the spec's examples, and it notices requests that do not. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { FakeArm } from '../../helpers/fake-arm';
import { armSpec, EXAMPLES } from './arm-spec';

type Json = Record<string, unknown>;
const example = (name: string) => JSON.parse(readFileSync(path.join(EXAMPLES, name), 'utf8')) as Json;
const body = (ex: Json, status: string) => ((ex.responses as Json)[status] as Json).body;

const JOB = '7b0e4c36-1f7c-4f3e-9d55-0b7f5cbb8a11';

describe('fake ARM (Azure Automation jobs, api-version 2024-10-23)', () => {
  let fake: FakeArm;
  const http = axios.create({ validateStatus: () => true });
  const jobUrl = (name = JOB, query = '?api-version=2024-10-23') =>
    `${fake.url}/subscriptions/${fake.subscriptionId}/resourceGroups/${fake.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${fake.automationAccount}/jobs/${name}${query}`;
  const auth = { Authorization: 'Bearer fake-arm-token' };

  beforeEach(async () => {
    fake = await FakeArm.start();
  });
  afterEach(() => fake.close());

  it('uses the spec’s schemas, which accept the spec’s own examples', () => {
    const spec = armSpec();
    assert.equal(spec.version, '2024-10-23');
    assert.deepEqual(spec.check('#/definitions/Job', body(example('createJob.json'), '201')), []);
    assert.deepEqual(spec.check('#/definitions/Job', body(example('getJob.json'), '200')), []);
    assert.deepEqual(spec.check('#/definitions/JobStream', body(example('getJobStream.json'), '200')), []);
    const streams = body(example('listJobStreamsByJob.json'), '200');
    assert.deepEqual(spec.check('#/definitions/JobStreamListResult', streams), []);
    const create = (example('createJob.json').parameters as Json).parameters;
    assert.deepEqual(spec.check('#/definitions/JobCreateParameters', create), []);
    // … and would catch a wrong shape.
    assert.notDeepEqual(spec.check('#/definitions/Job', { properties: { status: 7 } }), []);
    assert.notDeepEqual(
      spec.check('#/definitions/JobCreateParameters', { properties: { parameters: [1] } }),
      [],
    );
  });

  it('creates, reads, outputs, lists streams and stops like the spec says, and counts creates', async () => {
    const create = {
      properties: { runbook: { name: 'Sync-SystemClock' }, parameters: {}, runOn: 'hrw-pc-0042' },
    };
    const put = await http.put(jobUrl(), create, { headers: auth });
    assert.equal(put.status, 201);
    assert.equal(put.data.properties.status, 'New');
    assert.equal(
      (await http.put(jobUrl(), create, { headers: auth })).status,
      409,
      'a repeat PUT is refused',
    );
    assert.equal(fake.creates(JOB), 1);
    assert.equal((await http.get(jobUrl(), { headers: auth })).data.properties.status, 'Activating');
    const output = await http.get(jobUrl(`${JOB}/output`), { headers: auth, responseType: 'text' });
    assert.match(String(output.headers['content-type']), /^text\/plain/);
    assert.match(output.data, /"ok":true/);
    const streams = await http.get(jobUrl(`${JOB}/streams`), { headers: auth });
    assert.equal(streams.data.value[0].properties.streamType, 'Output');
    assert.equal((await http.post(jobUrl(`${JOB}/stop`), undefined, { headers: auth })).status, 200);
    assert.equal((await http.get(jobUrl(), { headers: auth })).data.properties.status, 'Stopping');
    assert.equal((await http.get(jobUrl(), { headers: auth })).data.properties.status, 'Stopped');
    assert.deepEqual(fake.problems, []);
  });

  it('records requests that depart from the spec', async () => {
    const create = { properties: { runbook: { name: 'Sync-SystemClock' }, parameters: {} } };
    assert.equal((await http.put(jobUrl(), create, { headers: auth })).status, 400);
    assert.equal((await http.get(jobUrl(JOB, '?api-version=2019-06-01'), { headers: auth })).status, 400);
    assert.equal((await http.get(jobUrl(JOB, '?api-version=2024-10-23&x=1'), { headers: auth })).status, 400);
    assert.equal((await http.get(jobUrl(), {})).status, 401);
    const badGroup = jobUrl().replace(fake.resourceGroup, 'bad group!');
    assert.equal((await http.get(badGroup, { headers: auth })).status, 400);
    assert.equal((await http.delete(jobUrl(), { headers: auth })).status, 404);
    const problems = fake.problems.join('\n');
    assert.match(problems, /runOn \(the worker group\) is required/);
    assert.match(problems, /api-version is "2019-06-01"/);
    assert.match(problems, /query x is not declared/);
    assert.match(problems, /no bearer token/);
    assert.match(problems, /resourceGroupName "bad group!" must match pattern/);
    assert.match(problems, /DELETE .* is not an operation of job.json/);
    assert.equal(fake.creates(JOB), 0);
  });
});
