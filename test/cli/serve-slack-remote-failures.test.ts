/**
 * Remote runs through `winfix serve` with Slack in HTTP mode when something fails: the server stopping
 * while the job runs (after a restart the same card is updated, and one job exists), and the employee's
 * DM refusing messages (the technicians read them in the card's thread, and it is audited). The rig is
 * serve-slack-remote-rig.ts.
 */
import assert from 'node:assert/strict';
import { hasButtons, textOf } from '../connectors/slack/slack-harness';
import type { PostedMessage } from '../helpers/fake-slack-api';
import {
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

describe('winfix serve: remote runs through Slack over HTTP, when something fails', function () {
  this.timeout(60_000);
  const rig = slackRemoteRig();
  const { serve, posted, toAiko, send, requestRun, cardUpdates, audit } = rig;

  it('the server stops while the job runs: after a restart the same card is updated and exactly one job exists', async () => {
    let server = await serve();
    let card: PostedMessage;
    try {
      // The job runs until told otherwise (the last status sticks).
      rig.fake.script('*', { statuses: ['New', 'Running'], output: HEALTH_OUTPUT });
      card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Approve', KENJI, null));
      await waitUntil(
        () => toAiko().some((t) => /It is running on PC-0042 now/.test(t)),
        'the employee told the job runs',
      );
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    assert.equal(posted(TECHS, card.ts).length, 0, 'no output before the restart');
    const beforeRestart = cardUpdates().length;
    server = await serve();
    try {
      const [jobName] = [...rig.fake.jobs.keys()];
      assert.ok(jobName);
      rig.fake.script(jobName, { statuses: ['Running', 'Completed'], output: HEALTH_OUTPUT });
      await waitUntil(
        () => posted(TECHS, card.ts).some((m) => /\(Completed\)/.test(m.text)),
        'the job output in the card’s thread after the restart',
      );
      await waitUntil(
        () => toAiko().some((t) => /Diagnostics on PC-0042 are done/.test(t)),
        'the employee told after the restart',
      );
      assert.equal(rig.fake.jobs.size, 1);
      assert.equal(rig.fake.creates(jobName), 1, 'exactly one create');
      const after = cardUpdates().slice(beforeRestart);
      assert.ok(after.length >= 1, 'the card was updated after the restart');
      assert.ok(
        after.every((u) => u.params.ts === card.ts),
        'the card’s place came back from storage',
      );
      assert.equal(posted(TECHS).filter((m) => m.thread_ts === undefined).length, 1);
      const done = posted(TECHS)[0] as PostedMessage;
      assert.match(textOf(done), /Approved by Kenji Sato at .*\n.*Job: Completed — ok/s);
      assert.ok(!hasButtons(done));
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });
  for (const error of ['not_in_channel', 'channel_not_found'] as const) {
    it(`the employee's DM refusing messages (${error}): the technicians read them in the card's thread, and it is audited`, async function () {
      this.timeout(60_000);
      const server = await serve();
      try {
        rig.fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
        const card = await requestRun(server.url);
        const toAikoBefore = posted(DM).length;
        // The DM is gone, or the bot may no longer post in it.
        if (error === 'not_in_channel') rig.api.notInChannels.add(DM);
        else rig.api.missingChannels.add(DM);
        await send(server.url, pressWithState(snapshot(card), 'Approve', KENJI, null));
        const notices = () =>
          posted(TECHS, card.ts)
            .map((m) => m.text)
            .filter((t) => /Aiko Tanaka could not be told in their chat/.test(t));
        await waitUntil(
          () => notices().some((t) => /Diagnostics on PC-0042/.test(t)),
          "the result she could not receive, in the card's thread",
          30_000,
        );
        assert.ok(
          notices().some((t) => /Kenji Sato approved it/.test(t)),
          notices().join(' | '),
        );
        for (const notice of notices()) assert.match(notice, new RegExp(error));
        assert.equal(posted(DM).length, toAikoBefore, 'nothing was posted to the DM');
      } finally {
        await server.stop();
      }
      const failed = (await audit()).filter((e) => e.action === 'notify.failed');
      assert.deepEqual(
        failed.map((e) => [e.actor, e.data.platform, e.data.stage, e.data.code]),
        [
          ['system', 'slack', 'approved', 'winfix_slack_delivery'],
          ['system', 'slack', 'started', 'winfix_slack_delivery'],
          ['system', 'slack', 'finished', 'winfix_slack_delivery'],
        ],
      );
      for (const entry of failed) assert.match(String(entry.data.detail), new RegExp(error));
    });
  }
});
