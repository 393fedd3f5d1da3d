import assert from 'node:assert/strict';
import { StorageInputError } from '../../../connectors/storage';
import { onEachBackend } from './test-databases';

const alice = { platform: 'email', userId: 'alice@example.com' };
const bob = { platform: 'slack', userId: 'U0123ABCD' };

onEachBackend('enrollments: one person per PC, one PC per worker group', (fx) => {
  it('adds, leaves the same enrollment unchanged without auditing it, and changes the group', async () => {
    const e = fx.storage.enrollments;
    const first = await e.place({ ...alice, computerName: 'PC-1', workerGroup: 'hrw-pc-1', by: 'tech' });
    assert.equal(first.kind, 'added');
    const again = await e.place({ ...alice, computerName: 'PC-1', workerGroup: 'hrw-pc-1', by: 'other' });
    assert.equal(again.kind, 'unchanged');
    assert.equal(again.enrollment.enrolledBy, 'tech', 'nothing written');
    const changed = await e.place({ ...alice, computerName: 'PC-1', workerGroup: 'hrw-pc-1b', by: 'tech' });
    assert.equal(changed.kind, 'changed');
    const audit = await fx.storage.audit.list({ user: 'alice@example.com' });
    assert.deepEqual(
      audit.map((a) => a.action),
      ['enrollment.added', 'enrollment.changed'],
    );
  });

  it('refuses a PC enrolled to someone else (any case, short or DNS name) unless moved', async () => {
    const e = fx.storage.enrollments;
    const input = { ...bob, computerName: 'pc-1.corp.example.com', workerGroup: 'hrw-x', by: 'tech' };
    const check = await e.check(input);
    assert.equal(check.current, null);
    assert.deepEqual(
      check.computerTaken.map((t) => [t.userId, t.computerName]),
      [['alice@example.com', 'PC-1']],
    );
    const refused = await e.place(input);
    assert.equal(refused.kind, 'refused');
    assert.deepEqual(
      (await e.list()).map((x) => [x.userId, x.computerName]),
      [['alice@example.com', 'PC-1']],
    );
    const moved = await e.place(input, { move: true });
    assert.equal(moved.kind, 'added');
    assert.deepEqual(
      moved.moved.map((m) => m.userId),
      ['alice@example.com'],
    );
    assert.deepEqual(
      (await e.list()).map((x) => [x.platform, x.userId, x.computerName]),
      [['slack', 'U0123ABCD', 'pc-1.corp.example.com']],
    );
    const removal = (await fx.storage.audit.list({ user: 'alice@example.com' })).at(-1);
    assert.equal(removal?.action, 'enrollment.removed');
    assert.deepEqual(removal?.data, { workerGroup: 'hrw-pc-1b', movedTo: 'slack:U0123ABCD' });
  });

  it('refuses a worker group another PC uses, even when moving', async () => {
    const e = fx.storage.enrollments;
    const input = { ...alice, computerName: 'PC-2', workerGroup: 'HRW-X', by: 'tech' };
    const outcome = await e.place(input, { move: true });
    assert.equal(outcome.kind, 'refused');
    assert.deepEqual(outcome.kind === 'refused' && outcome.check.groupTaken.map((g) => g.computerName), [
      'pc-1.corp.example.com',
    ]);
    assert.equal((await e.forUser('email', 'alice@example.com')).length, 0);
  });

  it('lists everything or one user, ordered by platform, user and computer', async () => {
    const e = fx.storage.enrollments;
    await e.place({ ...alice, computerName: 'PC-B', workerGroup: 'hrw-b', by: 'tech' });
    await e.place({ ...alice, computerName: 'PC-A', workerGroup: 'hrw-a', by: 'tech' });
    await e.place({
      platform: 'email',
      userId: 'aaron@example.com',
      computerName: 'PC-Z',
      workerGroup: 'hrw-z',
      by: 't',
    });
    assert.deepEqual(
      (await e.list()).map((x) => `${x.platform}:${x.userId}:${x.computerName}`),
      [
        'email:aaron@example.com:PC-Z',
        'email:alice@example.com:PC-A',
        'email:alice@example.com:PC-B',
        'slack:U0123ABCD:pc-1.corp.example.com',
      ],
    );
    assert.deepEqual(
      (await e.list(alice)).map((x) => x.computerName),
      ['PC-A', 'PC-B'],
    );
    assert.deepEqual(await e.list({ platform: 'teams' }), []);
  });

  it('refuses names that break the NetBIOS or worker group rules', async () => {
    await assert.rejects(
      fx.storage.enrollments.place({ ...alice, computerName: 'ABCDEFGHIJKLMNOP', workerGroup: 'g', by: 't' }),
      (e: unknown) => e instanceof StorageInputError && /longer than 15 characters/.test(e.message),
    );
    await assert.rejects(
      fx.storage.enrollments.enroll({ ...alice, computerName: 'PC-9', workerGroup: '-g', by: 't' }),
      /must start with a letter or a digit/,
    );
  });
});
