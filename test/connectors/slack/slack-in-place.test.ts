/**
 * Issue 15 for Slack (decision 0035): a press is answered by replacing the pressed message in place,
 * one call per press, through the press's `response_url` (the fake Slack API serves it as Slack
 * documents it); `chat.update` of the pressed message when the response_url is expired, fails or is not
 * Slack's; the old close-and-post path only when both fail. Hand-offs are still posted.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PostedMessage } from '../../helpers/fake-slack-api';
import { buttonPress } from '../../helpers/slack-requests';
import { hasButtons, type SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const U1 = 'U0000PLACE1';
const DM = 'D0000PLACE1';
const TECHS = 'C0000TECHS1';
const CASE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';
const RECORD = ':leftwards_arrow_with_hook:';

/** The step title in a card's header ("Step 1 of 8: Restart the PC and try again"). */
function stepTitle(card: PostedMessage): string {
  const header = card.blocks.find((b) => b.type === 'header') as { text?: { text?: string } } | undefined;
  const title = /^[^:]+: (.+)$/.exec(header?.text?.text ?? '')?.[1];
  assert.ok(title, `a step header in ${textOf(card)}`);
  return title;
}

describe('Slack connector: the pressed card moves on in place, one call per press', function () {
  this.timeout(30000);
  const suite = slackSuite({ noErrorsLogged: true });
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }],
      settings: { technicianChannel: TECHS },
    });
  });

  /** Presses `label` on the latest card and returns the calls the press made (other than auth.test). */
  async function press(label: string, options: { responseUrl?: string | null } = {}) {
    const before = slack.api.effects.length;
    const card = slack.card(DM);
    await slack.send(buttonPress(card, label, U1, options));
    return { card, calls: slack.api.effects.slice(before) };
  }

  it('a case with code and OS, then three "Didn\'t help": one response_url call each, one message that moves on', async () => {
    await slack.dm(U1, DM, CASE);
    const opening = slack.posted(DM).length;
    const first = slack.card(DM);
    assert.match(textOf(first), /^Step 1 of 8: /);

    let previous = first;
    for (const step of [2, 3, 4]) {
      const title = stepTitle(previous);
      const { calls } = await press("Didn't help");
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.channel, c.params.ts, c.answer]),
        [['response_url', DM, first.ts, 'ok']],
        `press ${step - 1}: exactly one call, to the press's response_url`,
      );
      assert.equal(calls[0]?.params.replace_original, true);
      assert.equal(slack.posted(DM).length, opening, 'nothing new posted');
      const card = slack.card(DM);
      assert.equal(card.ts, first.ts, 'the same message moved on');
      const text = textOf(card);
      assert.ok(
        text.startsWith(`${RECORD} ${title} — didn't help\nStep ${step} of 8: `),
        `the record of the press, then step ${step}: ${text.slice(0, 200)}`,
      );
      assert.doesNotMatch(text, new RegExp(`Step ${step - 1} of 8`));
      assert.match(
        String(calls[0]?.params.text),
        new RegExp(`^${title.replace(/[()]/g, '\\$&')} — didn't help\n`),
      );
      previous = card;
    }
    assert.equal(slack.api.of('chat.update').length, 0);
    assert.equal(slack.api.replacedThroughResponseUrl(DM).length, 3);

    // A typed answer later still closes the card where it now is, with what it showed.
    await slack.dm(U1, DM, 'I want to talk to a human');
    const closes = slack.api.of('chat.update');
    assert.deepEqual(
      closes.map((c) => [c.params.channel, c.params.ts]),
      [[DM, first.ts]],
    );
    const closed = slack.api.messages.find((m) => m.ts === first.ts);
    assert.ok(!hasButtons(closed), 'no buttons once answered');
    assert.match(textOf(closed), /— didn't help\nStep 4 of 8: /, 'the record and the step stay');
    assert.ok(
      slack.posted(DM).some((m) => /Summary for the technician/.test(textOf(m))),
      'the hand-off is posted',
    );
  });

  it('runs out of steps: the last card is closed in place in one call and the hand-off is posted', async () => {
    await slack.dm(U1, DM, CASE);
    let last: Awaited<ReturnType<typeof press>> | null = null;
    for (let i = 0; i < 12 && hasButtons(slack.posted(DM).at(-1)); i++) {
      last = await press("Didn't help");
      if (last.calls.length > 1) break;
    }
    assert.ok(last);
    const methods = last.calls.map((c) => `${c.method}:${c.params.channel}`);
    assert.deepEqual(
      methods,
      [`response_url:${DM}`, `chat.postMessage:${DM}`, `chat.postMessage:${TECHS}`],
      'the card closed through its response_url; the hand-off posted, and copied to the technicians',
    );
    const closed = slack.api.messages.find((m) => m.ts === last?.card.ts);
    assert.ok(!hasButtons(closed));
    assert.match(textOf(closed), /Step 8 of 8: .*\n:leftwards_arrow_with_hook: didn't help$/s);
    const handoff = slack.posted(DM).at(-1);
    assert.match(textOf(handoff), /I've run out of steps.*Summary for the technician/s);
    assert.equal(slack.posted(TECHS).length, 1);
  });

  it('falls back to chat.update of the pressed message when the response_url has expired', async () => {
    await slack.dm(U1, DM, CASE);
    const card = slack.card(DM);
    const title = stepTitle(card);
    const expired = slack.api.responseUrl(card, Date.now() - 31 * 60 * 1000);
    const { calls } = await press("Didn't help", { responseUrl: expired });
    assert.deepEqual(
      calls.map((c) => [c.method, c.answer ?? 'ok']),
      [
        ['response_url', 'expired_url'],
        ['chat.update', 'ok'],
      ],
    );
    assert.equal(calls[1]?.params.ts, card.ts);
    const moved = slack.api.messages.find((m) => m.ts === card.ts);
    assert.ok(textOf(moved).startsWith(`${RECORD} ${title} — didn't help\nStep 2 of 8: `));
    assert.ok(hasButtons(moved), 'the next step, with its buttons');
    assert.ok(slack.logger.at('warn').some((l) => /response_url .*HTTP 404: expired_url/.test(l)));
    assert.ok(
      slack.logger.lines.every((l) => !l.message.includes(new URL(expired).pathname)),
      'the response_url itself is never logged',
    );

    // A URL used up: Slack allows 5 uses (here 5 messages shown to the presser alone), then used_url.
    const url = slack.api.responseUrl(slack.card(DM));
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `note ${i}` }),
      });
      assert.equal(await answer.text(), 'ok');
    }
    assert.equal(slack.api.ephemerals.length, 5);
    const used = await press('Skip', { responseUrl: url });
    assert.deepEqual(
      used.calls.map((c) => [c.method, c.answer ?? 'ok']),
      [
        ['response_url', 'used_url'],
        ['chat.update', 'ok'],
      ],
    );
    assert.match(textOf(slack.card(DM)), /— skipped\nStep 3 of 8: /);
  });

  it('does not call a response_url outside Slack’s host (even on loopback), and uses chat.update', async () => {
    const hits: string[] = [];
    const elsewhere: Server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    elsewhere.listen(0, '127.0.0.1');
    await once(elsewhere, 'listening');
    try {
      const port = (elsewhere.address() as AddressInfo).port;
      await slack.dm(U1, DM, CASE);
      const card = slack.card(DM);
      const { calls } = await press("Didn't help", {
        responseUrl: `http://127.0.0.1:${port}/actions/T0001/1/abc`,
      });
      assert.deepEqual(hits, [], 'the other server was never called');
      assert.deepEqual(
        calls.map((c) => [c.method, c.params.ts]),
        [['chat.update', card.ts]],
      );
      assert.match(textOf(slack.card(DM)), /Step 2 of 8: /);
      assert.ok(slack.logger.at('warn').some((l) => /not called \(not hooks\.slack\.com\)/.test(l)));
    } finally {
      elsewhere.closeAllConnections();
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('a press without response_url (Socket Mode payloads may lack one) moves the card on with chat.update', async () => {
    await slack.dm(U1, DM, CASE);
    const card = slack.card(DM);
    const { calls } = await press('Skip', { responseUrl: null });
    assert.deepEqual(
      calls.map((c) => [c.method, c.params.ts]),
      [['chat.update', card.ts]],
    );
    assert.match(textOf(slack.card(DM)), /— skipped\nStep 2 of 8: /);
  });

  it('when neither the response_url nor chat.update works, closes the card and posts the next one as before', async () => {
    await slack.dm(U1, DM, CASE);
    const card = slack.card(DM);
    const opening = slack.posted(DM).length;
    // A press Slack says came from a message the fake does not know: chat.update of it fails.
    const ghost = { ...card, ts: '1712000000.999999' };
    const expired = slack.api.responseUrl(card, Date.now() - 31 * 60 * 1000);
    const before = slack.api.effects.length;
    await slack.send(buttonPress(ghost, "Didn't help", U1, { responseUrl: expired }));
    const calls = slack.api.effects.slice(before);
    assert.deepEqual(
      calls.map((c) => [c.method, c.params.ts ?? null]),
      [
        ['response_url', card.ts],
        ['chat.update', ghost.ts],
        ['chat.update', card.ts],
        ['chat.postMessage', null],
      ],
    );
    assert.deepEqual(slack.api.problems, [`chat.update: no message ${ghost.ts} in ${DM}`]);
    slack.api.problems.length = 0;
    const closed = slack.api.messages.find((m) => m.ts === card.ts);
    assert.ok(!hasButtons(closed));
    assert.match(textOf(closed), /:leftwards_arrow_with_hook: didn't help$/);
    assert.equal(slack.posted(DM).length, opening + 1);
    assert.match(textOf(slack.card(DM)), /Step 2 of 8: /);
  });
});
