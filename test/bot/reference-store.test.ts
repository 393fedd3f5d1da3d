import assert from 'node:assert/strict';
import { InMemoryReferenceStore } from '../../bot/reference-store';

describe('InMemoryReferenceStore', () => {
  it('keeps card message ids with their content, the latest save winning, as copies', async () => {
    const refs = new InMemoryReferenceStore();
    const content = { message: { kind: 'step', id: 'm1' }, lead: ['Steps in my plan: 3'] };
    await refs.saveCardMessage('teams', 'm1', 'activity-1', content);
    content.lead.push('changed after save');
    assert.equal(await refs.getCardMessage('teams', 'm1'), 'activity-1');
    const read = (await refs.getCardContent('teams', 'm1')) as typeof content;
    assert.deepEqual(read.lead, ['Steps in my plan: 3']);
    read.lead.push('changed after get');
    assert.deepEqual(((await refs.getCardContent('teams', 'm1')) as typeof content).lead, [
      'Steps in my plan: 3',
    ]);
    await refs.saveCardMessage('teams', 'm1', 'activity-2');
    assert.equal(await refs.getCardMessage('teams', 'm1'), 'activity-2');
    assert.equal(await refs.getCardContent('teams', 'm1'), null);
    assert.equal(await refs.getCardContent('slack', 'm1'), null, 'per platform');
  });
});
