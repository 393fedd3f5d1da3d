import assert from 'node:assert/strict';
import {
  type Bot,
  type CardUpdate,
  InMemoryReferenceStore,
  type OutgoingMessage,
  type QuestionMessage,
} from '../../../bot';
import { PLATFORM } from '../../../connectors/teams';
import { adaptiveCardFor, withLead } from '../../../connectors/teams/adaptive-cards';
import { deliveryPlan, messagesIn } from '../../../connectors/teams/delivery-plan';
import { cardKey } from '../../../connectors/teams/teams-connector';
import { checkAdaptiveCard } from '../../helpers/adaptive-card-check';
import type { ChannelCall } from '../../helpers/fake-bot-connector';
import { cardOf, cardText, submitActions } from '../../helpers/teams-user';
import { type Harness, realBot, startHarness } from './harness';

const CODE_MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

const text = (id: string, body: string): OutgoingMessage => ({ kind: 'text', id, text: body });
const update = (id: string, cardId: string): CardUpdate => ({
  kind: 'card-update',
  id,
  cardId,
  answer: 'OK',
});
const question = (id: string): QuestionMessage => ({
  kind: 'question',
  id,
  topic: 'code',
  text: 'Which error code do you see?',
  hint: null,
  choices: [{ label: 'No code', action: { verb: 'no-code' }, style: 'default' }],
});

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

/** Reads a card's activity id only once `gate` resolves. */ class GatedReferences extends InMemoryReferenceStore {
  gate: (() => Promise<void>) | null = null;
  /** Holds saveReference the same way. */
  saveGate: (() => Promise<void>) | null = null;

  override async getCardMessage(platform: string, cardId: string): Promise<string | null> {
    await this.gate?.();
    return super.getCardMessage(platform, cardId);
  }

  override async saveReference(platform: string, conversationId: string, reference: unknown): Promise<void> {
    await this.saveGate?.();
    return super.saveReference(platform, conversationId, reference);
  }
}

const kinds = (calls: ChannelCall[]) => calls.map((c) => (c.kind === 'update' ? 'PUT' : 'POST')).sort();

describe('Teams connector: delivery plan (as few activities as the user can tell apart)', () => {
  it('draws texts said just before a card on top of it, keeps card updates apart, keeps the order', () => {
    const summary: OutgoingMessage = {
      kind: 'summary',
      id: 's',
      code: '0x80070002',
      fixedBy: { stepId: 'x', title: 'Reset Windows Update components' },
      tried: [],
      text: 'Done.',
    };
    const plan = deliveryPlan([
      summary,
      text('t1', 'Steps in my plan: 3.'),
      update('u1', 'q0'),
      text('t2', 'Second line of talk.'),
      question('q1'),
      text('t3', 'Anything else?'),
    ]);
    assert.deepEqual(
      plan.map((d) => (d.kind === 'update' ? ['update', d.update.cardId] : ['post', d.message.id, d.lead])),
      [
        ['post', 's', []],
        ['update', 'q0'],
        ['post', 'q1', ['Steps in my plan: 3.', 'Second line of talk.']],
        ['post', 't3', []],
      ],
    );
    assert.equal(
      plan.map(messagesIn).reduce((a, b) => a + b, 0),
      6,
      'every message is counted once',
    );
  });

  it('leaves texts apart before a job status or an approval card (those are not drawn by the connector)', () => {
    const status: OutgoingMessage = {
      kind: 'job-status',
      id: 'j',
      requestId: 'r',
      stage: 'started',
      ok: null,
      status: 'Running',
      text: 'The job started.',
    };
    const plan = deliveryPlan([text('t1', 'First.'), status, text('t2', 'Second.')]);
    assert.deepEqual(
      plan.map((d) => (d.kind === 'post' ? [d.message.id, d.lead.length] : null)),
      [
        ['t1', 0],
        ['j', 0],
        ['t2', 0],
      ],
    );
  });

  it('draws the lead verbatim (no markdown), line by line, in a valid card, and keeps it in the fallback', () => {
    const card = withLead(adaptiveCardFor(question('q1')), [
      'ERROR_FILE_NOT_FOUND *is* not\n- bold',
      'Next.',
    ]);
    assert.deepEqual(checkAdaptiveCard(card), []);
    assert.deepEqual(card.body.slice(0, 3), [
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'ERROR_FILE_NOT_FOUND *is* not' }] },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '- bold' }], spacing: 'None' },
      { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Next.' }] },
    ]);
    assert.equal(card.body[3]?.separator, true, 'a separator between the lead and the card');
    assert.match(cardText(card), /^ERROR_FILE_NOT_FOUND \*is\* not\n- bold\nNext\.\nWhich error code/);
    assert.equal(
      card.fallbackText,
      'ERROR_FILE_NOT_FOUND *is* not\n- bold\nNext.\nWhich error code do you see?',
    );
    assert.equal(
      withLead(adaptiveCardFor(question('q1')), []).body.length,
      adaptiveCardFor(question('q1')).body.length,
    );
  });
});

