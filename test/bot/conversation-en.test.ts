import assert from 'node:assert/strict';
import { type Bot, createBot } from '../../bot';
import { createKnowledge, factsFrom, type Knowledge } from '../../rules/knowledge';
import type { OsInfo } from '../../rules/vocabulary';
import { ChatDriver, steppingClock } from './chat-driver';

const WIN11: OsInfo = { family: 'windows-11', version: '23H2', build: null };
/** A code the KB does not describe for Windows Update: its generic plan checks the network third (with reveals). */
const GENERIC = 'Windows Update fails with 0x8007045b on Windows 11 23H2';

describe('conversation in English', () => {
  let knowledge: Knowledge;
  let plan: string[];
  let technician: string[];
  let bot: Bot;
  let chat: ChatDriver;

  before(async () => {
    knowledge = createKnowledge();
    const facts = factsFrom({ subcodes: [], kb: [], os: WIN11 }, '0x80070002', 'windows-update');
    const full = await knowledge.planner.plan(facts);
    plan = full.steps.map((s) => s.id);
    technician = full.technician.map((s) => s.id);
    assert.equal(plan.length, 8, 'the employee part is full');
    assert.ok(technician.length > 0, 'and the technician has the rest');
  });

  beforeEach(() => {
    bot = createBot({ knowledge, clock: steppingClock(), defaultLocale: 'en' });
    chat = new ChatDriver(bot);
  });

  const title = (id: string | undefined) => knowledge.kb.steps.get(id ?? '')?.title.en;

  it('greets and explains on first contact, and on "help"', async () => {
    await chat.say('hello');
    assert.match(chat.text(), /I'm winfix/);
    assert.match(chat.text(), /error code/);
    assert.equal(chat.card, null, 'no question for a plain hello');
    await chat.say('help');
    assert.doesNotMatch(chat.text(), /I'm winfix/, 'the greeting is for the first contact');
    assert.match(chat.text(), /"start over"/);
  });

  it('starts triage directly when the code comes up front, then every button moves through the plan', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const code = chat.one('code');
    assert.equal(code.code, '0x80070002');
    assert.equal(code.name, 'ERROR_FILE_NOT_FOUND');
    assert.equal(code.facility, 'WIN32');
    assert.ok(code.meaning.length > 20);
    assert.equal(chat.of('question').length, 0, 'nothing is missing, nothing is asked');
    assert.match(
      chat.text(),
      new RegExp(`Here are ${plan.length} steps you can try yourself, in the order the guidance gives`),
    );
    assert.match(chat.text(), /a technician takes over with the rest/);
    assert.doesNotMatch(chat.text(), /no specific guidance/, '0x80070002 in Windows Update is described');
    let card = chat.step();
    assert.equal(card.stepId, plan[0]);
    assert.equal(card.stepId, 'restart-and-retry', 'the source order starts with a restart');
    assert.equal(card.title, title(plan[0]));
    assert.equal(card.heading, 'Step 1 of 8');
    assert.deepEqual(
      card.choices.map((c) => c.label),
      ['Fixed it', "Didn't help", 'Skip'],
    );
    assert.match(
      card.meta,
      /^Risk: (low|medium|high) · (needs administrator rights|no administrator rights needed) · (needs a restart|no restart) · about \d+ min$/,
    );
    assert.equal(card.runForMe, null);
    assert.ok(card.why.length > 0 && card.instructions.length > 0);

    const firstCard = card.id;
    await chat.press("Didn't help");
    const update = chat.one('card-update');
    assert.deepEqual([update.cardId, update.answer], [firstCard, "didn't help"]);
    card = chat.step();
    assert.deepEqual([card.stepId, card.position], [plan[1], 2]);

    await chat.press('Skip');
    assert.equal(chat.step().stepId, plan[2]);

    await chat.press('Fixed it');
    const summary = chat.one('summary');
    assert.equal(summary.fixedBy.stepId, plan[2]);
    assert.equal(summary.text, `Great, it's fixed: "${title(plan[2])}" solved 0x80070002.`);
    assert.deepEqual(
      summary.tried.map((t) => [t.stepId, t.outcome]),
      [
        [plan[0], 'didnt-help'],
        [plan[1], 'skipped'],
        [plan[2], 'fixed'],
      ],
    );
    assert.match(chat.text(), /comes back/);
    assert.equal(chat.of('step').length, 0);
  });

  it('refuses a button from a card already answered', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const old = chat.step();
    await chat.press("Didn't help");
    await chat.act({ verb: 'outcome', step: old.stepId, outcome: 'fixed' }, old.id);
    assert.equal(chat.text(), 'That card has already been answered.');
    assert.equal(chat.of('summary').length, 0);
  });

  it('follows a reveal to its target step', async () => {
    await chat.say(GENERIC);
    assert.match(chat.text(), /I have no specific guidance for 0x8007045b in Windows Update/);
    let guard = 0;
    while (chat.step().reveals.length === 0 && guard++ < 8) await chat.press("Didn't help");
    const card = chat.step();
    assert.equal(card.stepId, 'check-network', 'the generic plan checks the network third');
    assert.equal(card.position, 3);
    assert.ok(card.reveals.length > 0, 'some step of the plan has reveals');
    assert.equal(card.revealPrompt, 'Or tell me what you saw:');
    const reveal = knowledge.kb.steps.get(card.stepId)?.reveals?.[0];
    assert.ok(reveal);
    await chat.press(reveal.label.en);
    assert.match(chat.text(), /where to look next/);
    assert.equal(chat.step().stepId, reveal.next);
    assert.equal(chat.step().position, card.position + 1);

    await chat.say('I want to talk to a human');
    const handoff = chat.one('handoff');
    assert.equal(handoff.reason, 'user-asked');
    const last = handoff.tried.at(-1);
    assert.equal(last?.outcome, `revealed:${reveal.id}`);
    assert.equal(last?.outcomeLabel, `revealed: ${reveal.label.en}`);
  });

  it('takes a reveal typed as its label, and keeps KB numbers the user reports for the hand-off', async () => {
    await chat.say(GENERIC);
    let guard = 0;
    while (chat.step().reveals.length === 0 && guard++ < 8) await chat.press("Didn't help");
    const stepId = chat.step().stepId;
    assert.equal(stepId, 'check-network');
    const reveal = knowledge.kb.steps.get(stepId)?.reveals?.at(-1);
    assert.ok(reveal);
    await chat.say('KB5034441 keeps failing to install');
    assert.match(chat.text(), /Tell me how the step went: Fixed it, Didn't help or Skip/);
    assert.match(chat.text(), /in your own words what you saw, for example: No address/);
    assert.doesNotMatch(chat.text(), /button/i, 'no word about buttons a terminal does not show');
    await chat.say(`${reveal.label.en}.`);
    assert.equal(chat.step().stepId, reveal.next);
    await chat.say('I need a technician');
    const handoff = chat.one('handoff');
    assert.deepEqual(handoff.raw.kb, ['KB5034441']);
    assert.ok(handoff.facts.some((f) => f.key === 'kb' && f.value === 'KB5034441'));
    assert.equal(handoff.tried.at(-1)?.outcome, `revealed:${reveal.id}`);
  });

  it('goes back a step with "back"', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, plan[1]);
    await chat.say('back');
    assert.equal(chat.step().stepId, plan[0]);
    await chat.press('Skip');
    assert.equal(chat.step().stepId, plan[1]);
    await chat.say('technician');
    assert.deepEqual(
      chat.one('handoff').tried.map((t) => t.outcome),
      ['skipped'],
      'the step gone back to is tried once',
    );
  });

  it("hands off with the facts, every step tried and the user's words when the plan runs out", async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await chat.say("didn't help");
    for (let i = 1; i < plan.length; i++) {
      if (chat.of('handoff').length > 0) break;
      await chat.press(i % 2 === 0 ? 'Skip' : "Didn't help");
    }
    const handoff = chat.one('handoff');
    assert.equal(handoff.reason, 'plan-exhausted');
    assert.match(handoff.text, /run out of steps/);
    const facts = Object.fromEntries(handoff.facts.map((f) => [f.key, f.value]));
    assert.equal(facts.code, '0x80070002');
    assert.equal(facts.name, 'ERROR_FILE_NOT_FOUND');
    assert.equal(facts.context, 'Windows Update');
    assert.equal(facts.os, 'Windows 11 23H2');
    assert.equal(facts.user, 'Test User (test:u1)');
    assert.deepEqual(handoff.raw.os, WIN11);
    assert.deepEqual(
      handoff.tried.map((t) => t.stepId),
      plan,
    );
    assert.deepEqual(
      handoff.tried.slice(0, 3).map((t) => t.outcomeLabel),
      ["didn't help", "didn't help", 'skipped'],
    );
    assert.deepEqual(handoff.userWords, [
      'Windows Update fails with 0x80070002 on Windows 11 23H2',
      "didn't help",
    ]);
    assert.deepEqual(handoff.labels, {
      facts: 'Facts',
      tried: 'Steps tried',
      next: 'What the technician should try next',
      words: "In the user's words",
      none: 'none',
    });
    // The employee's part is done: what IT should try next is the technician's part, in order.
    assert.deepEqual(
      handoff.next.map((n) => n.stepId),
      technician,
    );
    const clean = handoff.next.find((n) => n.stepId === 'clean-install');
    assert.deepEqual([clean?.runbook, clean?.note], [null, null]);
    const components = handoff.next.find((n) => n.stepId === 'reset-update-components');
    assert.deepEqual([components?.runbook, components?.note], ['Reset-UpdateComponents', 'can run remotely']);
  });

  it('asks for a missing code, then only for the OS, and accepts a pasted ver line', async () => {
    await chat.say('My Windows Update keeps failing');
    const question = chat.one('question');
    assert.equal(question.topic, 'code');
    assert.match(question.text, /Which error code/);
    assert.match(question.hint ?? '', /Update history/);
    assert.deepEqual(
      question.choices.map((c) => c.action.verb),
      ['no-code', 'handoff'],
    );

    await chat.say('it says 0x80070002');
    assert.equal(chat.one('code').code, '0x80070002');
    const os = chat.one('question');
    assert.equal(os.topic, 'os', 'the context was told before the code, so only the OS is asked');
    assert.match(os.hint ?? '', /winver/);
    assert.match(os.hint ?? '', /\bver\b/);
    assert.ok(os.choices.some((c) => c.label === 'Windows 10 22H2'));

    await chat.say('Microsoft Windows [Version 10.0.22631.4460]');
    assert.equal(chat.of('card-update')[0]?.answer, 'You wrote: Microsoft Windows [Version 10.0.22631.4460]');
    const expected = await knowledge.planner.plan(
      factsFrom(
        { subcodes: [], kb: [], os: { family: 'windows-11', version: '23H2', build: '22631.4460' } },
        '0x80070002',
        'windows-update',
      ),
    );
    assert.equal(chat.step().stepId, expected.steps[0]?.id);
    assert.equal(chat.step().total, expected.steps.length);
  });

  it('re-asks a question it could not read, with the choices again', async () => {
    await chat.say('Windows Update error 0x80070002');
    assert.equal(chat.one('question').topic, 'os');
    await chat.say('the blue one');
    const again = chat.one('question');
    assert.equal(again.topic, 'os');
    assert.match(again.text, /couldn't tell the Windows version/);
    await chat.press("I don't know");
    assert.equal(chat.step().position, 1);
  });

  it('without remote runs: a system event for an unknown conversation is dropped, "run it for me" on a stale step is refused', async () => {
    const replies = await bot.handle({
      platform: 'test',
      conversationId: 'never-seen',
      user: { id: 'u1' },
      kind: 'system',
      event: { type: 'remote-update', requestId: 'r1', stage: 'approved', by: 'someone' },
    });
    assert.deepEqual(replies, []);
    await chat.act({ verb: 'run-for-me', step: 'x' });
    assert.equal(chat.text(), 'That card has already been answered.');
  });
});
