import assert from 'node:assert/strict';
import {
  buttonPress,
  directMessage,
  eventPost,
  postToSlackEndpoint,
  sign,
} from '../../helpers/slack-requests';
import { nextEventId, SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const U1 = 'U0000USER1';
const DM = 'D0000DM001';

describe('Slack connector over HTTP (signed requests, fake Web API)', function () {
  this.timeout(20000);
  const suite = slackSuite({ noErrorsLogged: true });
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }],
    });
  });

  it('holds a whole DM conversation: Block Kit cards, button presses, answered cards updated in place', async () => {
    const first = await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(first.status, 200);
    assert.deepEqual(
      slack.api.of('users.info').map((c) => [c.params.user, c.params.include_locale]),
      [[U1, 'true']],
      'the locale is asked once, with include_locale',
    );
    const opening = slack.posted(DM);
    assert.ok(opening.length >= 2, 'code explanation, plan note and the first step');
    assert.ok(
      opening.every((m) => m.thread_ts === undefined),
      'a DM is answered in the DM, not in a thread',
    );
    assert.match(textOf(opening[0]), /0x80070002 — ERROR_FILE_NOT_FOUND/);
    const card1 = slack.card(DM);
    assert.match(textOf(card1), /Step 1 of \d+/);
    assert.match(
      textOf(card1),
      /Risk: (low|medium|high) · /,
      'a context line with risk/admin/reboot/minutes',
    );
    const headers = card1.blocks.filter((b) => b.type === 'header');
    assert.equal(headers.length, 1);
    const buttons = card1.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Record<string, unknown>[]);
    assert.deepEqual(
      buttons.map((b) => (b.text as { text: string }).text),
      ['Fixed it', "Didn't help", 'Skip'],
    );
    assert.equal(buttons[0]?.style, 'primary');
    const value = JSON.parse(String(buttons[1]?.value));
    assert.deepEqual(value.action.verb, 'outcome');
    assert.equal(value.action.outcome, 'didnt-help');
    assert.match(value.card, /^m\d+$/);
    const stored = await slack.references.getCardMessage('slack', `T0001:${DM}#${value.card}`);
    assert.equal(stored, card1.ts, 'the card message ts is kept per card');

    const posted = slack.posted(DM).length;
    const press = await slack.press(card1, "Didn't help", U1);
    assert.equal(press.status, 200);
    // One call per press: the press's response_url replaces the pressed message with the next step.
    assert.deepEqual(
      slack.api.replacedThroughResponseUrl(DM).map((c) => c.params.ts),
      [card1.ts],
    );
    assert.equal(slack.api.of('chat.update').length, 0);
    const card2 = slack.card(DM);
    assert.equal(card2.ts, card1.ts, 'the case moves on in the same message');
    assert.match(textOf(card2), /^:leftwards_arrow_with_hook: .+ — didn't help\n/, 'the record of the press');
    assert.match(textOf(card2), /Step 2 of/);
    assert.doesNotMatch(textOf(card2), /Step 1 of/);

    await slack.press(card2, 'Skip', U1);
    const card3 = slack.card(DM);
    assert.match(textOf(card3), /Step 3 of/);
    await slack.press(card3, 'Fixed it', U1);
    assert.equal(slack.api.replacedThroughResponseUrl(DM).length, 3, 'every press moved the card on');
    assert.equal(slack.api.of('chat.update').length, 0);
    const last = slack.api.messages.find((m) => m.ts === card1.ts);
    assert.ok(last && !last.blocks.some((b) => b.type === 'actions'), 'the summary has no buttons');
    const after = slack.posted(DM).slice(posted).map(textOf);
    assert.ok(
      after.every((text) => !/Step \d of|Great, it's fixed/.test(text)),
      `no step or summary posted as a new message: ${after.join(' | ')}`,
    );
    assert.ok(
      slack.posted(DM).some((m) => /:white_check_mark: Great, it's fixed/.test(textOf(m))),
      'the summary',
    );
    const state = await slack.state(`T0001:${DM}`);
    assert.equal(state?.openCard, null);
    assert.equal(slack.api.of('users.info').length, 1, 'the profile is cached');
    assert.equal(slack.api.ephemerals.length, 0);
  });

  it('shows commands verbatim in preformatted rich text', async () => {
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    let guard = 0;
    while (!slack.card(DM).blocks.some((b) => b.type === 'rich_text') && guard++ < 15) {
      await slack.press(slack.card(DM), 'Skip', U1);
    }
    const card = slack.card(DM);
    const rich = card.blocks.find((b) => b.type === 'rich_text') as {
      elements: { type: string; elements: { text: string }[] }[];
    };
    assert.ok(rich, 'some step of the plan has a command');
    assert.equal(rich.elements[0]?.type, 'rich_text_preformatted');
    assert.ok((rich.elements[0]?.elements[0]?.text ?? '').length > 0);
    assert.doesNotMatch(rich.elements[0]?.elements[0]?.text ?? '', /&amp;|&lt;|&gt;/, 'not escaped');
  });

  it('acknowledges before doing the work', async () => {
    const release = slack.api.hold('chat.postMessage');
    const post = eventPost({ eventId: nextEventId(), event: directMessage(U1, DM, 'hello') });
    const result = await postToSlackEndpoint(slack.url, post);
    assert.equal(result.status, 200, 'acknowledged while the reply is still on its way');
    assert.ok(result.ms < 3000);
    await slack.api.waitFor('chat.postMessage', 1);
    assert.equal(slack.posted(DM).length, 0, 'the reply was held back');
    release();
    await slack.connector.idle();
    assert.ok(slack.posted(DM).length > 0);
  });

  describe('refuses requests that Slack did not sign', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, (body: string) => { timestamp?: number; signature?: string | null }][] = [
      ['unsigned', () => ({ signature: null })],
      ['badly signed', (body) => ({ signature: sign(body, now(), 'another-secret') })],
      ['signed over another body', () => ({ signature: sign('{"type":"event_callback"}', now()) })],
      ['6 minutes old', (body) => ({ timestamp: now() - 360, signature: sign(body, now() - 360) })],
      ['6 minutes in the future', (body) => ({ timestamp: now() + 360, signature: sign(body, now() + 360) })],
    ];
    for (const [name, options] of cases) {
      it(`${name}: 401, no Web API call, no state`, async () => {
        const post = eventPost({ eventId: nextEventId(), event: directMessage(U1, DM, '0x80070002') });
        const result = await slack.send(post, options(post.body));
        assert.equal(result.status, 401);
        assert.deepEqual(slack.api.effects, []);
        assert.equal(slack.store.size, 0);
        assert.equal(await slack.references.getReference('slack', `T0001:${DM}`), null);
        assert.ok(slack.logger.at('warn').some((l) => /refused a request/.test(l)));
      });
    }

    it('a button press with a bad signature changes nothing either', async () => {
      await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
      const before = slack.api.calls.length;
      const state = await slack.state(`T0001:${DM}`);
      const press = buttonPress(slack.card(DM), 'Skip', U1);
      const result = await slack.send(press, { signature: sign(press.body, now(), 'wrong') });
      assert.equal(result.status, 401);
      assert.equal(slack.api.calls.length, before);
      assert.deepEqual(await slack.state(`T0001:${DM}`), state);
    });

    it('accepts a request 4 minutes old (inside the window)', async () => {
      const post = eventPost({ eventId: nextEventId(), event: directMessage(U1, DM, 'hello') });
      const result = await slack.send(post, {
        timestamp: now() - 240,
        signature: sign(post.body, now() - 240),
      });
      assert.equal(result.status, 200);
      assert.ok(slack.posted(DM).length > 0);
    });
  });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' });
    const result = await slack.send({ body, contentType: 'application/json' });
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(result.body), { challenge: 'c-123' });
  });

  it('handles a retried event once (X-Slack-Retry-Num, same event_id)', async () => {
    const post = eventPost({
      eventId: 'Ev0RETRY01',
      event: directMessage(U1, DM, 'Windows Update fails with 0x80070002'),
    });
    assert.equal((await slack.send(post)).status, 200);
    const posted = slack.posted(DM).length;
    const version = (await slack.state(`T0001:${DM}`))?.version;
    const retry = await slack.send(post, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    assert.equal(retry.status, 200, 'a retry is acknowledged');
    const again = await slack.send(post);
    assert.equal(again.status, 200);
    assert.equal(slack.posted(DM).length, posted, 'nothing posted again');
    assert.equal((await slack.state(`T0001:${DM}`))?.version, version, 'the conversation did not move');
  });

  it('handles a retry whose first delivery never arrived', async () => {
    const post = eventPost({ eventId: 'Ev0LOST001', event: directMessage(U1, DM, 'hello') });
    await slack.send(post, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } });
    const posted = slack.posted(DM).length;
    assert.ok(posted > 0, 'the retry is the first time we see the event');
    await slack.send(post, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } });
    assert.equal(slack.posted(DM).length, posted);
  });

  it('refuses a press on an answered card politely, and ignores the same press delivered twice', async () => {
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    // As a client that has not seen the update yet still shows it.
    const card1 = structuredClone(slack.card(DM));
    const press = buttonPress(card1, "Didn't help", U1);
    await slack.send(press);
    const calls = slack.api.effects.length;
    const state = await slack.state(`T0001:${DM}`);

    await slack.send(press);
    assert.equal(slack.api.effects.length, calls, 'the very same press again: nothing at all');

    await slack.press(card1, 'Fixed it', U1);
    assert.equal(
      slack.api.of('chat.update').length + slack.api.of('response_url').length,
      1,
      'no card updated: only the first press moved it on',
    );
    assert.equal(
      slack.api.effects.filter((c) => c.method === 'chat.postMessage').length,
      slack.posted(DM).length,
    );
    assert.equal(slack.api.ephemerals.length, 1, 'one reply, to the presser only');
    const ephemeral = slack.api.ephemerals[0]?.params ?? {};
    assert.deepEqual([ephemeral.channel, ephemeral.user], [DM, U1]);
    assert.equal(ephemeral.text, 'That card has already been answered.');
    const after = await slack.state(`T0001:${DM}`);
    assert.ok(state && after);
    for (const key of ['phase', 'plan', 'index', 'openCard', 'facts', 'outcomes'] as const)
      assert.deepEqual(after[key], state[key], `${key} unchanged`);
  });

  it('starts a conversation in a thread when mentioned in a channel', async () => {
    const channel = 'C0000CHAN1';
    await slack.mention(U1, channel, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    const posted = slack.posted(channel);
    assert.ok(posted.length >= 2);
    const thread = posted[0]?.thread_ts;
    assert.ok(thread, 'replies go in a thread');
    assert.ok(posted.every((m) => m.thread_ts === thread));
    assert.doesNotMatch(posted.map(textOf).join('\n'), /UBOT/, 'the bot mention is not taken as words');
    const card = slack.card(channel);
    await slack.press(card, 'Skip', U1);
    assert.deepEqual(
      slack.api.replacedThroughResponseUrl().map((c) => [c.params.channel, c.params.ts]),
      [[channel, card.ts]],
    );
    assert.ok(await slack.state(`T0001:${channel}:${thread}`));
    assert.match(textOf(slack.card(channel)), /Step 2 of/, 'the press belongs to the thread conversation');

    await slack.mention(U1, channel, 'I want to talk to a human', thread);
    assert.ok(slack.posted(channel, thread).some((m) => /Summary for the technician/.test(textOf(m))));
  });

  it('ignores the bot’s own messages and message edits', async () => {
    const own = { ...directMessage('UBOT0001', DM, 'hello'), bot_id: 'B0001' };
    await slack.send(eventPost({ eventId: nextEventId(), event: own }));
    const edited = { ...directMessage(U1, DM, 'hello'), subtype: 'message_changed' };
    await slack.send(eventPost({ eventId: nextEventId(), event: edited }));
    assert.deepEqual(slack.api.effects, []);
  });
});

