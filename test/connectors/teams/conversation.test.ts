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

  it('asks for context and OS, walks the steps, updates answered cards in place, ends with a summary', async () => {
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

    let r = await user.press('Windows Update');
    assert.equal(r.status, 200);
    const [contextUpdate] = h.channel.updatesOf(r.activityId);
    assert.ok(contextUpdate, 'the context question is updated in place (PUT)');
    assert.deepEqual(
      submitActions(cardOf(contextUpdate.activity)),
      [],
      'no buttons left on the answered card',
    );
    assert.match(cardText(cardOf(contextUpdate.activity)), /Where did the error appear\?\nWindows Update$/);

    r = await user.press('Windows 11 23H2');
    assert.equal(r.status, 200);
    assert.equal(h.channel.updatesOf(r.activityId).length, 1);
    sent = user.sent();
    const step1 = sent.at(-1);
    const step1Card = cardOf(step1?.activity);
    // What is said just before the first step is drawn on top of its card: Windows 11 23H2 (Home/Pro)
    // is out of servicing, which comes first, then the plan's introduction.
    assert.match(
      cardText(step1Card),
      /^Microsoft stopped security and quality updates for Windows 11 23H2 .*\nHere are 8 steps you can try yourself.*\nStep 1 of 8\n/,
    );
    assert.deepEqual(
      submitActions(step1Card)
        .slice(0, 3)
        .map((a) => a.title),
      ['Fixed it', "Didn't help", 'Skip'],
    );
    assert.match(String(step1?.activity.summary), /^Step 1 of 8: /);

    r = await user.press("Didn't help");
    assert.equal(r.activityId, step1?.call.id);
    const step1Now = h.channel.activities.get(r.activityId)?.activity;
    assert.deepEqual(submitActions(cardOf(step1Now)), [], 'the answered step has no buttons');
    assert.match(cardText(cardOf(step1Now)), /didn't help$/);
    assert.match(
      cardText(cardOf(step1Now)),
      /\nHere are 8 steps you can try yourself.*\nStep 1 of/,
      'the step stays readable, with the text drawn on top of it',
    );
    const step2 = user.sent().at(-1);
    assert.match(cardText(cardOf(step2?.activity)), /^Step 2 of 8\n/);

    r = await user.press('Fixed it');
    assert.equal(r.activityId, step2?.call.id);
    assert.deepEqual(submitActions(cardOf(h.channel.activities.get(r.activityId)?.activity)), []);
    const summaryActivity = user.sent().find((s) => /^✔/.test(cardText(cardOf(s.activity))));
    const summary = cardText(cardOf(summaryActivity?.activity));
    assert.match(summary, /^✔ Great, it's fixed: ".+" solved 0x80070002\./);
    assert.match(summary, /didn't help\n• .+ — fixed/);

    // Teams still shows the old buttons to a client that missed the update: a press is refused.
    const stale = submitActions(cardOf(step1?.activity)).find((a) => a.title === 'Fixed it');
    await user.pressStale(step1?.call.id as string, stale?.data);
    assert.equal(user.sent().at(-1)?.activity.text, 'That card has already been answered.');
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
