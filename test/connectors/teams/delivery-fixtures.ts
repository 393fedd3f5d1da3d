/** Messages and a per-test harness for the Teams delivery tests. */
import assert from 'node:assert/strict';
import type { CardUpdate, OutgoingMessage, QuestionMessage } from '../../../bot';
import type { Harness } from './harness';

export const CODE_MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

export const text = (id: string, body: string): OutgoingMessage => ({ kind: 'text', id, text: body });
export const update = (id: string, cardId: string): CardUpdate => ({
  kind: 'card-update',
  id,
  cardId,
  answer: 'OK',
});
export const question = (id: string): QuestionMessage => ({
  kind: 'question',
  id,
  topic: 'code',
  text: 'Which error code do you see?',
  hint: null,
  choices: [{ label: 'No code', action: { verb: 'no-code' }, style: 'default' }],
});

/** After each test: closes its harness and checks the fake channel saw nothing against the protocol. */
export function closeAfterEach(harness: () => Harness): void {
  afterEach(async () => {
    const h = harness();
    await h.close();
    assert.deepEqual(h.channel.problems, []);
  });
}
