/**
 * Remote runs end to end through `winfix serve` with Slack in HTTP mode, decided by a technician: an
 * approval runs the job on the PC (fake Azure Resource Manager), a rejection with a typed reason runs
 * nothing; the card is updated in place and the employee hears every stage. The rig
 * (serve-slack-remote-rig.ts) holds the fakes and the real coordinator keeps its records in PGlite.
 */
import assert from 'node:assert/strict';
import { hasButtons, hasInput, textOf } from '../connectors/slack/slack-harness';
import type { PostedMessage } from '../helpers/fake-slack-api';
import { buttonsOf } from '../helpers/slack-requests';
import {
  all,
  DM,
  HEALTH_OUTPUT,
  KENJI,
  pressWithState,
  problemsIn,
  slackRemoteRig,
  snapshot,
  TECHS,
  waitUntil,
} from './serve-slack-remote-rig';

describe('winfix serve: remote runs through Slack over HTTP, decided by a technician', function () {
  this.timeout(60_000);
  const rig = slackRemoteRig();
  const { serve, posted, toAiko, ephemeralsTo, latestCardText, send, requestRun, cardUpdates, audit } = rig;

  it('approve → the job runs on the PC → the card is updated in place, the output goes to its thread, the employee hears every stage and the changed plan', async () => {
    const server = await serve();
    try {
      rig.fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
      const card = await requestRun(server.url);
      const pending = snapshot(card);
      assert.equal(pending.thread_ts, undefined, 'the card starts its own thread');
      assert.match(pending.text, /^Remote run requested: Get-UpdateHealth on PC-0042/);
      assert.match(pending.text, /Requested by: Aiko Tanaka/);
      assert.match(pending.text, /PC \(worker group\): PC-0042 \(hrw-pc-0042\)/);
      assert.match(pending.text, /Parameters: none/);
      assert.deepEqual(
        buttonsOf(pending).map((b) => b.text.text),
        ['Approve', 'Reject'],
      );
      assert.ok(hasInput(pending), 'a reason field while pending');
      assert.equal(rig.fake.requests.length, 0, 'nothing runs before a decision');
      const toAikoBefore = posted(DM).length;

      await send(server.url, pressWithState(pending, 'Approve', KENJI, null));
      await waitUntil(
        () =>
          posted(TECHS, card.ts).some((m) =>
            /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(m.text),
          ),
        'the job output in the card’s thread',
      );
      await waitUntil(
        () => toAiko().some((t) => /I changed the plan/.test(t)),
        'the changed plan told to the employee',
      );

      // The presser alone was answered.
      await waitUntil(() => ephemeralsTo(KENJI).length > 0, 'the answer to the technician');
      assert.deepEqual(ephemeralsTo(KENJI), ['Approved. The job starts on PC-0042 shortly.']);
      assert.equal(rig.api.ephemerals.length, 1);

      // Exactly one job, created once, as requested on the card.
      assert.equal(rig.fake.jobs.size, 1);
      const [job] = [...rig.fake.jobs.values()];
      assert.ok(job);
      assert.equal(rig.fake.creates(job.name), 1, 'exactly one create');
      assert.equal(job.runbook, 'Get-UpdateHealth');
      assert.equal(job.runOn, 'hrw-pc-0042');
      assert.deepEqual(job.parameters, {});

      // The card: one message, updated in place (same ts) as the request moved on, nothing left to press.
      const top = posted(TECHS).filter((m) => m.thread_ts === undefined);
      assert.equal(top.length, 1, 'the card was never posted again');
      const updates = cardUpdates();
      assert.ok(updates.length >= 3, `approved, running and finished (${updates.length} updates)`);
      assert.ok(
        updates.every((u) => u.params.ts === card.ts),
        'every update is of the card itself',
      );
      const queued = updates.find((u) => /\nJob: Queued/.test(String(u.params.text)));
      assert.ok(queued, 'the card showed the queued job once approved');
      assert.match(String(queued.params.text), /Approved by Kenji Sato at /);
      const approved = JSON.parse(String(queued.params.blocks));
      assert.deepEqual(
        buttonsOf({ ...card, blocks: approved }).map((b) => b.text.text),
        ['Stop the job'],
        'while the job is under way it can be stopped',
      );
      const done = posted(TECHS)[0] as PostedMessage;
      assert.match(textOf(done), /Approved by Kenji Sato at/);
      assert.match(textOf(done), /Job: Completed — ok/);
      assert.ok(!hasButtons(done) && !hasInput(done), 'no buttons and no reason field once the job finished');

      // The full output, verbatim, in the card's thread.
      const thread = posted(TECHS, card.ts);
      assert.equal(thread.length, 1);
      assert.match(textOf(thread[0]), /"disabledServices":\["bits"\]/);

      // The employee: approved, running, finished, what diagnostics found, the changed plan — in that order.
      const told = posted(DM).slice(toAikoBefore).map(all);
      const at = (pattern: RegExp) => {
        const i = told.findIndex((t) => pattern.test(t));
        assert.ok(i >= 0, `the employee was told ${pattern}: ${told.join('\n---\n')}`);
        return i;
      };
      const order = [
        at(/Kenji Sato approved it\. It will start on PC-0042 shortly/),
        at(/It is running on PC-0042 now/),
        at(/Diagnostics on PC-0042 are done/),
        at(/Diagnostics found: .*disabled services: bits/),
        at(/I changed the plan/),
      ];
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        'told in the order it happened',
      );
      assert.ok(
        posted(DM).every((m) => m.thread_ts === undefined),
        'everything in the DM itself',
      );
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });

  it('reject with a typed reason: the card shows who and why, the employee is told the reason, nothing runs', async () => {
    const server = await serve();
    try {
      const card = await requestRun(server.url);
      const toAikoBefore = posted(DM).length;
      await send(server.url, pressWithState(snapshot(card), 'Reject', KENJI, 'I will call Aiko first'));
      await waitUntil(() => ephemeralsTo(KENJI).length > 0, 'the answer to the technician');
      await waitUntil(
        () => toAiko().some((t) => /declined the remote run/.test(t)),
        'the employee told of the rejection',
      );
      assert.deepEqual(ephemeralsTo(KENJI), ['Rejected. The requester has been told.']);

      const updates = cardUpdates();
      assert.equal(updates.length, 1, 'the card was updated once');
      assert.equal(updates[0]?.params.ts, card.ts, 'in place');
      assert.equal(posted(TECHS).length, 1, 'and never posted again');
      const decided = posted(TECHS)[0] as PostedMessage;
      assert.match(
        textOf(decided),
        /Rejected by Kenji Sato at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(reason: I will call Aiko first\)/,
      );
      assert.ok(!hasButtons(decided) && !hasInput(decided), 'no buttons, no reason field once decided');

      const told = posted(DM).slice(toAikoBefore).map(all);
      assert.match(
        told[0] ?? '',
        /Rejected\* {2}Kenji Sato declined the remote run\. Reason: I will call Aiko first/,
      );
      await waitUntil(() => /Step 4 of 8/.test(latestCardText(DM)), 'the step card back in the DM');
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    assert.equal(rig.fake.requests.length, 0, 'nothing was sent to Azure');
    assert.equal(rig.fake.jobs.size, 0);
    const decisions = (await audit()).filter((e) => e.action === 'approval.rejected');
    assert.deepEqual(
      decisions.map((e) => [e.actor, e.data.note]),
      [[`slack:${KENJI}`, 'I will call Aiko first']],
      'the rejection and its reason are audited',
    );
  });
});
