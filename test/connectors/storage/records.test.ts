import assert from 'node:assert/strict';
import { StorageInputError } from '../../../connectors/storage';
import { onEachBackend } from './test-databases';

onEachBackend('references, enrollments, audit log', (fx) => {
  it('keeps conversation references and card message ids, the latest winning', async () => {
    const refs = fx.storage.references;
    assert.equal(await refs.getReference('teams', 'a:1'), null);
    const reference = {
      serviceUrl: 'https://smba.example/',
      conversation: { id: 'a:1' },
      bot: { id: '28:x' },
    };
    await refs.saveReference('teams', 'a:1', reference);
    assert.deepEqual(await refs.getReference('teams', 'a:1'), reference);
    await refs.saveReference('teams', 'a:1', { ...reference, serviceUrl: 'https://smba2.example/' });
    assert.equal(
      ((await refs.getReference('teams', 'a:1')) as typeof reference).serviceUrl,
      'https://smba2.example/',
    );
    assert.equal(await refs.getReference('slack', 'a:1'), null, 'per platform');

    assert.equal(await refs.getCardMessage('teams', 'm3'), null);
    await refs.saveCardMessage('teams', 'm3', 'activity-1');
    await refs.saveCardMessage('teams', 'm3', 'activity-2');
    assert.equal(await refs.getCardMessage('teams', 'm3'), 'activity-2');
    assert.equal(await refs.getCardContent('teams', 'm3'), null, 'no content saved');
    const content = { message: { kind: 'step', id: 'm4', title: 'Retry' }, lead: ['Steps in my plan: 3'] };
    await refs.saveCardMessage('teams', 'm4', 'activity-3', content);
    assert.deepEqual(await refs.getCardContent('teams', 'm4'), content);
    await refs.saveCardMessage('teams', 'm4', 'activity-4');
    assert.equal(await refs.getCardContent('teams', 'm4'), null, 'the latest save wins, content too');
  });

  it('enrolls PCs per user, updates and removes them, auditing each change', async () => {
    const enrollments = fx.storage.enrollments;
    const base = { platform: 'teams', userId: '29:aiko', by: 'teams:29:tech' };
    await enrollments.enroll({ ...base, computerName: 'PC-0042', workerGroup: 'hrw-pc-0042' });
    await enrollments.enroll({ ...base, computerName: 'LAPTOP-7', workerGroup: 'hrw-laptop-7' });
    const changed = await enrollments.enroll({
      ...base,
      computerName: 'PC-0042',
      workerGroup: 'hrw-pc-0042b',
    });
    assert.equal(changed.workerGroup, 'hrw-pc-0042b');
    assert.deepEqual(
      (await enrollments.forUser('teams', '29:aiko')).map((e) => [
        e.computerName,
        e.workerGroup,
        e.enrolledBy,
      ]),
      [
        ['LAPTOP-7', 'hrw-laptop-7', 'teams:29:tech'],
        ['PC-0042', 'hrw-pc-0042b', 'teams:29:tech'],
      ],
    );
    assert.equal(await enrollments.remove('teams', '29:aiko', 'LAPTOP-7', 'teams:29:tech'), true);
    assert.equal(await enrollments.remove('teams', '29:aiko', 'LAPTOP-7', 'teams:29:tech'), false);
    assert.deepEqual(await enrollments.forUser('teams', 'someone-else'), []);
    await assert.rejects(
      enrollments.enroll({ ...base, computerName: 'bad name; drop', workerGroup: 'g' }),
      (e: unknown) => e instanceof StorageInputError && e.code === 'winfix_storage_input',
    );
    const audit = await fx.storage.audit.list({ user: '29:aiko' });
    assert.deepEqual(
      audit.map((e) => [e.action, e.subject]),
      [
        ['enrollment.added', 'PC-0042'],
        ['enrollment.added', 'LAPTOP-7'],
        ['enrollment.changed', 'PC-0042'],
        ['enrollment.removed', 'LAPTOP-7'],
      ],
    );
  });

  it('filters the audit log by time and user, and refuses to change or delete entries', async () => {
    const audit = fx.storage.audit;
    fx.clock.advance(60_000);
    const since = fx.clock.now();
    await audit.append({ actor: 'slack:U1', action: 'test.one', subject: 'x', data: { n: 1 } });
    fx.clock.advance(1000);
    await audit.append({ actor: 'system', action: 'test.two', targetUser: 'slack:U2' });
    assert.deepEqual(
      (await audit.list({ since })).map((e) => e.action),
      ['test.one', 'test.two'],
    );
    assert.deepEqual(
      (await audit.list({ since, user: 'U2' })).map((e) => e.action),
      ['test.two'],
    );
    assert.deepEqual(
      (await audit.list({ since, user: 'slack:U1' })).map((e) => [e.action, e.data]),
      [['test.one', { n: 1 }]],
    );
    assert.deepEqual(
      (await audit.list({ since, user: '1' })).length,
      0,
      'a user id matches whole, not a suffix',
    );
    assert.deepEqual(
      (await audit.list({ since, limit: 1 })).map((e) => e.action),
      ['test.two'],
      'the newest kept',
    );
    await assert.rejects(fx.storage.db.query(`UPDATE audit_log SET actor = 'someone else'`), /append-only/);
    await assert.rejects(fx.storage.db.query('DELETE FROM audit_log'), /append-only/);
  });

  it('records a step outcome once per key', async () => {
    const outcome = {
      key: 'teams:c9|2026-03-02T09:00:00.000Z|0x80070002|0',
      conversationKey: 'teams:c9',
      code: '0x80070002',
      context: 'windows-update',
      osFamily: 'windows-10',
      osBuild: '19045.5011',
      stepId: 'wu-troubleshooter',
      outcome: 'fixed',
      fixed: true,
      caseResult: 'resolved' as const,
      at: fx.clock.now(),
    };
    const results = await Promise.all([
      fx.storage.outcomes.record(outcome),
      (await fx.second()).outcomes.record(outcome),
    ]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.equal(await fx.storage.outcomes.record(outcome), false);
    assert.equal((await fx.storage.outcomes.forConversation('teams:c9')).length, 1);
  });
});
