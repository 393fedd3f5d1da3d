import assert from 'node:assert/strict';
import { openStorage } from '../../connectors/storage';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { runCli } from '../helpers/run-cli';

for (const backend of BACKENDS) {
  describe(`winfix report: remote runs [${backend}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
      const ids: string[] = [];
      const storage = await openStorage(database.options);
      try {
        for (let i = 0; i < 5; i++) {
          const { approval } = await storage.approvals.request({
            conversationKey: `teams:conv-${i}`,
            requester: `teams:29:user-${i}`,
            stepId: 'wu-reset-components',
            runbook: 'Reset-WindowsUpdateComponents',
            parameters: { Confirm: true },
            computerName: `PC-${i}`,
            workerGroup: `hrw-pc-${i}`,
            ttlMs: 3_600_000,
          });
          ids.push(approval.id);
        }
        const [a, b, c, d] = ids as [string, string, string, string];
        for (const id of [a, b, c])
          await storage.approvals.decide(id, { approve: true, by: 'teams:29:tech' });
        await storage.approvals.decide(d, { approve: false, by: 'teams:29:tech' });
        for (const id of [a, b, c]) await storage.jobs.createForApproval(id);
        const jobs = await storage.jobs.claimForPoll('bench-worker', 10, 60_000);
        assert.equal(jobs.length, 3, 'three approved runs became jobs');
        const byApproval = new Map(jobs.map((j) => [j.approvalId, j.id]));
        const next = new Date(Date.now() + 60_000);
        await storage.jobs.recordPoll(byApproval.get(a) as string, 'bench-worker', {
          status: 'Completed',
          nextPollAt: next,
        });
        await storage.jobs.recordPoll(byApproval.get(b) as string, 'bench-worker', {
          status: 'Failed',
          nextPollAt: next,
        });
        await storage.jobs.recordPoll(byApproval.get(c) as string, 'bench-worker', {
          status: 'Running',
          nextPollAt: next,
        });
      } finally {
        await storage.close();
      }
      // Past its time to live (1 hour): the expiry a timer would apply.
      const later = await openStorage({
        ...database.options,
        clock: { now: () => new Date(Date.now() + 7_200_000) },
      });
      try {
        assert.equal((await later.approvals.expire(ids[4] as string))?.status, 'expired');
      } finally {
        await later.close();
      }
    });
    after(() => database.drop());

    it('counts requested, approved, rejected, expired, succeeded and failed runs', async () => {
      const run = await runCli(['report', '--json'], database.env);
      assert.equal(run.code, 0, run.err);
      assert.deepEqual(JSON.parse(run.out).remoteRuns, {
        requested: 5,
        approved: 3,
        rejected: 1,
        expired: 1,
        succeeded: 1,
        failed: 1,
      });
    });
  });
}
