/**
 * Issue 14 items 5 and 6 (runs side): ownership is checked again just before the job starts (a PC
 * unenrolled or enrolled to someone else meanwhile is refused, both sides told in their language,
 * audited), an approval long past is not started out of the blue, Approve/Reject count only in the
 * technicians' conversation, and the audit log names technicians by directory id and e-mail and keeps
 * the employee's consent to a restart as its own event. PostgreSQL, fake ARM.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { inConversation } from '../../runs';
import { ChatDriver } from '../bot/chat-driver';
import {
  AIKO,
  enrollAiko,
  KENJI,
  type Remote,
  requestDiagnostics,
  startRemote,
  TECHNICIANS,
} from './remote-harness';

describe('remote runs: checks when a job is about to start, and where a press counts', () => {
  let knowledge: Knowledge;
  let r: Remote;

  before(() => {
    knowledge = createKnowledge();
  });
  beforeEach(async () => {
    r = await startRemote(knowledge, { env: { WINFIX_TEAMS_TECHNICIAN_CONVERSATION: TECHNICIANS } });
    await enrollAiko(r.storage);
  });
  afterEach(async () => {
    await r.close();
    assert.deepEqual(r.fake.problems, []);
  });

  const card = () => {
    const posted = r.notifier.posted[0];
    assert.ok(posted, 'an approval card was posted');
    return posted;
  };
  const approveAction = () => card().choices.find((c) => c.action.verb === 'approve')?.action;
  const audit = async (action: string) =>
    (await r.storage.audit.list({ limit: 300 })).filter((e) => e.action === action);

  const told = {
    en: /The run was not started: PC-0042 is no longer enrolled to you/,
    ja: /実行は開始されませんでした。PC-0042 はもうあなたの PC として登録されていません/,
    ru: /Запуск не начат: PC-0042 больше не зарегистрирован за вами/,
  } as const;

  for (const locale of ['en', 'ja', 'ru'] as const)
    it(`the PC is unenrolled after the approval: not started, both sides told (${locale}), audited`, async () => {
      await requestDiagnostics(r.chat);
      if (locale !== 'en') await r.chat.act({ verb: 'locale', value: locale });
      assert.match(await r.press(KENJI, approveAction()), /^Approved\./);
      assert.ok(await r.storage.enrollments.remove('teams', AIKO.directoryId, 'PC-0042', 'teams:29:kenji'));
      await r.poll();

      const job = await r.storage.jobs.forApproval(card().requestId);
      assert.equal(job?.status, 'Cancelled');
      assert.ok(job?.terminal);
      assert.equal(r.fake.requests.filter((q) => q.op === 'Job_Create').length, 0, 'nothing sent to Azure');
      assert.match(
        r.notifier.card(card().requestId)?.job ?? '',
        /^Job: Cancelled — Not started: PC-0042 is no longer enrolled to the requester/,
      );
      assert.deepEqual(r.notifier.card(card().requestId)?.choices, [], 'nothing left to press');
      assert.match(r.notifier.technicians[0]?.text ?? '', /Not started: PC-0042 is no longer enrolled/);
      assert.match(r.notifier.userTexts().join('\n'), told[locale]);
      const cancelled = await audit('job.cancelled');
      assert.equal(cancelled.length, 1);
      assert.equal(cancelled[0]?.data.detail, 'not-enrolled');
    });

  it('the PC is enrolled to someone else meanwhile: refused; the new owner is not served by the old request', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    const moved = await r.storage.enrollments.place(
      {
        platform: 'teams',
        userId: 'e5e5-someone-else',
        computerName: 'PC-0042',
        workerGroup: 'hrw-pc-0042',
        by: 'test',
      },
      { move: true },
    );
    assert.equal(moved.kind, 'added');
    await r.poll();
    assert.equal((await r.storage.jobs.forApproval(card().requestId))?.status, 'Cancelled');
    assert.equal(r.fake.jobs.size, 0);
    assert.match(r.notifier.userTexts().join('\n'), told.en);
  });

  it('still enrolled (the DNS spelling of the same PC): the job starts', async () => {
    await requestDiagnostics(r.chat);
    await r.storage.enrollments.remove('teams', AIKO.directoryId, 'PC-0042', 'test');
    await enrollAiko(r.storage, [['PC-0042.corp.example.com', 'hrw-pc-0042']]);
    await r.press(KENJI, approveAction());
    await r.poll();
    const job = await r.storage.jobs.forApproval(card().requestId);
    assert.equal(r.fake.creates(job?.id ?? ''), 1);
  });

  it('an approval the bot could not start within the approval window is not started hours later', async () => {
    await requestDiagnostics(r.chat);
    await r.press(KENJI, approveAction());
    r.clock.advance(31 * 60_000); // the bot was down
    await r.poll();
    assert.equal((await r.storage.jobs.forApproval(card().requestId))?.status, 'Cancelled');
    assert.equal(r.fake.jobs.size, 0);
    assert.match(r.notifier.userTexts().join('\n'), /too much time passed since it was approved/);
    assert.equal((await audit('job.cancelled'))[0]?.data.detail, 'stale');
  });

  it("Approve pressed outside the technicians' channel is refused and audited; in a thread of the channel it counts", async () => {
    await requestDiagnostics(r.chat);
    const reply = await r.press(KENJI, approveAction(), undefined, 'a:kenji-personal-chat');
    assert.match(reply, /count only in the technicians' channel/);
    assert.equal((await r.storage.approvals.get(card().requestId))?.status, 'pending');
    const refused = (await audit('approval.refused')).find((e) => e.data.reason === 'wrong-conversation');
    assert.ok(refused, 'audited as wrong-conversation');
    assert.equal(refused.actor, `teams:${KENJI.id}`);
    assert.equal(refused.data.conversationId, 'a:kenji-personal-chat');
    assert.equal((refused.data.technician as { directoryId: string }).directoryId, KENJI.directoryId);
    assert.equal(r.notifier.userTexts().filter((t) => /approved it/.test(t)).length, 0);

    const inThread = `${TECHNICIANS};messageid=1712345678901`;
    assert.match(await r.press(KENJI, approveAction(), undefined, inThread), /^Approved\./);
  });

  it('the audit log names the technician by directory id and e-mail, not only the chat id', async () => {
    await requestDiagnostics(r.chat);
    await r.press({ ...KENJI, email: 'Kenji.Sato@example.com' }, approveAction());
    const [approved] = await audit('approval.approved');
    assert.equal(approved?.actor, `teams:${KENJI.id}`);
    assert.deepEqual(approved?.data.technician, {
      directoryId: KENJI.directoryId,
      email: 'kenji.sato@example.com',
      name: 'Kenji Sato',
    });
  });

  it("the employee's consent to a restart is its own audit event, before the request", async () => {
    // A run that does not restart asks no consent and records none.
    await requestDiagnostics(r.chat);
    const reject = card().choices.find((c) => c.action.verb === 'reject')?.action;
    await r.press(KENJI, reject);
    assert.deepEqual(await audit('approval.consent'), []);

    const chat = new ChatDriver(r.bot, 'conv-aiko-restart', AIKO, 'teams');
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(chat.step().stepId, 'restart-and-retry');
    await chat.press('Run it for me');
    await chat.press('Yes, it may restart');
    const entries = await r.storage.audit.list({ limit: 100 });
    const consent = entries.findIndex((e) => e.action === 'approval.consent');
    const requested = entries.findLastIndex((e) => e.action === 'approval.requested');
    assert.equal(entries.filter((e) => e.action === 'approval.consent').length, 1);
    assert.equal(consent, requested - 1, `consent right before the request: ${entries.map((e) => e.action)}`);
    assert.equal(entries[consent]?.actor, `teams:${AIKO.id}`);
    assert.equal(entries[consent]?.subject, entries[requested]?.subject);
    assert.deepEqual(entries[consent]?.data, {
      restart: true,
      computerName: 'PC-0042',
      runbook: entries[requested]?.data.runbook,
    });
  });
});

describe("inConversation: the technicians' conversation of each platform", () => {
  it('Teams: the channel or a thread in it; Slack: the channel, its threads; nothing else', () => {
    const teams = '19:abc@thread.tacv2';
    assert.ok(inConversation('teams', teams, teams));
    assert.ok(inConversation('teams', `${teams};messageid=17`, teams));
    assert.ok(!inConversation('teams', '19:other@thread.tacv2', teams));
    assert.ok(!inConversation('teams', `a:${teams}`, teams));
    assert.ok(inConversation('slack', 'T1:C0TECH', 'C0TECH'));
    assert.ok(inConversation('slack', 'T1:C0TECH:1712345678.000100', 'C0TECH'));
    assert.ok(!inConversation('slack', 'T1:D0KENJI', 'C0TECH'));
  });
});
