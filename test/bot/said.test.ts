/**
 * What the user says they already did changes the plan, at the start and mid-case; the employee's part
 * stays at most MAX_EMPLOYEE_STEPS steps, and the hand-off tells IT what to try next.
 */
import assert from 'node:assert/strict';
import { type Bot, createBot } from '../../bot';
import { renderText } from '../../connectors/console/render-text';
import { createKnowledge, factsFrom, type Knowledge } from '../../rules/knowledge';
import { MAX_EMPLOYEE_STEPS } from '../../rules/planner/planner';
import { ChatDriver, steppingClock } from './chat-driver';

const SPECIFIC = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

describe('what the user already did (conversation core)', () => {
  let knowledge: Knowledge;
  let bot: Bot;
  let chat: ChatDriver;

  before(() => {
    knowledge = createKnowledge();
  });

  beforeEach(() => {
    bot = createBot({ knowledge, clock: steppingClock(), defaultLocale: 'en' });
    chat = new ChatDriver(bot);
  });

  const title = (id: string) => knowledge.kb.steps.get(id)?.title.en ?? id;

  it('"already rebooted" in the first message: the restart is skipped, said once before the steps', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11, already rebooted');
    const text = chat.text();
    const skip = text.indexOf("You already restarted, so I'll skip that.");
    const intro = text.indexOf('Here are 8 steps you can try yourself');
    assert.ok(skip >= 0 && intro > skip, `the skip line comes before the steps:\n${text}`);
    assert.equal(text.split('You already restarted').length, 2, 'said once');
    const card = chat.step();
    assert.equal(card.stepId, 'sync-clock', 'the clock, second in the source order, comes first');
    assert.equal(card.heading, 'Step 1 of 8');
    // Walk the whole employee part: the restart never comes up, and nothing beyond 8 steps.
    const seen: string[] = [];
    while (chat.last.some((m) => m.kind === 'step')) {
      const step = chat.step();
      assert.ok(step.total <= MAX_EMPLOYEE_STEPS, step.heading);
      seen.push(step.stepId);
      await chat.press("Didn't help");
    }
    assert.equal(seen.length, 8);
    assert.ok(!seen.includes('restart-and-retry'));
    assert.equal(chat.one('question').topic, 'os', 'only "Windows 11" is known: the build is asked');
    await chat.say("I don't know");
    const handoff = chat.one('handoff');
    assert.ok(!handoff.next.some((n) => n.stepId === 'restart-and-retry'), 'IT is not told to restart');
  });

  it('without "already rebooted" the restart comes first (the skip is what the user said)', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11');
    assert.doesNotMatch(chat.text(), /You already restarted/);
    assert.equal(chat.step().stepId, 'restart-and-retry');
  });

  it('"I already ran the troubleshooter" while its card is open: closed as didn\'t help, one line, next step', async () => {
    await chat.say(SPECIFIC);
    await chat.press("Didn't help");
    await chat.press("Didn't help");
    const open = chat.step();
    assert.deepEqual([open.stepId, open.heading], ['wu-troubleshooter', 'Step 3 of 8']);

    await chat.say('I already ran the troubleshooter');
    const closed = chat.one('card-update');
    assert.deepEqual([closed.cardId, closed.answer], [open.id, "didn't help"]);
    const lines = chat.of('text').map((m) => m.text);
    assert.deepEqual(lines, ["You already ran the troubleshooter, so I'll skip it."]);
    const next = chat.step();
    assert.deepEqual([next.stepId, next.heading], ['reset-update-cache', 'Step 4 of 8']);

    await chat.say('I need a technician');
    assert.deepEqual(
      chat.one('handoff').tried.map((t) => [t.stepId, t.outcome]),
      [
        ['restart-and-retry', 'didnt-help'],
        ['sync-clock', 'didnt-help'],
        ['wu-troubleshooter', 'didnt-help'],
      ],
    );
  });

  it('a later step the user already did is left out and the next one comes up; the part stays at 8', async () => {
    await chat.say(SPECIFIC);
    assert.equal(chat.step().stepId, 'restart-and-retry');
    await chat.say('I already ran the troubleshooter');
    assert.equal(chat.text(), "You already ran the troubleshooter, so I'll skip it.");
    assert.equal(chat.of('card-update').length, 0, 'the open card stays open');
    assert.equal(chat.card?.kind === 'step' && chat.card.stepId, 'restart-and-retry');
    await chat.press("Didn't help");
    const seen = ['restart-and-retry'];
    while (chat.last.some((m) => m.kind === 'step')) {
      const step = chat.step();
      assert.equal(step.total, 8, step.heading);
      seen.push(step.stepId);
      await chat.press("Didn't help");
    }
    assert.ok(!seen.includes('wu-troubleshooter'), `${seen}`);
    assert.equal(seen.length, 8);
    assert.equal(seen.at(-1), 'check-update-history', 'the first of the technician part came up');
  });

  it('a re-plan never makes the employee part longer than 8 steps, counting the steps already done', async () => {
    await chat.say(SPECIFIC);
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'sync-clock');
    // The restart is done already; the new plan leaves it out, and its place must not be filled twice.
    await chat.say('I already restarted the PC');
    await chat.press("Didn't help");
    const seen = ['restart-and-retry', 'sync-clock'];
    while (chat.last.some((m) => m.kind === 'step')) {
      const step = chat.step();
      assert.ok(step.total <= MAX_EMPLOYEE_STEPS, step.heading);
      seen.push(step.stepId);
      await chat.press("Didn't help");
    }
    assert.equal(seen.length, 8, `${seen}`);
    assert.equal(new Set(seen).size, 8);
    const next = chat.one('handoff').next.map((n) => n.stepId);
    for (const id of seen) assert.ok(!next.includes(id), `${id} was tried`);
    assert.equal(next[0], 'check-update-history', 'the step that no longer fits goes to IT');
  });

  it('something said that changes nothing is noted, and the open card stays', async () => {
    await chat.say(SPECIFIC);
    await chat.press("Didn't help");
    await chat.say('I already ran the troubleshooter');
    await chat.say('I already ran the troubleshooter');
    assert.match(chat.text(), /Tell me how the step went/, 'said twice: nothing new the second time');
  });

  it('the hand-off after the 8 employee steps lists the technician\'s part under "What the technician should try next"', async () => {
    const plan = await knowledge.planner.plan(
      factsFrom(
        { subcodes: [], kb: [], os: { family: 'windows-11', version: '23H2', build: null } },
        '0x80070002',
        'windows-update',
      ),
    );
    await chat.say(SPECIFIC);
    for (let i = 0; i < 8; i++) {
      assert.equal(chat.step().heading, `Step ${i + 1} of 8`);
      await chat.press(i % 2 ? 'Skip' : "Didn't help");
    }
    const handoff = chat.one('handoff');
    assert.equal(handoff.reason, 'plan-exhausted');
    assert.equal(handoff.tried.length, 8);
    assert.deepEqual(
      handoff.next.map((n) => n.stepId),
      plan.technician.map((s) => s.id),
    );
    for (const n of handoff.next) assert.equal(n.note, n.runbook ? 'can run remotely' : null, n.stepId);
    const text = renderText(handoff).text ?? '';
    const lines = text.split('\n');
    const from = lines.indexOf('What the technician should try next:');
    assert.ok(from > lines.indexOf('Steps tried:'), text);
    const listed = lines.slice(from + 1, from + 1 + handoff.next.length);
    plan.technician.forEach((step, i) => {
      const expected = `  ${i + 1}. ${title(step.id)}${step.runbook ? ' (can run remotely)' : ''}`;
      assert.equal(listed[i], expected);
    });
    assert.ok(listed.some((l) => l.endsWith('(can run remotely)')));
    assert.ok(listed.some((l) => l.includes(title('clean-install')) && !l.endsWith(')')));
  });

  it("a typo'd code is said back as read: 0x800700003 → 0x80070003", async () => {
    await chat.say('Windows Update fails with 0x800700003 on Windows 11 23H2');
    const lines = chat.of('text').map((m) => m.text);
    assert.equal(
      lines[0],
      'You wrote 0x800700003; I read it as 0x80070003. If that is not the code on your screen, send it again.',
    );
    assert.equal(chat.one('code').code, '0x80070003');
    assert.equal(chat.step().heading, 'Step 1 of 8', 'triage goes on with the code as read');
    await chat.say('I need a technician');
    assert.equal(chat.one('handoff').code, '0x80070003');
  });

  it('"there\'s no code" in a fresh chat goes on to where the error appeared, without asking for the code', async () => {
    await chat.say("there's no code");
    const question = chat.one('question');
    assert.equal(question.text, 'Where did the error appear?');
    assert.ok(question.choices.some((c) => c.label === 'Windows Update'));
    assert.doesNotMatch(chat.text(), /Which error code do you see/);
    await chat.press('Windows Update');
    assert.equal(chat.one('question').text, 'Which Windows version is this PC running?');
    await chat.press('Windows 11 23H2');
    const card = chat.step();
    assert.ok(card.total <= MAX_EMPLOYEE_STEPS, card.heading);
    assert.doesNotMatch(chat.text(), /Which error code do you see/, 'the code is never asked for');
  });
});
