/**
 * Conversation details of issue 19 in the core: a step that did not help never comes back, a code
 * named mid-case is queued, no self-service is offered after the user asked for a person, typed
 * answers to "what did you see?", everything a technician needs in the hand-off, and steps that need
 * administrator rights.
 */
import assert from 'node:assert/strict';
import { type Clock, createBot, type OutgoingMessage, type Sender } from '../../bot';
import type { AdminPolicy } from '../../bot/admin-rights';
import type { Computer, RemoteRunsPort, RunRequestResult } from '../../bot/remote-runs-port';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver } from './chat-driver';
import { HISTORY_CASE, historyKnowledge } from './history-knowledge';

/** A clock the test moves: each read is one second later; `advance` jumps minutes ahead. */
class TestClock implements Clock {
  private at = Date.parse('2026-03-02T09:00:00Z');
  now(): Date {
    this.at += 1000;
    return new Date(this.at);
  }
  advance(minutes: number): void {
    this.at += minutes * 60_000;
  }
}

/** Remote runs as the core sees them: only the enrolled PCs matter here. */
class EnrolledPcs implements RemoteRunsPort {
  readonly dryRun = false;
  readonly approvalMinutes = 30;
  constructor(private readonly computers: Computer[]) {}
  async computersOf(_platform: string, _user: Sender): Promise<Computer[]> {
    return this.computers;
  }
  allows(): boolean {
    return false;
  }
  async request(): Promise<RunRequestResult> {
    return { kind: 'refused', detail: 'not in this test' };
  }
  async onTechnicianAction(): Promise<OutgoingMessage[]> {
    return [];
  }
}

/** 0xC1900101 in Windows Setup: the driver from the vendor second, SetupDiag (a reveal back to it) sixth. */
const SETUP_CASE = 'Windows Setup fails with 0xc1900101 on Windows 10 22H2';

