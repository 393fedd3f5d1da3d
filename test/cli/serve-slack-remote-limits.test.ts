/**
 * Remote runs through `winfix serve` with Slack in HTTP mode, and their limits: the hourly limit on
 * requests (WINFIX_RATE_RUNS_PER_HOUR), presses by a non-technician or the requester refused to them
 * alone, and a technician who cannot decide their own request. The rig is serve-slack-remote-rig.ts.
 */
import assert from 'node:assert/strict';
import { hasButtons } from '../connectors/slack/slack-harness';
import type { PostedMessage } from '../helpers/fake-slack-api';
import { buttonsOf } from '../helpers/slack-requests';
import {
  AIKO,
  DM,
  HEALTH_OUTPUT,
  KENJI,
  MALLORY,
  pressWithState,
  problemsIn,
  slackRemoteRig,
  snapshot,
  TECHS,
  waitUntil,
} from './serve-slack-remote-rig';

describe('winfix serve: remote runs through Slack over HTTP, who may ask and decide', function () {
  this.timeout(60_000);
  const rig = slackRemoteRig();
  const {
    serve,
    posted,
    ephemeralsTo,
    latestCard,
    latestCardText,
    send,
    press,
    requestRun,
    cardUpdates,
    audit,
  } = rig;

  it('WINFIX_RATE_RUNS_PER_HOUR: a request over the hourly limit is answered in the DM and reaches neither the technicians nor Azure', async () => {
    const server = await serve({ WINFIX_RATE_RUNS_PER_HOUR: '1' });
    try {
      const card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Reject', KENJI, 'not now'));
      await waitUntil(() => /Step 4 of 8/.test(latestCardText(DM)), 'the step card back in the DM');
      const step = latestCard(DM);
      assert.ok(
        step && buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
        'the run is offered again',
      );
      await press(server.url, step, 'Run it for me', AIKO);
      // A text answer to a press is shown to the presser alone (an ephemeral message in the DM).
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the employee told of the hourly limit');
      assert.match(
        ephemeralsTo(AIKO).join('\n'),
        /^You have asked for 1 remote runs within the last hour, which is the most allowed\. Please ask again in \d+ minutes, or follow the steps on the card yourself\.$/,
      );
      assert.equal(
        posted(TECHS).filter((m) => m.thread_ts === undefined).length,
        1,
        'no second approval card',
      );
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(rig.fake.requests.length, 0, 'nothing was sent to Azure');
    const requests = (await audit()).filter((e) => e.action === 'approval.requested');
    assert.equal(requests.length, 1, 'one request audited');
  });

  it('presses by a non-technician and by the requester are refused to them alone; the card and Azure are untouched until a technician decides', async () => {
    const server = await serve();
    try {
      rig.fake.script('*', { statuses: ['New', 'Running', 'Completed'], output: HEALTH_OUTPUT });
      const card = await requestRun(server.url);
      const pending = snapshot(card);
      const toAikoBefore = posted(DM).length;

      await send(server.url, pressWithState(pending, 'Approve', MALLORY, null));
      await waitUntil(() => ephemeralsTo(MALLORY).length > 0, 'the answer to the non-technician');
      await send(server.url, pressWithState(pending, 'Reject', AIKO, 'never mind'));
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the answer to the requester');
      const only = 'Only technicians can approve or reject remote runs.';
      assert.deepEqual(ephemeralsTo(MALLORY), [only]);
      assert.deepEqual(ephemeralsTo(AIKO), [only]);
      assert.ok(
        rig.api.ephemerals.every((e) => e.params.channel === TECHS),
        'answered in the technicians’ channel',
      );
      assert.equal(cardUpdates().length, 0, 'the card did not change');
      assert.deepEqual(
        buttonsOf(posted(TECHS)[0] as PostedMessage).map((b) => b.text.text),
        ['Approve', 'Reject'],
      );
      assert.equal(posted(DM).length, toAikoBefore, 'the employee was told nothing');
      assert.equal(rig.fake.requests.length, 0, 'nothing was sent to Azure');

      // The request is still open: a technician's press decides it, and the job runs once.
      await send(server.url, pressWithState(pending, 'Approve', KENJI, null));
      await waitUntil(
        () => posted(TECHS, card.ts).some((m) => /\(Completed\)/.test(m.text)),
        'the job output in the card’s thread',
      );
      assert.equal(rig.fake.jobs.size, 1);
      assert.equal(rig.fake.creates([...rig.fake.jobs.keys()][0] ?? ''), 1);
      assert.deepEqual(ephemeralsTo(KENJI), ['Approved. The job starts on PC-0042 shortly.']);
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
    const refusals = (await audit()).filter((e) => e.action === 'approval.refused');
    assert.deepEqual(
      refusals.map((e) => [e.actor, e.data.reason]),
      [
        [`slack:${MALLORY}`, 'not-technician'],
        [`slack:${AIKO}`, 'not-technician'],
      ],
    );
  });

  it('a technician cannot decide their own request', async () => {
    const server = await serve({ SLACK_TECHNICIANS: `${KENJI},${AIKO}` });
    try {
      const card = await requestRun(server.url);
      await send(server.url, pressWithState(snapshot(card), 'Approve', AIKO, null));
      await waitUntil(() => ephemeralsTo(AIKO).length > 0, 'the answer to the requester');
      assert.deepEqual(ephemeralsTo(AIKO), [
        'You cannot decide your own request; another technician has to.',
      ]);
      assert.equal(cardUpdates().length, 0, 'the card did not change');
      assert.ok(hasButtons(posted(TECHS)[0]));
      assert.equal(rig.fake.requests.length, 0, 'nothing was sent to Azure');
    } finally {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(problemsIn(server.log), [], 'no errors or warnings logged');
    }
  });
});
