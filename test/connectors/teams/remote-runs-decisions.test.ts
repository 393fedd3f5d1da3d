/**
 * Deciding remote runs over HTTP through `winfix serve` and the Teams connector (fake Bot Connector
 * channel, fake ARM, PGlite): a rejection with the reason typed into the approval card, the requester
 * refused even when she is a technician, forged presses refused and audited, and two technicians
 * pressing Approve at the same moment. The job's side is in remote-runs.test.ts.
 */
import assert from 'node:assert/strict';
import { cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import {
  AIKO_AAD,
  AIKO_CHAT,
  HEALTH_OUTPUT,
  KENJI_AAD,
  TECHS,
  teamsRemoteRuns,
  YUKI_AAD,
} from './remote-runs-harness';

const APPROVED = 'Approved. The job starts on PC-0042 shortly.';
const FORGED = 'Refused: this card does not match the stored request (recorded in the audit log).';

describe('remote runs through Teams over HTTP: decisions (winfix serve, PGlite, fake ARM)', () => {
  const h = teamsRemoteRuns();
  const toAiko = () => h.said(AIKO_CHAT);
  const resultPosted = () => h.said(TECHS).some((t) => /^Result of Get-UpdateHealth on PC-0042 \(/.test(t));
  /** The Approve button's data on a technician's own view of the card: what Teams hands back when pressed. */
  const approveData = async (tech: TeamsUser) => {
    await tech.look();
    const card = h.approvalSeenBy(tech);
    const data = submitActions(card).find((a) => a.title === 'Approve')?.data as
      | { winfix: 1; cardId: string; action: { verb: string; request: string; digest: string } }
      | undefined;
    assert.ok(data, 'the card has an Approve button');
    return data;
  };

  it('reject with a typed reason: the card shows who and why in place, the employee is told the reason, nothing runs', async () => {
    const server = await h.serve();
    try {
      const { aiko, kenji } = h.people(server.url);
      await kenji.say('hello');
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      const toldBefore = toAiko().length;

      const press = await kenji.press('Reject', { reason: 'I will call Aiko first' });
      assert.equal(press.status, 200);
      assert.deepEqual(h.toPresser(press), ['Rejected. The requester has been told.']);
      assert.deepEqual(h.repliesTo(press.incomingId), [], 'told in place, nothing posted to the channel');
      await h.channel.waitFor(
        () => toAiko().length > toldBefore,
        10_000,
        'the employee told of the rejection',
      );

      assert.equal(h.channel.updatesOf(id).length, 1, 'the card was updated once, in place');
      const decided = h.currentApproval();
      assert.equal(decided.id, id);
      assert.match(
        cardText(decided.card),
        /Rejected by Kenji Sato at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(reason: I will call Aiko first\)/,
      );
      assert.deepEqual(submitActions(decided.card), [], 'nothing left to press');
      assert.doesNotMatch(JSON.stringify(decided.card), /Input\.Text/, 'no reason field once decided');

      const told = toAiko().slice(toldBefore);
      assert.match(told[0] ?? '', /Kenji Sato declined the remote run\. Reason: I will call Aiko first/);
    } finally {
      await h.stopCleanly(server);
    }
    assert.deepEqual(h.fake.requests, [], 'nothing was sent to Azure');
    const rejected = (await h.audit()).filter((e) => e.action === 'approval.rejected');
    assert.deepEqual(
      rejected.map((e) => [e.actor, e.data.note]),
      [['teams:29:kenji', 'I will call Aiko first']],
      'the rejection and its reason are audited',
    );
  });

  it('the requester cannot decide her own request even when she is a technician: refused, card unchanged, nothing runs', async () => {
    const server = await h.serve({ WINFIX_TEAMS_TECHNICIANS: `${KENJI_AAD},${AIKO_AAD}` });
    try {
      const { aiko, aikoAtTechs, kenji } = h.people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      const toldBefore = toAiko().length;

      const own = 'You cannot decide your own request; another technician has to.';
      // Her own view of the card has nothing to press ...
      await aikoAtTechs.look();
      assert.match(cardText(h.approvalSeenBy(aikoAtTechs)), /Requested by: Aiko Tanaka/);
      assert.deepEqual(submitActions(h.approvalSeenBy(aikoAtTechs)), [], 'no buttons on her own request');
      // ... and a press sent anyway (Kenji's button's data) is refused.
      const data = await approveData(kenji);
      const approve = await aikoAtTechs.execute(id, 'winfix', data);
      assert.deepEqual(h.toPresser(approve), [own]);
      const reject = await aikoAtTechs.execute(id, 'winfix', {
        ...data,
        action: { ...data.action, verb: 'reject' },
        reason: 'never mind',
      });
      assert.deepEqual(h.toPresser(reject), [own]);
      assert.deepEqual(submitActions(reject.invoke.value), [], 'her view still has nothing to press');

      assert.deepEqual(h.channel.updatesOf(id), [], 'the card did not change');
      assert.deepEqual(
        submitActions(h.approvalSeenBy(kenji)).map((a) => a.title),
        ['Approve', 'Reject'],
      );
      assert.equal(toAiko().length, toldBefore, 'the employee was told nothing');
      assert.deepEqual(h.fake.requests, [], 'nothing was sent to Azure');

      // Still open: another technician decides it.
      const kenjis = await kenji.press('Approve');
      assert.deepEqual(h.toPresser(kenjis), [APPROVED]);
      await h.channel.waitFor(resultPosted, 10_000, 'the job output in the technicians channel');
      assert.match(cardText(h.currentApproval().card), /Approved by Kenji Sato at/);
    } finally {
      await h.stopCleanly(server);
    }
    const audit = await h.audit();
    assert.deepEqual(
      audit.filter((e) => e.action === 'approval.refused').map((e) => [e.actor, e.data.reason]),
      [
        ['teams:29:aiko', 'requester'],
        ['teams:29:aiko', 'requester'],
      ],
    );
    assert.deepEqual(
      audit.filter((e) => /^approval\.(approved|rejected)$/.test(e.action)).map((e) => e.actor),
      ['teams:29:kenji'],
    );
  });

  it('a forged press (another runbook, another digest) is refused and audited; what runs comes from the stored request', async () => {
    const server = await h.serve();
    let requestId = '';
    try {
      const { aiko, kenji } = h.people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      const { id } = h.currentApproval();
      const data = await approveData(kenji);
      requestId = data.action.request;
      const toldBefore = toAiko().length;

      const withRunbook = await kenji.submit(id, {
        ...data,
        action: { ...data.action, runbook: 'Reset-UpdateComponents' },
      });
      assert.deepEqual(h.repliesTo(withRunbook.incomingId), [FORGED]);
      const withDigest = await kenji.submit(id, {
        ...data,
        action: { ...data.action, digest: 'f'.repeat(64) },
      });
      assert.deepEqual(h.repliesTo(withDigest.incomingId), [FORGED]);

      assert.deepEqual(h.channel.updatesOf(id), [], 'the card did not change');
      assert.equal(toAiko().length, toldBefore, 'the employee was told nothing');
      assert.deepEqual(h.fake.requests, [], 'nothing was sent to Azure');

      // Values next to the action (where Teams puts typed inputs) cannot change what runs either.
      const genuine = await kenji.submit(id, {
        ...data,
        runbook: 'Reset-UpdateComponents',
        runOn: 'hrw-somewhere-else',
        EventDays: '1',
      });
      assert.deepEqual(h.repliesTo(genuine.incomingId), [APPROVED]);
      await h.channel.waitFor(resultPosted, 10_000, 'the job output in the technicians channel');
      const [job] = [...h.fake.jobs.values()];
      assert.equal(h.fake.jobs.size, 1);
      assert.deepEqual([job?.runbook, job?.runOn, job?.parameters], ['Get-UpdateHealth', 'hrw-pc-0042', {}]);
    } finally {
      await h.stopCleanly(server);
    }
    const forged = (await h.audit()).filter((e) => e.action === 'approval.forged');
    assert.deepEqual(
      forged.map((e) => [e.actor, e.subject, e.data.keys ?? e.data.given]),
      [
        ['teams:29:kenji', requestId, ['runbook']],
        ['teams:29:kenji', requestId, 'f'.repeat(64)],
      ],
    );
  });

  it('two technicians press Approve at the same moment: one decision, one job created once; the other is told it was decided', async () => {
    const server = await h.serve({ WINFIX_TEAMS_TECHNICIANS: `${KENJI_AAD},${YUKI_AAD}` });
    try {
      const { aiko, kenji, yuki } = h.people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);

      // Yuki never wrote to the bot, so her Teams user id is not on the card's refresh list: she asks
      // for her own view with Refresh in the message's menu (a manual refresh), which has the buttons.
      const base = h.currentApproval();
      assert.deepEqual((base.card?.refresh as { userIds?: string[] } | undefined)?.userIds, ['29:kenji']);
      const manual = await yuki.refreshCard(base.id);
      assert.deepEqual(
        submitActions(manual.invoke.value).map((a) => a.title),
        ['Approve', 'Reject'],
      );
      const presses = await Promise.all([kenji.press('Approve'), yuki.press('Approve')]);
      const replies = presses.map((p) => h.toPresser(p));
      const winner = replies.findIndex((r) => r.length === 1 && r[0] === APPROVED);
      assert.ok(winner >= 0, `one press approved: ${JSON.stringify(replies)}`);
      const winnerName = ['Kenji Sato', 'Yuki Mori'][winner] as string;
      const loser = replies[1 - winner] ?? [];
      assert.equal(loser.length, 1, `one answer to the other press: ${JSON.stringify(loser)}`);
      assert.match(
        loser[0] ?? '',
        new RegExp(
          `^That request was already decided \\(Approved by ${winnerName} at [\\d-]+ [\\d:]+ UTC\\)\\.$`,
        ),
      );

      await h.channel.waitFor(resultPosted, 10_000, 'the job output in the technicians channel');
      assert.equal(h.fake.jobs.size, 1, 'one job');
      assert.equal(h.fake.creates([...h.fake.jobs.keys()][0] ?? ''), 1, 'created once');
      assert.match(cardText(h.currentApproval().card), new RegExp(`Approved by ${winnerName} at`));
      assert.equal(toAiko().filter((t) => /approved it\./.test(t)).length, 1, 'the employee was told once');
      assert.ok(toAiko().some((t) => t.includes(`${winnerName} approved it.`)));
    } finally {
      await h.stopCleanly(server);
    }
    const audit = await h.audit();
    assert.equal(audit.filter((e) => e.action === 'approval.approved').length, 1, 'one decision');
    assert.deepEqual(
      audit.filter((e) => e.action === 'approval.refused').map((e) => e.data.reason),
      ['already-decided'],
    );
  });
});