describe('conversation details (issue 19, core)', () => {
  let knowledge: Knowledge;
  let clock: TestClock;

  before(() => {
    knowledge = createKnowledge();
  });

  beforeEach(() => {
    clock = new TestClock();
  });

  const chatWith = (options: { admins?: AdminPolicy; remote?: RemoteRunsPort } = {}, user = 'u1') =>
    new ChatDriver(
      createBot({
        knowledge,
        clock,
        defaultLocale: 'en',
        ...(options.admins ? { employeesAreAdmins: options.admins } : {}),
        ...(options.remote ? { remote: options.remote } : {}),
      }),
      'c1',
      { id: user, name: 'Aiko Test' },
    );

  /** Presses "Didn't help" until the step `id` is open; returns the steps seen before it. */
  async function failUntil(chat: ChatDriver, id: string): Promise<string[]> {
    const seen: string[] = [];
    for (let guard = 0; chat.step().stepId !== id; guard++) {
      assert.ok(guard < 10, `never reached ${id}; saw ${seen}`);
      seen.push(chat.step().stepId);
      await chat.press("Didn't help");
    }
    return seen;
  }

  /** A conversation on the small KB where the update history is the first step. */
  async function toUpdateHistory(): Promise<ChatDriver> {
    const chat = new ChatDriver(createBot({ knowledge: historyKnowledge(knowledge), clock }));
    await chat.say(HISTORY_CASE);
    assert.equal(chat.step().stepId, 'check-update-history');
    return chat;
  }

  describe('a step that did not help', () => {
    it('is not offered again when a reveal leads back to it', async () => {
      const chat = chatWith();
      await chat.say(SETUP_CASE);
      const seen = await failUntil(chat, 'run-setupdiag');
      assert.ok(seen.includes('update-driver-from-vendor'), `the vendor's driver was tried: ${seen}`);
      await chat.press('It names a driver as the cause');
      assert.doesNotMatch(chat.text(), /where to look next/, 'the reveal leads nowhere new');
      seen.push('run-setupdiag');
      const next = chat.step().stepId;
      assert.notEqual(next, 'update-driver-from-vendor');
      assert.ok(!seen.includes(next), `${next} was offered before`);
      // And to the end of the case: nothing that did not help shows up again.
      while (chat.last.some((m) => m.kind === 'step')) {
        assert.ok(!seen.includes(chat.step().stepId), `${chat.step().stepId} came back`);
        seen.push(chat.step().stepId);
        await chat.press("Didn't help");
      }
      assert.equal(new Set(seen).size, seen.length);
    });
  });

  describe('typed answers to "what did you see?"', () => {
    it('maps "the update KB5034441 failed" to the KB reveal and follows it', async () => {
      const chat = await toUpdateHistory();
      await chat.say('the update KB5034441 failed');
      const update = chat.one('card-update');
      assert.match(update.answer, /^revealed: An update with a KB number/);
      assert.match(chat.text(), /where to look next/);
      assert.equal(chat.step().stepId, 'manual-catalog-install');
    });

    it('maps 「KB5034441 が失敗」 in Japanese', async () => {
      const chat = new ChatDriver(createBot({ knowledge: historyKnowledge(knowledge), clock }));
      await chat.say('Windows 11 23H2 の Windows Update で 0x800f0922 が出ます');
      assert.equal(chat.step().stepId, 'check-update-history');
      await chat.say('KB5034441 が失敗');
      assert.equal(chat.step().stepId, 'manual-catalog-install');
    });

    it('answers something it cannot map with what to write, never with buttons', async () => {
      const chat = await toUpdateHistory();
      await chat.say('hmm, it did something');
      assert.equal(chat.of('step').length, 0, 'the step stays open');
      assert.match(chat.text(), /Fixed it, Didn't help or Skip/);
      assert.match(chat.text(), /A driver update fails/, 'the reveals are named');
      assert.doesNotMatch(chat.text(), /button/i);
      await chat.say('a driver update failed');
      assert.equal(chat.step().stepId, 'hide-driver-update', 'an answer it can map moves on');
    });
  });

  describe('a code named mid-case', () => {
    it('is queued on "No, continue" and offered when the case ends, like the codes of the first message', async () => {
      const chat = chatWith();
      await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
      const open = chat.step().stepId;
      await chat.say('now I also see 0x80070005');
      assert.equal(chat.one('question').topic, 'restart');
      await chat.press('No, continue');
      assert.match(chat.text(), /I'll come back to 0x80070005 when this one is done/);
      assert.equal(chat.step().stepId, open);
      await chat.press('Fixed it');
      assert.equal(chat.one('summary').code, '0x80070002');
      const offer = chat.one('question');
      assert.equal(offer.topic, 'next-code');
      assert.equal(offer.text, 'You also mentioned 0x80070005. Shall we look at it now?');
      await chat.press('Yes, look at 0x80070005');
      assert.equal(chat.one('code').code, '0x80070005');
    });

    it('switching to it keeps the codes still waiting', async () => {
      const chat = chatWith();
      await chat.say('0x80070002 and 0x80070003 in Windows Update on Windows 11 23H2');
      await chat.say('actually 0x80070005 is the one that matters');
      await chat.press('Yes, start over with 0x80070005');
      assert.equal(chat.one('code').code, '0x80070005');
      if (chat.of('question').length > 0) await chat.press('Windows Update');
      while (chat.last.some((m) => m.kind === 'step')) await chat.press("Didn't help");
      const handoff = chat.one('handoff');
      assert.deepEqual(handoff.raw.otherCodes, [
        { code: '0x80070002', status: 'abandoned' },
        { code: '0x80070003', status: 'queued' },
      ]);
      assert.equal(chat.one('question').topic, 'next-code', 'every step tried: the next code is offered');
    });
  });

  describe('after the user asks for a person', () => {
    it('offers no self-service until they write again', async () => {
      const chat = chatWith();
      await chat.say('0x80070002 and 0x80070003 in Windows Update on Windows 11 23H2');
      await chat.say('I want to talk to a human');
      const handoff = chat.one('handoff');
      assert.equal(handoff.code, '0x80070002');
      assert.equal(chat.of('question').length, 0, 'no "You also mentioned …" now');
      assert.doesNotMatch(chat.text(), /Shall we look at it now/);
      assert.match(chat.text(), /You also mentioned 0x80070003: it's in the summary for the technician/);
      assert.deepEqual(handoff.raw.otherCodes, [{ code: '0x80070003', status: 'queued' }]);
      assert.ok(
        handoff.facts.some((f) => f.key === 'other-codes' && f.value === '0x80070003 (not looked at yet)'),
      );

      await chat.say('all sorted now, thanks');
      const offer = chat.one('question');
      assert.equal(offer.topic, 'next-code');
      assert.match(offer.text, /0x80070003/);
    });
  });

  describe('the hand-off summary', () => {
    it('carries every code, the tickets, the PC, the times, the steps with outcomes and the user’s words', async () => {
      const remote = new EnrolledPcs([{ name: 'PC-0042', workerGroup: 'hrw-pc-0042' }]);
      const chat = chatWith({ remote });
      await chat.say('Ticket INC0012345: Windows Update fails with 0x80070003 on Windows 11 23H2');
      await chat.press('Fixed it');
      assert.equal(chat.one('summary').code, '0x80070003');
      clock.advance(60);
      await chat.say('Now 0x80070002 in Windows Update, see also req-0004567');
      clock.advance(4);
      await chat.press("Didn't help");
      clock.advance(5);
      await chat.say('and 0x800f0922 showed up too');
      await chat.press('No, continue');
      await chat.say('I need a technician');
      const handoff = chat.one('handoff');
      const facts = Object.fromEntries(handoff.facts.map((f) => [f.key, f.value]));
      assert.equal(facts.code, '0x80070002');
      assert.equal(facts['other-codes'], '0x80070003 (fixed earlier), 0x800f0922 (not looked at yet)');
      assert.equal(facts.tickets, 'INC0012345, REQ0004567');
      assert.equal(facts.pc, 'PC-0042');
      assert.equal(facts.os, 'Windows 11 23H2');
      assert.match(facts.started ?? '', /^2026-03-02 10:0\d UTC$/);
      assert.match(facts['handed-off'] ?? '', /^2026-03-02 10:0\d UTC$/);
      assert.equal(facts.duration, '9 min');
      assert.deepEqual(
        handoff.raw.otherCodes?.map((c) => c.code),
        ['0x80070003', '0x800f0922'],
      );
      assert.deepEqual(handoff.raw.tickets, ['INC0012345', 'REQ0004567']);
      assert.deepEqual(handoff.raw.computers, ['PC-0042']);
      assert.equal(handoff.tried.length, 1);
      assert.equal(handoff.tried[0]?.outcomeLabel, "didn't help");
      assert.match(handoff.tried[0]?.at ?? '', /^2026-03-02T10:0/);
      assert.deepEqual(handoff.userWords.slice(-3), [
        'Now 0x80070002 in Windows Update, see also req-0004567',
        'and 0x800f0922 showed up too',
        'I need a technician',
      ]);
      for (const f of handoff.facts) assert.doesNotMatch(f.value, /queued|resolved|handed-off/, f.key);
    });

    it('asks for the build first when only the Windows family is known, once', async () => {
      const chat = chatWith();
      await chat.say('Windows Update fails with 0x80070002 on Windows 10');
      assert.equal(chat.of('step').length, 1);
      await chat.say('I want to talk to a human');
      assert.equal(chat.of('handoff').length, 0, 'not yet');
      const question = chat.one('question');
      assert.equal(question.topic, 'os');
      assert.match(question.text, /which Windows version or build/);
      assert.deepEqual(
        question.choices.map((c) => c.label),
        ['Windows 10 22H2', "I don't know"],
      );
      await chat.say('Microsoft Windows [Version 10.0.19045.5011]');
      const handoff = chat.one('handoff');
      assert.equal(handoff.facts.find((f) => f.key === 'os')?.value, 'Windows 10 22H2 (build 19045.5011)');
      assert.equal(handoff.reason, 'user-asked');

      await chat.say('Windows Update also fails with 0x80070003 on Windows 10');
      await chat.say('technician please');
      assert.equal(chat.of('question').length, 0, 'asked once');
      assert.equal(chat.one('handoff').code, '0x80070003');
    });

    it('hands off without the build on "I don\'t know", or on anything else it cannot read', async () => {
      const chat = chatWith();
      await chat.say('Windows Update fails with 0x80070002 on Windows 10');
      await chat.say('I want to talk to a human');
      await chat.press("I don't know");
      assert.equal(chat.one('handoff').facts.find((f) => f.key === 'os')?.value, 'Windows 10');

      const other = new ChatDriver(createBot({ knowledge, clock }), 'c2');
      await other.say('Windows Update fails with 0x80070002 on Windows 10');
      await other.say('I want to talk to a human');
      await other.say('no idea where to look, just get me someone');
      assert.equal(other.one('handoff').reason, 'user-asked', 'asked once, never in a loop');
    });
  });

  describe('administrator rights', () => {
    const admin = (id: string) => knowledge.kb.steps.get(id)?.admin === true;
    const WU = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

    it('asks once per user; for one who cannot, steps needing administrator rights go to the technician', async () => {
      const chat = chatWith({ admins: 'ask' });
      await chat.say(WU);
      const question = chat.one('question');
      assert.equal(question.topic, 'admin');
      assert.equal(chat.of('step').length, 0, 'asked before the first step');
      await chat.press("No, I can't");
      assert.match(chat.text(), /Steps that need administrator rights are left to the technician/);
      const seen: string[] = [];
      while (chat.last.some((m) => m.kind === 'step')) {
        seen.push(chat.step().stepId);
        assert.equal(chat.step().admin, false, `${chat.step().stepId} needs administrator rights`);
        await chat.press("Didn't help");
      }
      assert.ok(seen.length > 0);
      const handoff = chat.one('handoff');
      assert.ok(
        handoff.next.some((n) => admin(n.stepId)),
        'IT gets the steps that need the rights',
      );
      assert.equal(handoff.facts.find((f) => f.key === 'admin')?.value, 'no');

      await chat.say(WU);
      assert.equal(chat.of('question').length, 0, 'the answer is remembered');
      assert.equal(chat.step().admin, false);
    });

    it('a user who can gets every step; another user in the same chat is asked again', async () => {
      const bot = createBot({ knowledge, clock, employeesAreAdmins: 'ask' });
      const aiko = new ChatDriver(bot, 'group', { id: 'aiko' });
      await aiko.say(WU);
      await aiko.say('yes');
      assert.equal(aiko.step().stepId, 'restart-and-retry');
      const seen: boolean[] = [];
      while (aiko.last.some((m) => m.kind === 'step')) {
        seen.push(aiko.step().admin);
        await aiko.press("Didn't help");
      }
      assert.ok(seen.includes(true), 'steps needing administrator rights are in her part');
      const kenji = new ChatDriver(bot, 'group', { id: 'kenji' });
      await kenji.say(WU);
      assert.equal(kenji.one('question').topic, 'admin');
    });

    it('follows the company setting without asking', async () => {
      const walk = async (chat: ChatDriver): Promise<boolean[]> => {
        const admins: boolean[] = [];
        while (chat.last.some((m) => m.kind === 'step')) {
          admins.push(chat.step().admin);
          await chat.press("Didn't help");
        }
        return admins;
      };
      const no = chatWith({ admins: 'no' });
      await no.say(WU);
      assert.equal(no.of('question').length, 0);
      assert.match(no.text(), /Steps that need administrator rights are left to the technician/);
      const noSteps = await walk(no);
      assert.ok(noSteps.length > 0 && !noSteps.includes(true), 'no step needing the rights');
      assert.equal(no.one('handoff').facts.find((f) => f.key === 'admin')?.value, 'no');
      const yes = chatWith({ admins: 'yes' });
      await yes.say(WU);
      assert.equal(yes.of('question').length, 0);
      assert.doesNotMatch(yes.text(), /administrator rights are left/);
      assert.ok((await walk(yes)).includes(true), 'steps needing the rights are the employee’s');
      assert.ok(!yes.one('handoff').facts.some((f) => f.key === 'admin'), 'nothing to say when everyone can');
    });
  });
});
