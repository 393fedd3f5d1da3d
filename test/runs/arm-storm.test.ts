/**
 * An ARM storm across several jobs at once: the fake ARM answers creates and reads with 429 (with
 * Retry-After), 500, 503, dropped connections and timeouts (a request applied and never answered).
 * Every approved job still ends reported to both sides (the technicians' card and the employee), and
 * exactly one job is created in ARM per approval, however often the create was retried.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver } from '../bot/chat-driver';
import type { Fault } from '../helpers/fake-arm';
import { KENJI, type Remote, startRemote } from './remote-harness';

const USERS = Array.from({ length: 4 }, (_, i) => ({
  id: `29:storm-${i}`,
  name: `Storm User ${i}`,
  directoryId: `e5e5e5e5-0000-4000-8000-00000000000${i}`,
  computer: `PC-STORM-${i}`,
}));

describe('remote runs under an ARM storm (PostgreSQL, fake ARM)', function () {
  this.timeout(120_000);
  let knowledge: Knowledge;
  let r: Remote;

  before(async () => {
    knowledge = createKnowledge();
    r = await startRemote(knowledge);
  });
  after(async () => {
    await r.close();
    assert.deepEqual(r.fake.problems, [], 'every ARM request matched job.json');
  });

  it('429 / 500 / 503 / drops / timeouts on every operation: each job reported to both sides, one create each', async () => {
    for (const user of USERS)
      await r.storage.enrollments.enroll({
        platform: 'teams',
        userId: user.directoryId,
        computerName: user.computer,
        workerGroup: `hrw-${user.computer.toLowerCase()}`,
        by: 'test',
      });
    for (const user of USERS) {
      const chat = new ChatDriver(r.bot, `conv-${user.id}`, user, 'teams');
      await chat.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
      for (let i = 0; i < 3; i++) await chat.press("Didn't help");
      await chat.press('Run it for me');
    }
    assert.equal(r.notifier.posted.length, USERS.length, 'one approval card per user');

    const storm: Fault[] = [
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 503 },
      { kind: 'drop' },
      { kind: 'status', status: 500 },
      { kind: 'hang-after-apply' },
      { kind: 'status', status: 429, retryAfter: '2' },
      { kind: 'drop-after-apply' },
    ];
    for (let round = 0; round < 3; round++)
      for (const fault of storm) {
        r.fake.inject('Job_Create', fault);
        r.fake.inject('Job_Get', fault);
      }
    for (const card of r.notifier.posted) {
      const approve = card.choices.find((c) => c.action.verb === 'approve')?.action;
      assert.match(await r.press(KENJI, approve), /Approved/);
    }

    const ids = r.notifier.posted.map((c) => c.requestId);
    const finished = async () => {
      for (const id of ids) {
        const job = await r.storage.jobs.forApproval(id);
        if (!job || !['Completed', 'Failed', 'Stopped', 'Suspended'].includes(job.status)) return false;
      }
      return true;
    };
    for (let i = 0; i < 80 && !(await finished()); i++) await r.poll();
    assert.ok(await finished(), 'every job reached an end');

    const outcomes = r.fake.requests.map((q) => `${q.op} ${q.outcome}`);
    for (const expected of ['Job_Create 429', 'Job_Create 503', 'Job_Get 500', 'Job_Create hung'])
      assert.ok(outcomes.includes(expected), `the storm happened: ${expected}`);
    const told = r.notifier.userTexts().join('\n');
    for (const [i, id] of ids.entries()) {
      const job = await r.storage.jobs.forApproval(id);
      assert.ok(job);
      assert.equal(r.fake.creates(job.id), 1, `exactly one create for job ${i}`);
      assert.match(r.notifier.card(id)?.job ?? '', /^Job: (Completed|Failed)/, `card ${i} shows the end`);
    }
    for (const user of USERS)
      assert.match(
        told,
        new RegExp(`Diagnostics on ${user.computer} are done|did not complete on ${user.computer}`),
        `${user.name} was told the result`,
      );
  });
});
