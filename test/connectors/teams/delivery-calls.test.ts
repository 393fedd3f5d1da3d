/**
 * The calls to the Teams channel in a turn: the fields of posted texts and cards, none per press with
 * Universal Actions, and one POST and one PUT per press for older clients, with nothing the core said lost.
 */
import assert from 'node:assert/strict';
import type { Bot, OutgoingMessage } from '../../../bot';
import type { ChannelCall } from '../../helpers/fake-bot-connector';
import { cardOf, cardText, submitActions } from '../../helpers/teams-user';
import { CODE_MESSAGE, closeAfterEach } from './delivery-fixtures';
import { type Harness, realBot, startHarness } from './harness';

/** A real bot that also keeps what it answered, turn by turn. */
function recordingBot(): { bot: Bot; turns: OutgoingMessage[][] } {
  const inner = realBot();
  const turns: OutgoingMessage[][] = [];
  return {
    turns,
    bot: {
      async handle(input) {
        const messages = await inner.handle(input);
        turns.push(messages);
        return messages;
      },
    },
  };
}

/** What a user reads of one activity, as it was posted (not its later edits). */
function shown(call: ChannelCall): string {
  return [typeof call.activity.text === 'string' ? call.activity.text : '', cardText(cardOf(call.activity))]
    .filter((part) => part !== '')
    .join('\n');
}

/** Lines that must be readable somewhere for a message the core said (null: an edit, not a message). */
function needles(message: OutgoingMessage): string[] | null {
  switch (message.kind) {
    case 'card-update':
      return null;
    case 'step':
      return [message.heading, message.title];
    case 'code':
      return [message.heading];
    case 'summary':
      return [`✔ ${message.text}`];
    default:
      return [message.text];
  }
}

/** Every message of the turn is readable in the posted activities, in the order the core said them. */
function assertNothingLost(posted: ChannelCall[], said: OutgoingMessage[]): void {
  const transcript = posted.map(shown).join('\n');
  let from = 0;
  for (const message of said)
    for (const needle of needles(message) ?? []) {
      const at = transcript.indexOf(needle, from);
      assert.ok(at >= 0, `"${needle}" (${message.kind}) is shown after what came before it:\n${transcript}`);
      from = at + needle.length;
    }
}

const kinds = (calls: ChannelCall[]) => calls.map((c) => (c.kind === 'update' ? 'PUT' : 'POST')).sort();

