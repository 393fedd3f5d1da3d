/**
 * Issue 19 item 2, end to end over HTTP: `winfix serve` with the fake Bot Connector, when the
 * technicians' channel cannot be reached yet (it refuses: the bot is not in the team) or is not
 * configured at all. The employee is told the truth (kept and shown as soon as it can be / nobody
 * reachable, cancelled), it is audited, and a kept request still reaches the technicians later.
 */
import assert from 'node:assert/strict';
import { HEALTH_OUTPUT, TECHS, teamsRemoteRuns } from '../connectors/teams/remote-runs-harness';
import { cardOf, cardText, type TeamsUser } from '../helpers/teams-user';

describe("remote runs through Teams: the employee hears the truth when the technicians' channel cannot be reached", function () {
  this.timeout(60_000);
  const h = teamsRemoteRuns();
  const approvalCards = () =>
    h.channel.sentTo(TECHS).filter((c) => /Remote run requested/.test(cardText(cardOf(c.activity as never))));

  /** Aiko reaches the diagnostics step and asks IT to run it; returns what she was told last. */
  async function ask(aiko: TeamsUser): Promise<string> {
    await aiko.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await aiko.press("Didn't help");
    assert.equal((await aiko.press('Run it for me')).status, 200);
    return aiko
      .sent()
      .slice(-3)
      .map((s) => `${s.activity.text ?? ''}\n${cardText(cardOf(s.activity))}`)
      .join('\n');
  }

  it('the channel refuses (the bot is not in the team yet): kept, the employee is told so, audited; the card appears once the bot is added', async () => {
    h.channel.failure = { status: 403, conversationId: TECHS };
    const server = await h.serve();
    let audit: Awaited<ReturnType<typeof h.audit>>;
    try {
      const { aiko, kenji } = h.people(server.url);
      h.fake.script('*', { output: HEALTH_OUTPUT });
      const told = await ask(aiko);
      assert.match(told, /the technicians' channel can't be reached yet\. Your request is kept/);
      assert.doesNotMatch(told, /If nobody decides within/, 'not the plain "asked a technician" answer');
      assert.equal(approvalCards().length, 0);

      h.channel.failure = null;
      const update = kenji.activity({
        type: 'conversationUpdate',
        membersAdded: [{ id: '28:winfix-bot' }],
        channelData: { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' } },
      });
      delete update.text;
      assert.equal((await kenji.post(update)).status, 200);
      await h.channel.waitFor(() => approvalCards().length > 0, 10_000, 'the kept approval card');
      assert.deepEqual(
        aiko.sent().filter((s) => /If nobody decides within/.test(String(s.activity.text ?? ''))).length,
        0,
        'no second, contradicting answer',
      );
    } finally {
      assert.equal(await server.stop(), 0);
      audit = await h.audit();
    }
    const undelivered = audit.filter((e) => e.action === 'approval.undelivered');
    assert.equal(undelivered.length, 1);
    assert.deepEqual(undelivered[0]?.data, {
      platform: 'teams',
      delivery: 'queued',
      code: 'winfix_teams_technicians_unreachable',
    });
    assert.deepEqual(
      audit.filter((e) => e.action.startsWith('approval.')).map((e) => e.action),
      ['approval.requested', 'approval.undelivered'],
      'still open, waiting for a technician',
    );
  });

  it('no technicians’ channel configured: nobody can be reached, the request is cancelled and the employee told', async () => {
    const server = await h.serve({ WINFIX_TEAMS_TECHNICIAN_CONVERSATION: '' });
    try {
      const { aiko } = h.people(server.url);
      const told = await ask(aiko);
      assert.match(told, /I could not reach any technician, so the request was cancelled/);
      assert.doesNotMatch(told, /asked a technician to approve/);
      assert.equal(h.channel.sentTo(TECHS).length, 0);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const audit = await h.audit();
    const withdrawn = audit.find((e) => e.action === 'approval.withdrawn');
    assert.equal(withdrawn?.data.reason, 'unreachable');
    assert.equal(audit.find((e) => e.action === 'approval.undelivered')?.data.delivery, 'failed');
  });
});