describe('Slack connector: locale and technicians', function () {
  this.timeout(20000);
  const suite = slackSuite();

  it('answers a message without enough words to tell its language in the user’s Slack locale', async () => {
    const slack = await new SlackHarness(suite.knowledge, {
      users: [{ id: 'U0000JA001', name: 'k', real_name: 'Kenji', locale: 'ja-JP' }],
    }).start();
    try {
      await slack.dm('U0000JA001', 'D0000JA001', 'Windows Update 0x80070002');
      assert.match(slack.posted('D0000JA001').map(textOf).join('\n'), /[\u3040-\u30ff]/, 'Japanese');
      assert.equal((await slack.state('T0001:D0000JA001'))?.who.displayName, 'Kenji');
    } finally {
      await slack.stop();
    }
  });

  it('takes the language from the message without users:read, and stops asking', async () => {
    const slack = await new SlackHarness(suite.knowledge, {
      scopes: ['chat:write'],
      users: [{ id: 'U0000RU001', name: 'i', real_name: 'Ivan', locale: 'ja-JP' }],
    }).start();
    try {
      await slack.dm('U0000RU001', 'D0000RU001', 'Не устанавливается обновление, ошибка 0x80070002');
      assert.match(slack.posted('D0000RU001').map(textOf).join('\n'), /[\u0400-\u04ff]/, 'Russian');
      await slack.dm('U0000RU001', 'D0000RU001', 'привет');
      assert.equal(slack.api.of('users.info').length, 1, 'missing_scope stops the look-ups');
      assert.ok(slack.logger.at('info').some((l) => /users:read/.test(l)));
    } finally {
      await slack.stop();
    }
  });

  it('copies hand-off summaries to the technicians’ channel when configured', async () => {
    const slack = await new SlackHarness(suite.knowledge, {
      settings: { technicianChannel: 'C0000TECH1', technicians: ['U0000TECH1'] },
    }).start();
    try {
      await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
      await slack.dm(U1, DM, 'I want to talk to a human');
      const tech = slack.posted('C0000TECH1');
      assert.equal(tech.length, 1);
      assert.match(textOf(tech[0]), new RegExp(`<@${U1}>`));
      assert.match(textOf(tech[0]), /0x80070002/);
      assert.equal(tech[0]?.thread_ts, undefined);
      const toUser = slack.posted(DM).at(-1);
      assert.ok(
        toUser?.blocks.some((b) => b.type === 'header'),
        'the user sees the summary too',
      );
    } finally {
      await slack.stop();
    }
  });

  it('reports a technicians’ channel the bot cannot post to, and still answers the user', async () => {
    const slack = await new SlackHarness(suite.knowledge, {
      notInChannels: ['C0000GONE1'],
      settings: { technicianChannel: 'C0000GONE1' },
    }).start();
    try {
      await slack.dm(U1, DM, 'I want to talk to a human');
      assert.ok(
        slack.posted(DM).some((m) => m.blocks.some((b) => b.type === 'header')),
        'the user got the summary',
      );
      assert.ok(slack.logger.at('error').some((l) => /C0000GONE1.*not_in_channel/.test(l)));
    } finally {
      await slack.stop();
    }
  });
});
