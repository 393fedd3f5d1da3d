/** The delivery plan: how the core's messages of one turn become as few Teams activities as possible. */
import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../../bot';
import { adaptiveCardFor, withLead } from '../../../connectors/teams/adaptive-cards';
import { deliveryPlan, messagesIn } from '../../../connectors/teams/delivery-plan';
import { checkAdaptiveCard } from '../../helpers/adaptive-card-check';
import { cardText } from '../../helpers/teams-user';
import { question, text, update } from './delivery-fixtures';

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