describe('Teams connector: calls to the channel per turn', () => {
  let h: Harness;
  let turns: OutgoingMessage[][];
  closeAfterEach(() => h);

  it('posts texts and cards with the fields the SDK factories give (plain text format, list layout, summary)', async () => {
    const recording = recordingBot();
    turns = recording.turns;
    h = await startHarness({ bot: recording.bot });
    const user = h.user('a:1delivery-fields');
    await user.say('hello');
    await user.say(CODE_MESSAGE);
    const posted = h.channel.sentTo(user.conversationId).map((c) => c.activity);
    const texts = posted.filter((a) => cardOf(a) === null);
    const cards = posted.filter((a) => cardOf(a) !== null);
    assert.ok(texts.length > 0 && cards.length >= 2, `texts ${texts.length}, cards ${cards.length}`);
    for (const a of texts) {
      assert.equal(a.type, 'message');
      assert.equal(a.textFormat, 'plain', 'ERROR_FILE_NOT_FOUND must not turn into italics');
      assert.equal(a.inputHint, 'acceptingInput');
      assert.ok(typeof a.text === 'string' && a.text.length > 0);
    }
    for (const a of cards) {
      assert.equal(a.type, 'message');
      assert.equal(a.attachmentLayout, 'list');
      assert.equal(a.inputHint, 'acceptingInput');
      assert.equal((a.attachments as unknown[]).length, 1);
      assert.ok(typeof a.summary === 'string' && a.summary.length > 0);
      assert.equal(a.text, undefined, 'a card activity carries no text (Teams would split it)');
    }
    assert.match(String(cards.at(-1)?.summary), /^Step 1 of \d+: /);
    assert.deepEqual(h.channel.problems, []);
  });

  it('Universal Actions: no call to the channel per "Didn\'t help"; the next step comes back in the invoke answer', async () => {
    const recording = recordingBot();
    turns = recording.turns;
    h = await startHarness({ bot: recording.bot });
    const user = h.user('a:1delivery-execute');
    await user.say(CODE_MESSAGE);
    const caseCard = user.findButton("Didn't help");
    assert.equal(caseCard?.type, 'Action.Execute');
    const firstStep = turns.at(-1)?.find((m) => m.kind === 'step');
    const firstTitle = firstStep?.kind === 'step' ? firstStep.title : '';
    for (let press = 0; press < 3; press++) {
      const before = h.channel.calls.length;
      const r = await user.press("Didn't help");
      assert.equal(r.status, 200);
      assert.deepEqual(h.channel.calls.slice(before), [], 'no PUT, no POST: the answer carries the card');
      assert.equal(r.activityId, caseCard?.activityId, 'one card moves on in place');
      assert.equal(r.invoke?.statusCode, 200);
      assert.equal(r.invoke?.type, 'application/vnd.microsoft.card.adaptive');
      const shownNow = cardText(r.invoke?.value);
      assert.match(shownNow, new RegExp(`\\nStep ${press + 2} of \\d+\\n`));
      const record = shownNow.split('\n')[0] as string;
      assert.match(record, /— didn't help$/i, 'one line says what was tried, above the step');
      if (press === 0) assert.equal(record, `${firstTitle} — didn't help`);
      assert.deepEqual(
        submitActions(r.invoke?.value)
          .slice(0, 3)
          .map((a) => [a.type, a.title]),
        [
          ['Action.Execute', 'Fixed it'],
          ['Action.Execute', "Didn't help"],
          ['Action.Execute', 'Skip'],
        ],
      );
    }
    // A typed answer closes the card that moved on in place (its activity id was kept): one PUT.
    const before = h.channel.calls.length;
    await user.say('start over');
    assert.deepEqual(kinds(h.channel.calls.slice(before)), ['POST', 'PUT']);
    const closed = h.channel.activities.get(caseCard?.activityId as string)?.activity;
    assert.deepEqual(submitActions(cardOf(closed)), []);
    assert.match(cardText(cardOf(closed)), /Started over$/);
  });

  it('older clients (Action.Submit): one POST and one PUT per "Didn\'t help"; nothing lost; no activity mixes text and a card', async () => {
    const recording = recordingBot();
    turns = recording.turns;
    h = await startHarness({ bot: recording.bot });
    const user = h.user('a:1delivery', { legacyClient: true });
    const turn = async (act: () => Promise<{ status: number }>) => {
      const before = h.channel.calls.length;
      const result = await act();
      assert.equal(result.status, 200);
      const calls = h.channel.calls.slice(before);
      assert.ok(calls.every((c) => c.status < 300));
      assertNothingLost(
        calls.filter((c) => c.kind !== 'update'),
        turns.at(-1) ?? [],
      );
      return calls;
    };

    // Code card, then the plan's introduction drawn on top of the first step's card.
    let calls = await turn(() => user.say(CODE_MESSAGE));
    assert.deepEqual(kinds(calls), ['POST', 'POST']);
    assert.deepEqual(
      turns.at(-1)?.map((m) => m.kind),
      ['code', 'text', 'step'],
      'the core said three things (three POSTs before)',
    );

    for (let press = 0; press < 2; press++) {
      const step = user.findButton("Didn't help");
      assert.ok(step);
      calls = await turn(() => user.press("Didn't help"));
      assert.deepEqual(kinds(calls), ['POST', 'PUT']);
      const put = calls.find((c) => c.kind === 'update');
      assert.equal(put?.activityId, step.activityId, 'the answered step is edited in place');
      assert.deepEqual(submitActions(cardOf(put?.activity)), []);
      const next = calls.find((c) => c.kind !== 'update');
      assert.match(cardText(cardOf(next?.activity)), new RegExp(`^Step ${press + 2} of \\d+\\n`));
      // The new card's id was stored from the answer to its POST: the next press finds and edits it.
      assert.equal(user.findButton("Didn't help")?.activityId, next?.id);
    }

    // "start over": the open step is closed (PUT) and the acknowledgement rides on the question card.
    calls = await turn(() => user.say('start over'));
    assert.deepEqual(
      turns.at(-1)?.map((m) => m.kind),
      ['card-update', 'text', 'question'],
    );
    assert.deepEqual(kinds(calls), ['POST', 'PUT']);
    const acknowledged = calls.find((c) => c.kind !== 'update');
    assert.match(shown(acknowledged as ChannelCall), /^OK, let's start over\.\n/);

    // Pressing the question's button edits it: its id was stored from the activity that carried it.
    const questionId = acknowledged?.id as string;
    calls = await turn(() => user.say(CODE_MESSAGE));
    assert.deepEqual(kinds(calls), ['POST', 'POST', 'PUT']);
    assert.equal(h.channel.updatesOf(questionId).length, 1);
    const redrawn = h.channel.activities.get(questionId)?.activity;
    assert.match(cardText(cardOf(redrawn)), /^OK, let's start over\.\n/, 'the redraw keeps the text on top');

    const mixed = h.channel.calls.filter(
      (c) => typeof c.activity.text === 'string' && c.activity.text !== '' && cardOf(c.activity) !== null,
    );
    assert.deepEqual(mixed, [], 'Teams would split such an activity and answer without its id');
  });
});
