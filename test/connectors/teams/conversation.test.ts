import assert from 'node:assert/strict';
import { cardOf, cardText, submitActions } from '../../helpers/teams-user';
import { type Harness, startHarness } from './harness';

describe('Teams connector: a conversation over HTTP', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
    assert.deepEqual(
      h.channel.problems,
      [],
      'everything the bot sent conforms to the spec and Adaptive Cards 1.5',
    );
  });

  it('asks for context and OS, walks the steps and ends with a summary on one card that moves on in place', async () => {
    const user = h.user('a:1conv-walk');
    const first = await user.say('I get error 0x80070002');
    assert.equal(first.status, 200);
    let sent = user.sent();
    assert.ok(
      sent.every((s) => s.call.kind === 'reply'),
      'in-turn answers reply to the message',
    );
    const code = cardOf(sent[0]?.activity);
    assert.match(cardText(code), /0x80070002 — ERROR_FILE_NOT_FOUND \(WIN32\)/);
    const question = sent.at(-1);
    assert.match(cardText(cardOf(question?.activity)), /Where did the error appear\?/);
    assert.ok(submitActions(cardOf(question?.activity)).length >= 5, 'one button per context');

    // Universal Actions: each answer comes back in the invoke's answer and replaces the pressed card.
    const caseCard = question?.call.id as string;
    let r = await user.press('Windows Update');
    assert.equal(r.status, 200);
    assert.equal(r.activityId, caseCard);
    assert.deepEqual(h.channel.updatesOf(caseCard), [], 'no PUT: the card came back in the answer');
    assert.match(
      cardText(r.invoke?.value),
      /^Windows Update\n.+\nWhich Windows version is this PC running\?/,
    );

    r = await user.press('Windows 11 23H2');
    assert.equal(r.status, 200);
    assert.equal(r.activityId, caseCard, 'the case stays on one card');
    sent = user.sent();
    assert.equal(sent.length, 2, 'nothing new posted: code card and the case card');
    const step1Card = cardOf(sent.at(-1)?.activity);
    // The answer, then what is said just before the first step is drawn on top of its card: Windows 11
    // 23H2 (Home/Pro) is out of servicing, which comes first, then the plan's introduction.
    assert.match(
      cardText(step1Card),
      /^Windows 11 23H2\nMicrosoft stopped security and quality updates for Windows 11 23H2 .*\nHere are 8 steps you can try yourself.*\nStep 1 of 8\n/,
    );
    assert.deepEqual(
      submitActions(step1Card)
        .slice(0, 3)
        .map((a) => a.title),
      ['Fixed it', "Didn't help", 'Skip'],
    );
    const step1Button = user.findButton('Fixed it');

    r = await user.press("Didn't help");
    assert.equal(r.activityId, caseCard);
    const step2 = cardText(cardOf(h.channel.activities.get(caseCard)?.activity));
    assert.match(step2, /^.+ — didn't help\nStep 2 of 8\n/);

    r = await user.press('Fixed it');
    assert.equal(r.activityId, caseCard);
    const summary = cardText(cardOf(h.channel.activities.get(caseCard)?.activity));
    assert.deepEqual(submitActions(cardOf(h.channel.activities.get(caseCard)?.activity)), []);
    assert.match(summary, /^.+ — fixed it\n✔ Great, it's fixed: ".+" solved 0x80070002\./);
    assert.match(summary, /didn't help\n• .+ — fixed it$/);
    // A whole case: the code card, the case card, and what the bot says after the summary.
    assert.deepEqual(
      user
        .sent()
        .slice(2)
        .map((s) => s.activity.text),
      ['If the problem comes back, just write to me again.'],
    );

    // A client still showing an old version of the card: a press on it is refused.
    const stale = await user.execute(caseCard, 'winfix', step1Button?.data);
    assert.equal(stale.invoke.type, 'application/vnd.microsoft.activity.message');
    assert.equal(user.sent().at(-1)?.activity.text, 'That card has already been answered.');
    // And so is an Action.Submit from an older client (a message whose value is the button's data).
    await user.pressStale(caseCard, step1Button?.data);
    assert.equal(user.sent().at(-1)?.activity.text, 'That card has already been answered.');
    assert.equal(user.sent().length, 5);
  });

  it('answers in the user’s Teams locale and strips the @mention in a channel', async () => {
    const user = h.user('19:channel@thread.tacv2;messageid=1', {
      locale: 'ja-JP',
      conversationType: 'channel',
    });
    const r = await user.say('<at>winfix</at> Windows Update で 0x80070002 が出ます', {
      entities: [
        { type: 'mention', text: '<at>winfix</at>', mentioned: { id: '28:winfix-bot', name: 'winfix' } },
      ],
    });
    assert.equal(r.status, 200);
    const texts = user.sent().map((s) => cardText(cardOf(s.activity)) || String(s.activity.text));
    assert.match(texts.join('\n'), /[\u3040-\u30ff]/, 'answered in Japanese');
    assert.ok(user.findButton(/Windows 11/), 'asks for the OS (the message named the context)');
  });

  it('ignores activities that are not messages but still answers 200', async () => {
    const user = h.user('a:1conv-update');
    const r = await user.post(
      user.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:winfix-bot' }], text: undefined }),
    );
    assert.equal(r.status, 200);
    assert.equal(user.sent().length, 0);
  });
});
