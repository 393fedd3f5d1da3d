import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../../bot';
import { inPlacePlan, pressRecord } from '../../../connectors/chat/card-in-place';

const text = (id: string, t: string): OutgoingMessage => ({ kind: 'text', id, text: t });
const closes = (cardId: string, answer = "didn't help"): OutgoingMessage => ({
  kind: 'card-update',
  id: `u-${cardId}`,
  cardId,
  answer,
});
const question = (id: string): OutgoingMessage => ({
  kind: 'question',
  id,
  topic: 'os',
  text: 'Which Windows version is this PC running?',
  hint: null,
  choices: [],
});
const summary = (id: string): OutgoingMessage => ({
  kind: 'summary',
  id,
  code: '0x80070002',
  fixedBy: { stepId: 's1', title: 'Restart' },
  tried: [],
  text: "Great, it's fixed",
});

describe('chat: which message takes a pressed card’s place', () => {
  it('the next card, with the texts said just before it as its lead', () => {
    const messages = [closes('m1'), text('t1', 'Windows 11 23H2 is out of servicing.'), question('m2')];
    const plan = inPlacePlan(messages, 'm1');
    assert.equal(plan.inPlace.kind, 'next');
    if (plan.inPlace.kind !== 'next') return;
    assert.equal(plan.inPlace.message.id, 'm2');
    assert.deepEqual(plan.inPlace.lead, ['Windows 11 23H2 is out of servicing.']);
    assert.equal(plan.inPlace.answer, "didn't help");
    assert.deepEqual(plan.rest, []);
  });

  it('what follows the next card, and updates of other cards, are still sent', () => {
    const after = text('t2', 'If the problem comes back, just write to me again.');
    const other = closes('m0', 'skipped');
    const plan = inPlacePlan([other, closes('m1'), summary('m2'), after], 'm1');
    assert.equal(plan.inPlace.kind, 'next');
    assert.deepEqual(plan.rest, [other, after]);
  });

  it('a hand-off (or anything else first) stands on its own: the pressed card is only closed', () => {
    const handoff = { kind: 'handoff', id: 'h1' } as unknown as OutgoingMessage;
    const messages = [closes('m1'), text('t1', 'I am handing it over.'), handoff, question('m2')];
    const plan = inPlacePlan(messages, 'm1');
    assert.deepEqual(plan.inPlace, { kind: 'answered', answer: "didn't help" });
    assert.deepEqual(plan.rest, messages.slice(1));
  });

  it('only texts after the press: the card is closed and the texts are posted', () => {
    const plan = inPlacePlan([closes('m1'), text('t1', 'Noted.')], 'm1');
    assert.equal(plan.inPlace.kind, 'answered');
    assert.equal(plan.rest.length, 1);
  });

  it('no update of the pressed card (a refused press), or a card redrawn whole: nothing in place', () => {
    const messages = [closes('m9'), text('t1', 'That card has already been answered.')];
    assert.deepEqual(inPlacePlan(messages, 'm1'), { inPlace: { kind: 'unchanged' }, rest: messages });
    const redrawn = { ...closes('m1'), card: { kind: 'approval' } } as unknown as OutgoingMessage;
    assert.equal(inPlacePlan([redrawn], 'm1').inPlace.kind, 'unchanged');
  });

  it('the record of a press names the step when there is one', () => {
    assert.equal(pressRecord('Restart the PC', "didn't help"), "Restart the PC — didn't help");
    assert.equal(pressRecord(null, 'Windows Update'), 'Windows Update');
  });
});
