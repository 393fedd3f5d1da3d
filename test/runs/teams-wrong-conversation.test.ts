/**
 * Issue 14 item 5, Teams over HTTP (`winfix serve`, fake Bot Connector): Approve counts only when
 * pressed in WINFIX_TEAMS_TECHNICIAN_CONVERSATION. The approval card's exact payload submitted from a
 * technician's personal chat with the bot is refused with a clear answer, audited
 * `wrong-conversation` (with the technician's Entra object id), and decides nothing; in the channel it
 * approves.
 */
import assert from 'node:assert/strict';
import { HEALTH_OUTPUT, KENJI_AAD, teamsRemoteRuns } from '../connectors/teams/remote-runs-harness';
import { submitActions, TeamsUser } from '../helpers/teams-user';

describe("remote runs through Teams: Approve counts only in the technicians' channel", function () {
  this.timeout(60_000);
  const h = teamsRemoteRuns();

  it("the card's Approve submitted from Kenji's personal chat is refused and audited; in the channel it approves", async () => {
    const server = await h.serve();
    try {
      const { aiko, kenji } = h.people(server.url);
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      // The Approve of Kenji's own view of the card (the card everyone sees has none).
      await kenji.look();
      const approve = submitActions(h.approvalSeenBy(kenji)).find((a) => a.title === 'Approve')?.data;
      assert.ok(approve, "Kenji's view has an Approve button");

      const kenjiAlone = new TeamsUser(h.channel, server.url, 'a:kenji-personal', {
        userId: '29:kenji',
        name: 'Kenji Sato',
        aadObjectId: KENJI_AAD,
        authorization: h.authorization(),
      });
      const elsewhere = await kenjiAlone.submit(id, approve);
      assert.equal(elsewhere.status, 200);
      assert.match(h.repliesTo(elsewhere.incomingId).join('\n'), /count only in the technicians' channel/);
      assert.deepEqual(h.channel.updatesOf(id), [], 'the card did not change');
      assert.deepEqual(h.fake.requests, [], 'nothing was sent to Azure');

      const inChannel = await kenji.submit(id, approve);
      assert.match(h.repliesTo(inChannel.incomingId).join('\n'), /^Approved\./);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const audit = await h.audit();
    const refused = audit.filter((e) => e.action === 'approval.refused');
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.data.reason, 'wrong-conversation');
    assert.equal(refused[0]?.data.conversationId, 'a:kenji-personal');
    assert.equal(
      (refused[0]?.data.technician as { directoryId?: string } | undefined)?.directoryId,
      KENJI_AAD,
    );
    const approved = audit.find((e) => e.action === 'approval.approved');
    assert.equal((approved?.data.technician as { directoryId?: string } | undefined)?.directoryId, KENJI_AAD);
  });
});