describe('Teams connector: calls to the channel per turn', () => {
  let h: Harness;
  let turns: OutgoingMessage[][];

  afterEach(async () => {
    await h.close();
    assert.deepEqual(h.channel.problems, []);
  });

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

  it('sends the card update alongside the next card, and still answers the request only after it', async () => {
    const references = new GatedReferences();
    h = await startHarness({ references });
    const user = h.user('a:1delivery-concurrent', { legacyClient: true });
    await user.say(CODE_MESSAGE);
    const step = user.findButton("Didn't help");
    assert.ok(step);
    const before = h.channel.calls.length;
    let postFirst: boolean | null = null;
    // The update's first await (reading the card's activity id) waits until the new card was posted;
    // if the update went first, this would only give up after the deadline.
    references.gate = () =>
      h.channel
        .waitFor(() => h.channel.calls.slice(before).some((c) => c.kind !== 'update'), 3000)
        .then(
          () => {
            postFirst = true;
          },
          () => {
            postFirst = false;
          },
        );
    await user.press("Didn't help");
    assert.equal(postFirst, true, 'the next card went out without waiting for the update');
    assert.equal(h.channel.updatesOf(step.activityId).length, 1, 'the update was done before the answer');
  });

  it('sends the replies while the conversation reference is being stored, and answers once it is stored', async () => {
    const references = new GatedReferences();
    h = await startHarness({ references });
    const user = h.user('a:1delivery-reference');
    let repliedFirst: boolean | null = null;
    references.saveGate = () =>
      h.channel
        .waitFor(() => user.sent().length > 0, 3000)
        .then(
          () => {
            repliedFirst = true;
          },
          () => {
            repliedFirst = false;
          },
        );
    const r = await user.say(CODE_MESSAGE);
    assert.equal(r.status, 200);
    assert.equal(repliedFirst, true, 'the replies did not wait for the reference');
    assert.ok(await references.getReference(PLATFORM, 'a:1delivery-reference'), 'stored before the answer');
  });

  it('in a turn, a failed card update only warns; the next card still goes out', async () => {
    h = await startHarness();
    const user = h.user('a:1delivery-lost-card', { legacyClient: true });
    await user.say(CODE_MESSAGE);
    const step = user.findButton("Didn't help");
    assert.ok(step);
    const cardId = (step.data as { cardId: string }).cardId;
    await h.references.saveCardMessage(PLATFORM, cardKey('a:1delivery-lost-card', cardId), 'out-gone');
    const before = h.channel.calls.length;
    const r = await user.press("Didn't help");
    assert.equal(r.status, 200);
    const calls = h.channel.calls.slice(before);
    assert.deepEqual(
      calls.map((c) => [c.kind, c.status]),
      calls.map((c) => [c.kind, c.kind === 'update' ? 404 : 201]),
    );
    assert.equal(calls.length, 2);
    assert.ok(h.log.of('warn').some((line) => line.includes(`card ${cardId} not updated`)));
    assert.match(cardText(cardOf(user.sent().at(-1)?.activity)), /^Step 2 of/);
  });

  it('proactively (strict), a failed card update is reported once the rest was delivered', async () => {
    h = await startHarness();
    const user = h.user('a:1delivery-strict');
    await user.say('hello');
    await h.references.saveCardMessage(PLATFORM, cardKey('a:1delivery-strict', 'old'), 'out-gone');
    const result = await h.service.connector.sendProactive('a:1delivery-strict', [
      update('u1', 'old'),
      text('p1', 'The job on your PC finished.'),
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.delivered, 1, 'the text was delivered, the update was not');
    assert.equal(user.sent().at(-1)?.activity.text, 'The job on your PC finished.');
    assert.ok(h.log.of('error').some((line) => /proactive message not delivered/.test(line)));
  });
});
