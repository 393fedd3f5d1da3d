/**
 * Conversation details of issue 19 over HTTP in Teams (real server, real bot, fake Bot Connector
 * channel): the hand-off the employee asked for carries every code, the ticket, the PC's Windows and
 * the times to the technicians' channel, and the next code waits; a code named mid-case is queued; a
 * step that did not help never comes back; typed findings; administrator rights asked once.
 */
import assert from 'node:assert/strict';
import { createBot, InMemoryConversationStore } from '../../../bot';
import { steppingClock } from '../../bot/chat-driver';
import { historyKnowledge } from '../../bot/history-knowledge';
import { cardOf, cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import { type Harness, sharedKnowledge, startHarness } from './harness';

const TECHS = '19:technicians@thread.tacv2';

/** Texts counted as posted messages: these users press with Action.Submit (no cards answered in place). */
const LEGACY = { legacyClient: true };

describe('Teams connector: conversation details (issue 19)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
    assert.deepEqual(
      h.channel.problems,
      [],
      'everything sent matches the Bot Framework spec and Adaptive Cards',
    );
  });

  /** Everything the bot sent to the user after the first `from` activities, as text. */
  const textsSince = (user: TeamsUser, from: number) =>
    user
      .sent()
      .slice(from)
      .map((s) => cardText(cardOf(s.activity)) || String(s.activity.text ?? ''))
      .join('\n');

  it('a hand-off the employee asks for reaches the technicians with every code, the ticket, the build and the times; the next code waits', async () => {
    h = await startHarness((channel) => ({
      technicians: { conversationId: TECHS, tenantId: 'tenant-1', serviceUrl: channel.serviceUrl },
    }));
    const user = h.user('a:details-handoff');
    await user.say('INC0012345: Windows Update fails with 0x80070002 and 0x80070003 on Windows 11');
    await user.press("Didn't help");
    let from = user.sent().length;
    await user.say('I want to talk to a human');
    assert.match(textsSince(user, from), /which Windows version or build/, 'only "Windows 11" is known');
    from = user.sent().length;
    await user.press('Windows 11 24H2');
    await h.service.connector.idle();
    const toUser = textsSince(user, from);
    assert.match(toUser, /Error code: 0x80070002/);
    assert.match(toUser, /You also mentioned 0x80070003: it's in the summary for the technician/);
    assert.equal(
      user.findButton('Yes, look at 0x80070003'),
      null,
      'no self-service is offered while the technician has it',
    );

    const [posted] = h.channel.sentTo(TECHS).filter((c) => c.kind === 'send');
    const summary = cardText(cardOf(posted?.activity));
    assert.match(summary, /Other codes: 0x80070003 \(not looked at yet\)/);
    assert.match(summary, /Tickets: INC0012345/);
    assert.match(summary, /Windows: Windows 11 24H2 \(build 26100\)/);
    assert.match(summary, /Started: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(summary, /Handed over: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(summary, /Time spent: \d+ min/);
    assert.match(summary, /didn't help/, 'the step tried, with its outcome');
    assert.match(summary, /INC0012345: Windows Update fails/, 'what the user typed');

    from = user.sent().length;
    await user.say('thanks, all sorted now');
    assert.match(textsSince(user, from), /You also mentioned 0x80070003\. Shall we look at it now\?/);
    assert.ok(user.findButton('Yes, look at 0x80070003'));
  });

  it('queues a code named mid-case and offers it once the case is fixed', async () => {
    h = await startHarness();
    const user = h.user('a:details-queue', LEGACY);
    await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await user.say('now there is 0x80070005 as well');
    await user.press('No, continue');
    const from = user.sent().length;
    await user.press('Fixed it');
    const after = textsSince(user, from);
    assert.match(after, /Great, it's fixed/);
    assert.match(after, /You also mentioned 0x80070005\. Shall we look at it now\?/);
  });

  it('never shows a step again after "Didn\'t help", even when a finding points back to it', async () => {
    h = await startHarness();
    const user = h.user('a:details-reveal');
    await user.say('Windows Setup fails with 0xc1900101 on Windows 10 22H2');
    const titles: string[] = [];
    const stepTitle = () =>
      user
        .sent()
        .map((s) => cardText(cardOf(s.activity)))
        .filter((t) => /Step \d+ of \d+\n/.test(t))
        .at(-1)
        ?.match(/Step \d+ of \d+\n(.+)/)?.[1] ?? '';
    const driver = sharedKnowledge().kb.steps.get('update-driver-from-vendor')?.title.en;
    assert.ok(driver);
    for (let guard = 0; !user.findButton('It names a driver as the cause'); guard++) {
      assert.ok(guard < 8, `SetupDiag never came: ${titles}`);
      titles.push(stepTitle());
      await user.press("Didn't help");
    }
    assert.ok(titles.includes(driver), `the vendor's driver was tried: ${titles}`);
    await user.press('It names a driver as the cause');
    assert.notEqual(stepTitle(), driver);
    assert.ok(!titles.includes(stepTitle()), `${stepTitle()} was shown before`);
  });

  it('takes what the employee found in their own words ("KB5034441 が失敗") and follows it', async () => {
    const bot = createBot({ knowledge: historyKnowledge(sharedKnowledge()), clock: steppingClock() });
    h = await startHarness({ bot });
    const user = h.user('a:details-typed', { locale: 'ja-JP' });
    await user.say('Windows 11 23H2 の Windows Update で 0x800f0922 が出ます');
    assert.ok(user.findButton(/KB 番号の付いた更新/), 'the findings are buttons too');
    let from = user.sent().length;
    await user.say('よく分からない');
    const hint = textsSince(user, from);
    assert.match(hint, /「解決した」「解決しない」「スキップ」/);
    assert.doesNotMatch(hint, /ボタン/);
    from = user.sent().length;
    await user.say('KB5034441 が失敗');
    const catalog = sharedKnowledge().kb.steps.get('manual-catalog-install')?.title.ja ?? '';
    assert.ok(catalog);
    assert.ok(textsSince(user, from).includes(catalog), 'the step the finding leads to');
  });

  it('asks once whether the employee can run things as administrator, and leaves those steps to IT when not', async () => {
    const bot = createBot({
      knowledge: sharedKnowledge(),
      store: new InMemoryConversationStore(),
      clock: steppingClock(),
      defaultLocale: 'en',
      employeesAreAdmins: 'ask',
    });
    h = await startHarness({ bot });
    const user = h.user('a:details-admin', LEGACY);
    await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const question = cardOf(user.sent().at(-1)?.activity);
    assert.match(cardText(question), /Can you run programs as administrator on this PC\?/);
    assert.deepEqual(
      submitActions(question).map((a) => a.title),
      ['Yes, I can', "No, I can't", "I don't know"],
    );
    const from = user.sent().length;
    await user.press("No, I can't");
    assert.match(textsSince(user, from), /Steps that need administrator rights are left to the technician/);
    for (let guard = 0; user.findButton("Didn't help") && guard < 10; guard++) {
      const card = cardText(cardOf(user.sent().at(-1)?.activity));
      assert.match(card, /no administrator rights needed/, 'every step the employee gets');
      await user.press("Didn't help");
    }
    await user.say('Windows Update fails with 0x80070003 on Windows 11 23H2');
    assert.doesNotMatch(
      cardText(cardOf(user.sent().at(-1)?.activity)),
      /Can you run programs as administrator/,
      'asked once',
    );
  });
});
