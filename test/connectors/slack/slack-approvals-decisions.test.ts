/**
 * Remote runs in Slack, over real signed requests and the fake Web API: "Run it for me" on a step card,
 * the approval card in the technicians' channel (posted, updated in place, the job's output in its
 * thread), a technician's press with a typed reason reaching the core, the presser's answer, and the
 * requester told in their conversation. The RemoteRunsPort is RecordingRemote (slack-approvals-remote.ts).
 */
import assert from 'node:assert/strict';
import type { PostedMessage } from '../../helpers/fake-slack-api';
import { buttonsOf } from '../../helpers/slack-requests';
import { pressWithReason, RecordingRemote, TECH_CHANNEL } from './slack-approvals-remote';
import { hasButtons, hasInput, type SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const USER = 'U0000USER1';
const DM = 'D0000DM001';
const TECH = 'U0000TECH1';

describe('Slack connector: remote runs (approval cards, technicians, proactive messages)', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let remote: RecordingRemote;
  let slack: SlackHarness;

  async function start(options: { scopes?: string[]; technicianChannel?: string | null } = {}) {
    remote = new RecordingRemote(suite.knowledge);
    slack = await suite.start({
      scopes: options.scopes ?? [...manifestScopes(), 'users:read.email'],
      users: [
        { id: USER, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US', email: 'aiko@example.com' },
        { id: TECH, name: 'kenji', real_name: 'Kenji Sato', locale: 'en-US', email: 'kenji@example.com' },
      ],
      settings: {
        technicianChannel: options.technicianChannel === undefined ? TECH_CHANNEL : options.technicianChannel,
        technicians: [TECH],
      },
      remote,
    });
    const notifier = slack.connector.notifier;
    assert.ok(notifier, 'the connector exposes its notifier');
    remote.attach(slack.bot, notifier);
  }

  /**
   * The user's conversation to the diagnostics step, then "Run it for me": the approval card. A code the
   * KB does not describe gets the generic Windows Update plan, whose fourth step (check-disk-space) runs
   * Get-UpdateHealth.
   */
  async function requestRun(): Promise<PostedMessage> {
    await slack.dm(USER, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await slack.press(slack.card(DM), "Didn't help", USER);
    const step = slack.card(DM);
    assert.match(textOf(step), /Step 4 of 8/);
    assert.ok(
      buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
      'the step card offers the run',
    );
    await slack.press(step, 'Run it for me', USER);
    assert.equal(remote.requests.length, 1);
    const cards = slack.posted(TECH_CHANNEL);
    assert.equal(cards.length, 1, 'one approval card in the technicians’ channel');
    return cards[0] as PostedMessage;
  }

  it('"Run it for me" posts the approval card; a rejection with a typed reason reaches the core and updates it in place', async () => {
    await start();
    const card = await requestRun();
    const request = remote.requests[0];
    assert.equal(request?.runbook, 'Get-UpdateHealth');
    assert.equal(request?.conversationKey, `slack:T0001:${DM}`);
    assert.equal(request?.requester.email, 'aiko@example.com', 'the e-mail from users.info is passed on');
    assert.equal(card.thread_ts, undefined, 'the card starts its own thread');
    assert.match(textOf(card), /Remote run requested: Get-UpdateHealth on PC-0042/);
    assert.match(textOf(card), /\*PC \(worker group\)\*\nPC-0042 \(hrw-pc-0042\)/);
    assert.ok(hasInput(card), 'the reason field while pending');
    const values = buttonsOf(card).map((b) => JSON.parse(b.value).action);
    assert.deepEqual(values, [
      { verb: 'approve', request: 'req-1', digest: 'digest-of-req-1' },
      { verb: 'reject', request: 'req-1', digest: 'digest-of-req-1' },
    ]);
    assert.equal(
      await slack.references.getCardMessage('slack', 'approval:req-1'),
      `${TECH_CHANNEL}|${card.ts}`,
      'where the card is survives a restart (reference store)',
    );
    // The user was told, and the step card closed.
    const told = slack.posted(DM).at(-1);
    assert.match(textOf(told), /Requested\* {2}I asked a technician to approve running this on PC-0042/);
    const postsToUser = slack.posted(DM).length;

    const result = await slack.send(pressWithReason(card, 'Reject', TECH, 'I will call Aiko first'));
    assert.equal(result.status, 200);
    assert.equal(remote.presses.length, 1);
    const press = remote.presses[0];
    assert.equal(press?.action.verb, 'reject');
    assert.deepEqual(press?.fields, { reason: 'I will call Aiko first' });
    assert.equal(press?.user.id, TECH);
    assert.equal(press?.user.name, 'Kenji Sato');
    assert.equal(press?.user.email, 'kenji@example.com');

    const updates = slack.api.of('chat.update').filter((c) => c.params.channel === TECH_CHANNEL);
    assert.equal(updates.length, 1, 'the card was updated, not posted again');
    assert.equal(updates[0]?.params.ts, card.ts);
    assert.equal(slack.posted(TECH_CHANNEL).length, 1);
    const updated = slack.posted(TECH_CHANNEL)[0];
    assert.ok(!hasButtons(updated) && !hasInput(updated), 'no buttons, no reason field once decided');
    assert.match(
      textOf(updated),
      /Rejected by Kenji Sato at 2026-03-02 09:05 UTC \(reason: I will call Aiko first\)/,
    );

    assert.equal(slack.api.ephemerals.length, 1, 'the presser’s answer, to the presser only');
    const ephemeral = slack.api.ephemerals[0]?.params ?? {};
    assert.deepEqual(
      [ephemeral.channel, ephemeral.user, ephemeral.thread_ts],
      [TECH_CHANNEL, TECH, undefined],
    );
    assert.equal(ephemeral.text, 'Rejected. The requester has been told.');

    const toUser = slack.posted(DM).slice(postsToUser);
    assert.match(
      textOf(toUser[0]),
      /Rejected\* {2}Kenji Sato declined the remote run\. Reason: I will call Aiko first/,
    );
    const again = slack.card(DM);
    assert.match(textOf(again), /Step 4 of 8/, 'the step card is back, in the user’s DM');
    assert.ok(toUser.every((m) => m.thread_ts === undefined));
    assert.equal(
      (await slack.state(`T0001:${DM}`))?.remote,
      null,
      'the proactive turn moved the user’s conversation',
    );
  });

  it('an approval: the card shows the job with Stop, the output goes to its thread, the user hears each stage', async () => {
    await start();
    const card = await requestRun();
    await slack.send(pressWithReason(card, 'Approve', TECH, null));
    assert.equal(remote.presses[0]?.fields, undefined, 'nothing typed, no fields');
    let shown = slack.posted(TECH_CHANNEL)[0];
    assert.match(textOf(shown), /Approved by Kenji Sato/);
    assert.match(textOf(shown), /Job: Queued/);
    assert.ok(!hasInput(shown));
    assert.deepEqual(
      buttonsOf(shown as PostedMessage).map((b) => JSON.parse(b.value).action),
      [{ verb: 'stop-job', request: 'req-1' }],
    );
    assert.match(textOf(slack.posted(DM).at(-1)), /Kenji Sato approved it\. It will start on PC-0042/);

    // Stop: the core answers the presser; the card stays as it is.
    await slack.press(shown as PostedMessage, 'Stop the job', TECH);
    assert.equal(remote.presses.at(-1)?.action.verb, 'stop-job');
    assert.equal(slack.api.ephemerals.at(-1)?.params.text, 'Asked Azure Automation to stop the job.');

    // The job ends (as the poller would report it, outside any Slack request).
    const output = 'Events: 3\nLast error: 0x80070002 <KB5034441> & more';
    await remote.finish('req-1', output);
    await slack.connector.idle();
    shown = slack.posted(TECH_CHANNEL)[0];
    assert.ok(!hasButtons(shown), 'a finished job has no Stop');
    assert.match(textOf(shown), /Job: Completed — ok/);
    const thread = slack.posted(TECH_CHANNEL, card.ts);
    assert.equal(thread.length, 1, 'the output as a reply in the card’s thread');
    assert.match(textOf(thread[0]), /Result of Get-UpdateHealth \(Completed\):/);
    assert.match(textOf(thread[0]), /Last error: 0x80070002 <KB5034441> & more/, 'verbatim');
    assert.equal(slack.api.of('chat.update').filter((c) => c.params.ts === card.ts).length, 2);
    const last = slack.posted(DM).slice(-4).map(textOf);
    // A diagnostics run whose result carries no facts: said so, and the step is left to the user.
    assert.match(
      last[1] ?? '',
      /^:white_check_mark: \*Finished\* {2}The diagnostics ran on PC-0042 but reported nothing I can use/,
    );
    assert.match(last[2] ?? '', /follow the steps on the card yourself/);
    assert.match(last[3] ?? '', /^Step 4 of 8/, 'the step card again, to report how the retry went');
    assert.deepEqual(slack.logger.at('error'), []);
  });

  it('a press from someone the core refuses is answered to them alone, and changes no card', async () => {
    await start();
    const card = await requestRun();
    const forged = structuredClone(card);
    for (const block of forged.blocks)
      if (block.type === 'actions')
        for (const button of block.elements as { value: string }[])
          button.value = button.value.replace('digest-of-req-1', 'forged');
    await slack.send(pressWithReason(forged, 'Approve', TECH, null));
    assert.equal(slack.api.of('chat.update').filter((c) => c.params.channel === TECH_CHANNEL).length, 0);
    assert.equal(slack.api.ephemerals.at(-1)?.params.text, 'Refused: this card does not match.');
    assert.equal(slack.api.ephemerals.at(-1)?.params.user, TECH);
  });

  it('without users:read.email the e-mail is simply absent', async () => {
    await start({ scopes: manifestScopes() });
    const card = await requestRun();
    assert.equal(remote.requests[0]?.requester.email, undefined);
    await slack.send(pressWithReason(card, 'Reject', TECH, 'no'));
    assert.equal(remote.presses[0]?.user.email, undefined);
    assert.equal(remote.presses[0]?.user.name, 'Kenji Sato');
  });

  it('without a technicians’ channel the request is reported once and waits; the user is still answered', async () => {
    await start({ technicianChannel: null });
    await slack.dm(USER, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await slack.press(slack.card(DM), "Didn't help", USER);
    await slack.press(slack.card(DM), 'Run it for me', USER);
    assert.equal(remote.requests.length, 1);
    const errors = slack.logger.at('error');
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /req-1 not posted: SLACK_TECHNICIAN_CHANNEL is not set.*expires/);
    const record = remote.records.get('req-1');
    assert.ok(record);
    const notifier = slack.connector.notifier;
    assert.ok(notifier);
    await notifier.postApproval('slack', remote.card(record));
    await notifier.updateApproval('slack', remote.card({ ...record, status: 'expired' }));
    assert.equal(slack.logger.at('error').length, 1, 'once per request');
    assert.ok(slack.api.messages.every((m) => m.channel === DM));
    assert.match(textOf(slack.posted(DM).at(-1)), /asked a technician to approve/);
  });
});
