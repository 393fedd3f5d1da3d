/**
 * The approval card's user-specific views in Teams (Universal Actions `refresh`), through `winfix serve`
 * (fake Bot Connector channel, fake ARM, PGlite): the card posted to the technicians' channel has
 * nothing to press and a refresh naming the technicians' Teams user ids; each technician's client
 * refreshes it (an `adaptiveCard/action` invoke, trigger "automatic") to their own view with Approve /
 * Reject while the request is open; anyone else sees the status. A press is answered in place with the
 * presser's view of the decided card; a second press is refused and starts nothing; a client without
 * Universal Actions sees the status and its Action.Submit still works.
 */
import assert from 'node:assert/strict';
import { cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import { HEALTH_OUTPUT, KENJI_AAD, TECHS, teamsRemoteRuns, YUKI_AAD } from './remote-runs-harness';

const APPROVED = 'Approved. The job starts on PC-0042 shortly.';
const HINT = /Technicians decide in their own view of this card\. No buttons\? Choose Refresh/;

type Json = Record<string, unknown>;
type Refresh = { action: { type: string; verb: string; data: Json }; userIds?: string[] };

const titles = (card: unknown) => submitActions(card).map((a) => a.title);

describe('remote runs through Teams: the approval card refreshes per technician (winfix serve, PGlite, fake ARM)', () => {
  const h = teamsRemoteRuns();
  const resultPosted = () => h.said(TECHS).some((t) => /^Result of Get-UpdateHealth on PC-0042 \(/.test(t));
  /** Kenji (Entra object id, learnt when he writes) and Yuki (configured by her Teams user id). */
  const serveTwo = () => h.serve({ WINFIX_TEAMS_TECHNICIANS: `${KENJI_AAD},29:yuki` });
  const approveOf = (card: unknown) => {
    const button = submitActions(card).find((a) => a.title === 'Approve');
    assert.ok(button, 'an Approve button');
    return button;
  };

  it('the card for everyone has no buttons; technicians get theirs by refresh, anyone else the status only', async () => {
    const server = await serveTwo();
    try {
      const { aiko, kenji, yuki, mallory } = h.people(server.url);
      await kenji.say('hello');
      await h.askForDiagnostics(aiko);
      const { id, card } = h.currentApproval();
      const requestId = /approval-(.+)$/.exec(
        String((card?.refresh as Refresh | undefined)?.action.data.cardId),
      )?.[1];

      assert.deepEqual(titles(card), [], 'nothing to press on the card everyone sees');
      assert.doesNotMatch(JSON.stringify(card), /Input\.Text/, 'no reason field on it either');
      assert.match(cardText(card), HINT);
      const refresh = card?.refresh as Refresh;
      assert.equal(refresh.action.type, 'Action.Execute');
      assert.deepEqual(refresh.action.data, {
        winfix: 1,
        cardId: `approval-${requestId}`,
        action: { verb: 'view-approval', request: requestId },
      });
      assert.deepEqual(refresh.userIds, ['29:yuki', '29:kenji'], "the technicians' Teams user ids");

      const callsBefore = h.channel.calls.length;
      for (const tech of [kenji, yuki]) {
        const [answer, ...more] = await tech.look();
        assert.equal(more.length, 0, 'one refresh');
        assert.equal(answer?.statusCode, 200);
        const view = h.approvalSeenBy(tech);
        assert.deepEqual(titles(view), ['Approve', 'Reject'], `${tech.userId} sees the buttons`);
        assert.match(JSON.stringify(view), /"id":"reason"/, 'and the reason field');
        assert.doesNotMatch(cardText(view), HINT);
        assert.ok(view?.refresh, 'their view refreshes again when shown');
      }
      // Mallory is not listed: her client does not refresh, she sees the card for everyone.
      assert.deepEqual(await mallory.look(), []);
      assert.deepEqual(titles(h.approvalSeenBy(mallory)), []);
      // Refresh from the message menu: her own view is the status, with no refresh that could give buttons.
      const manual = await mallory.refreshCard(id);
      const hers = manual.invoke.value as Json;
      assert.match(cardText(hers), /Requested by: Aiko Tanaka/);
      assert.deepEqual(titles(hers), []);
      assert.equal(hers.refresh, undefined);
      assert.equal(h.channel.calls.length, callsBefore, 'views come in invoke answers: no channel call');

      // A press she forges from Kenji's button is refused, audited, and runs nothing.
      const approve = approveOf(h.approvalSeenBy(kenji));
      const forged = await mallory.execute(id, approve.verb ?? '', approve.data);
      assert.deepEqual(h.toPresser(forged), ['Only technicians can approve or reject remote runs.']);
      assert.deepEqual(titles(forged.invoke.value), []);
      assert.deepEqual(h.channel.updatesOf(id), [], 'the card did not change');
      assert.deepEqual(h.fake.requests, [], 'nothing was sent to Azure');
    } finally {
      await h.stopCleanly(server);
    }
    const refused = (await h.audit()).filter((e) => e.action === 'approval.refused');
    assert.deepEqual(
      refused.map((e) => [e.actor, e.data.reason]),
      [['teams:29:mallory', 'not-technician']],
    );
  });

  it('Approve is answered in place with the decided card; the others see it on their next refresh; a second Approve is refused and starts no job', async () => {
    const server = await serveTwo();
    try {
      const { aiko, kenji, yuki } = h.people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      await yuki.look();
      const yukisApprove = approveOf(h.approvalSeenBy(yuki));

      const press = await kenji.press('Approve');
      assert.equal(press.invoke?.type, 'application/vnd.microsoft.card.adaptive', 'answered with a card');
      assert.deepEqual(h.toPresser(press), [APPROVED]);
      assert.match(
        cardText(press.invoke?.value),
        /Approved by Kenji Sato at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/,
      );
      assert.ok(!titles(press.invoke?.value).includes('Approve'), 'nothing left to approve in his view');
      assert.deepEqual(h.repliesTo(press.incomingId), [], 'no message posted for the press');
      assert.ok(h.channel.updatesOf(id).length >= 1, 'the card for everyone was redrawn in place (PUT)');

      // The update makes Yuki's client show the card again (refreshed where it still refreshes).
      await yuki.look();
      const yukis = h.approvalSeenBy(yuki);
      assert.match(cardText(yukis), /Approved by Kenji Sato at/);
      assert.ok(!titles(yukis).some((t) => t === 'Approve' || t === 'Reject'), 'no Approve or Reject');
      assert.match(cardText(h.currentApproval().card), /Approved by Kenji Sato at/);

      // Her old Approve sent again (a stale view, or forged): refused by the stored decision.
      const again = await yuki.execute(id, yukisApprove.verb ?? '', yukisApprove.data);
      assert.match(
        h.toPresser(again)[0] ?? '',
        /^That request was already decided \(Approved by Kenji Sato at [\d-]+ [\d:]+ UTC\)\.$/,
      );
      assert.ok(!titles(again.invoke.value).includes('Approve'));

      await h.channel.waitFor(resultPosted, 10_000, 'the job output in the technicians channel');
      assert.equal(h.fake.jobs.size, 1, 'one job');
      assert.equal(h.fake.creates([...h.fake.jobs.keys()][0] ?? ''), 1, 'created once');
      await h.channel.waitFor(
        () => /Job: Completed/.test(cardText(h.currentApproval().card)),
        10_000,
        'the finished job on the card',
      );
      // Finished: nothing to press, so the card no longer refreshes; everyone sees the same card.
      const done = h.currentApproval().card;
      assert.equal(done?.refresh, undefined);
      assert.deepEqual(await kenji.look(), []);
      assert.deepEqual(titles(h.approvalSeenBy(kenji)), []);
    } finally {
      await h.stopCleanly(server);
    }
    const audit = await h.audit();
    assert.equal(audit.filter((e) => e.action === 'approval.approved').length, 1, 'one decision');
    assert.deepEqual(
      audit.filter((e) => e.action === 'approval.refused').map((e) => [e.actor, e.data.reason]),
      [['teams:29:yuki', 'already-decided']],
    );
  });

  it('a client without Universal Actions sees the status and where the buttons are; its Action.Submit still decides, once', async () => {
    const server = await serveTwo();
    try {
      const { aiko, kenji, kenjiOldClient } = h.people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      assert.deepEqual(await kenjiOldClient.look(), [], 'an older client never refreshes');
      assert.deepEqual(titles(h.approvalSeenBy(kenjiOldClient)), []);
      assert.match(cardText(h.approvalSeenBy(kenjiOldClient)), HINT);

      // The Action.Submit a button's fallback carries (the same data), sent as an older client does.
      await kenji.look();
      const data = approveOf(h.approvalSeenBy(kenji)).data;
      const first = await kenjiOldClient.submit(id, data);
      assert.deepEqual(h.repliesTo(first.incomingId), [APPROVED]);
      const second = await kenjiOldClient.submit(id, data);
      assert.match(h.repliesTo(second.incomingId)[0] ?? '', /^That request was already decided/);
      assert.match(cardText(h.currentApproval().card), /Approved by Kenji Sato at/);
      await h.channel.waitFor(resultPosted, 10_000, 'the job output in the technicians channel');
      assert.equal(h.fake.jobs.size, 1, 'one job');
    } finally {
      await h.stopCleanly(server);
    }
  });

  it("no technician's Teams user id known: the refresh lists nobody (Teams refreshes for everyone in a small channel)", async () => {
    const server = await h.serve();
    try {
      const { aiko, kenji, mallory } = h.people(server.url);
      await h.askForDiagnostics(aiko);
      const refresh = h.currentApproval().card?.refresh as Refresh;
      assert.equal(refresh.userIds, undefined);
      for (const [user, buttons] of [
        [mallory, []],
        [kenji, ['Approve', 'Reject']],
      ] as [TeamsUser, string[]][]) {
        assert.equal((await user.look()).length, 1);
        assert.deepEqual(titles(h.approvalSeenBy(user)), buttons);
      }
    } finally {
      await h.stopCleanly(server);
    }
  });

  it("technicians nobody has heard from yet are found in the channel's roster, by Entra id and by e-mail; one not there is not asked again at once", async () => {
    h.channel.roster.set(TECHS, [
      { id: '29:kenji', name: 'Kenji Sato', aadObjectId: KENJI_AAD, email: 'kenji@contoso.example' },
      { id: '29:yuki', name: 'Yuki Mori', aadObjectId: YUKI_AAD, email: 'Yuki@Contoso.example' },
    ]);
    const server = await h.serve({
      WINFIX_TEAMS_TECHNICIANS: `${KENJI_AAD},yuki@contoso.example,nobody@contoso.example`,
    });
    try {
      const { aiko, kenji } = h.people(server.url);
      await h.askForDiagnostics(aiko);
      const refresh = h.currentApproval().card?.refresh as Refresh;
      assert.deepEqual(refresh.userIds, ['29:kenji', '29:yuki'], 'both found before either wrote');
      // Kenji's client refreshes by itself (he is listed); drawing his view asks nobody's roster again.
      assert.equal((await kenji.look()).length, 1);
      assert.deepEqual(titles(h.approvalSeenBy(kenji)), ['Approve', 'Reject']);
      const asked = (who: string) => h.channel.memberLookups.filter((l) => l === `${TECHS} ${who}`).length;
      assert.equal(asked(KENJI_AAD), 1, 'a member found is kept, not asked again');
      assert.equal(asked('yuki@contoso.example'), 1);
      assert.equal(
        asked('nobody@contoso.example'),
        1,
        'one not in the roster: asked once, not again at once',
      );
    } finally {
      await h.stopCleanly(server);
    }
  });

  it("a technician's Teams user id learnt from one message is kept in the database: listed after a restart", async () => {
    let server = await h.serve();
    try {
      await h.people(server.url).kenji.say('hello');
    } finally {
      await h.stopCleanly(server);
    }
    server = await h.serve();
    try {
      const { aiko } = h.people(server.url);
      await h.askForDiagnostics(aiko);
      assert.deepEqual((h.currentApproval().card?.refresh as Refresh | undefined)?.userIds, ['29:kenji']);
    } finally {
      await h.stopCleanly(server);
    }
  });
});
