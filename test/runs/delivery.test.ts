/**
 * Issue 19 item 2 (core side): posting an approval card says how it went, and the employee hears the
 * truth in their language: kept for a channel that cannot be reached yet (the request waits), or no
 * technician reachable at all (the request is withdrawn). Both are audited. PostgreSQL, fake ARM, a
 * recording notifier that answers as a connector would.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { enrollAiko, type Remote, startRemote } from './remote-harness';

const QUEUED = {
  en: /I asked a technician to approve running this on PC-0042, but the technicians' channel can't be reached yet\. Your request is kept/,
  ja: /担当者のチャネルにまだ届けられません。依頼は保管してあり/,
  ru: /канал специалистов пока недоступен\. Ваш запрос сохранён/,
} as const;
const FAILED = {
  en: /I could not reach any technician, so the request was cancelled/,
  ja: /担当者に連絡できなかったため、依頼を取り消しました/,
  ru: /Не удалось связаться ни с одним специалистом, поэтому запрос отменён/,
} as const;

describe('remote runs: the approval card could not be shown to a technician', () => {
  let knowledge: Knowledge;
  let r: Remote;

  before(() => {
    knowledge = createKnowledge();
  });
  beforeEach(async () => {
    r = await startRemote(knowledge);
    await enrollAiko(r.storage);
  });
  afterEach(() => r.close());

  const said = () => r.chat.text();
  /** Aiko reaches the diagnostics step (check-disk-space), speaks `locale` from then on, asks IT to run it. */
  const ask = async (locale: 'en' | 'ja' | 'ru') => {
    await r.chat.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await r.chat.press("Didn't help");
    assert.equal(r.chat.step().stepId, 'check-disk-space');
    if (locale !== 'en') await r.chat.act({ verb: 'locale', value: locale });
    await r.chat.act({ verb: 'run-for-me', step: 'check-disk-space' });
  };
  const requests = () => r.storage.approvals.forConversation('teams:conv-aiko');
  const audit = async (action: string) =>
    (await r.storage.audit.list({ limit: 200 })).filter((e) => e.action === action);

  for (const locale of ['en', 'ja', 'ru'] as const) {
    it(`kept for later (${locale}): the employee is told it waits, the request stays open, audited`, async () => {
      r.notifier.delivery = 'queued';
      await ask(locale);
      assert.match(said(), QUEUED[locale]);
      const [request] = await requests();
      assert.equal(request?.status, 'pending');
      assert.equal(request?.announced, 'requested', 'the connector holds the card: nothing for the sweep');
      const [undelivered] = await audit('approval.undelivered');
      assert.equal(undelivered?.subject, request?.id);
      assert.equal(undelivered?.data.delivery, 'queued');
    });

    it(`nobody reachable (${locale}): the employee is told it was cancelled, the request withdrawn, audited`, async () => {
      r.notifier.delivery = 'failed';
      await ask(locale);
      assert.match(said(), FAILED[locale]);
      assert.doesNotMatch(said(), QUEUED.en);
      const [request] = await requests();
      assert.equal(request?.status, 'expired');
      assert.equal(request?.note, 'unreachable');
      const [withdrawn] = await audit('approval.withdrawn');
      assert.equal(withdrawn?.subject, request?.id);
      assert.equal(withdrawn?.data.reason, 'unreachable');
      // Nothing is waiting on the employee's side: asking again is possible once a channel is there.
      r.notifier.delivery = 'delivered';
      await r.chat.act({ verb: 'run-for-me', step: 'check-disk-space' });
      assert.equal(r.notifier.posted.length, 1, 'the second request reached the technicians');
    });
  }

  it('delivered: the usual answer, nothing audited as undelivered', async () => {
    await ask('en');
    assert.match(said(), /I asked a technician to approve running this on PC-0042\. If nobody decides/);
    assert.deepEqual(await audit('approval.undelivered'), []);
  });
});
