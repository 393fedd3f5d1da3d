import assert from 'node:assert/strict';
import { approvalDigest, DEFAULT_APPROVAL_TTL_MS } from '../../../connectors/storage';
import { HOUR, request } from './approval-request';
import { onEachBackend } from './test-databases';

onEachBackend('approvals', (fx) => {
  it('creates a pending request with its expiry timer, once per step while pending', async () => {
    const input = request();
    const first = await fx.storage.approvals.request(input);
    assert.equal(first.created, true);
    assert.equal(first.approval.status, 'pending');
    assert.equal(first.approval.expiresAt, new Date(fx.clock.now().getTime() + HOUR).toISOString());
    const timer = await fx.storage.timers.get(`approval-expiry:${first.approval.id}`);
    assert.equal(timer?.dueAt, first.approval.expiresAt);
    const again = await (await fx.second()).approvals.request(input);
    assert.deepEqual(again, { created: false, approval: first.approval }, 'a double click asks once');
    const audit = await fx.storage.audit.list({ user: '29:aiko' });
    assert.equal(audit.filter((e) => e.subject === first.approval.id).length, 1);
  });

  it('lets exactly one of two technicians deciding at once win', async () => {
    const other = await fx.second();
    for (let round = 0; round < 5; round++) {
      const { approval } = await fx.storage.approvals.request(request());
      const [a, b] = await Promise.all([
        fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a', byName: 'Tech A' }),
        other.approvals.decide(approval.id, {
          approve: false,
          by: 'teams:29:tech-b',
          byName: 'Tech B',
          note: 'not now',
        }),
      ]);
      const winners = [a, b].filter((r) => r.ok);
      assert.equal(winners.length, 1, `round ${round}`);
      const loser = a.ok ? b : a;
      assert.equal(!loser.ok && loser.reason, 'already-decided');
      const stored = await fx.storage.approvals.get(approval.id);
      assert.equal(stored?.decidedBy, a.ok ? 'teams:29:tech-a' : 'teams:29:tech-b');
      assert.equal(stored?.decidedByName, a.ok ? 'Tech A' : 'Tech B', 'the winner’s name is kept');
      assert.equal(await fx.storage.timers.get(`approval-expiry:${approval.id}`), null, 'expiry cancelled');
      const decisions = (await fx.storage.audit.list()).filter(
        (e) => e.subject === approval.id && /approval\.(approved|rejected)/.test(e.action),
      );
      assert.equal(decisions.length, 1, 'one decision audited');
    }
  });

  it('never lets the requester decide, nor anyone after expiry', async () => {
    const { approval } = await fx.storage.approvals.request(request());
    const own = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:aiko' });
    assert.equal(!own.ok && own.reason, 'requester');
    fx.clock.advance(HOUR);
    const late = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.equal(!late.ok && late.reason, 'expired');
    const missing = await fx.storage.approvals.decide('no-such-id', { approve: true, by: 'teams:29:tech-a' });
    assert.equal(!missing.ok && missing.reason, 'not-found');
    assert.equal((await fx.storage.approvals.expire(approval.id))?.status, 'expired');
    assert.equal(await fx.storage.approvals.expire(approval.id), null, 'expires once');
  });

  it('keeps one open request per employee and computer, whatever the step and conversation', async () => {
    const requester = 'teams:29:kenji';
    const first = await fx.storage.approvals.request(
      request({ requester, computerName: 'PC-KENJI', stepId: 'sfc-scan' }),
    );
    assert.equal(first.created, true);
    const other = await fx.second();
    const second = await other.approvals.request(
      request({ requester, computerName: 'pc-kenji', stepId: 'dism-restore' }),
    );
    assert.deepEqual(second, { created: false, approval: first.approval }, 'another step waits its turn');
    const sameStep = await fx.storage.approvals.request(
      request({
        requester,
        conversationKey: first.approval.conversationKey,
        stepId: 'sfc-scan',
        computerName: 'PC-OTHER',
      }),
    );
    assert.equal(sameStep.created, false, 'the same conversation and step is still one request');
    assert.equal(sameStep.approval.id, first.approval.id);
    const elsewhere = await fx.storage.approvals.request(request({ requester, computerName: 'PC-KENJI-2' }));
    assert.equal(elsewhere.created, true, 'another computer of the same employee');
    const colleague = await fx.storage.approvals.request(
      request({ requester: 'teams:29:mei', computerName: 'PC-KENJI' }),
    );
    assert.equal(colleague.created, true, 'another employee on the same computer');
    assert.deepEqual(
      (await fx.storage.approvals.openFor(requester)).map((a) => a.id).sort(),
      [first.approval.id, elsewhere.approval.id].sort(),
    );
    const requested = (await fx.storage.audit.list()).filter(
      (e) => e.action === 'approval.requested' && e.subject === first.approval.id,
    );
    assert.equal(requested.length, 1);

    // Once decided, the computer is free for the next request.
    assert.ok(
      (await fx.storage.approvals.decide(first.approval.id, { approve: false, by: 'teams:29:t' })).ok,
    );
    const next = await other.approvals.request(
      request({ requester, computerName: 'PC-KENJI', stepId: 'dism-restore' }),
    );
    assert.equal(next.created, true);
    assert.deepEqual(
      (await fx.storage.approvals.forConversation(first.approval.conversationKey)).map((a) => a.status),
      ['rejected'],
    );
  });

  it('lets only one of two requests for the same computer sent at once through', async () => {
    const other = await fx.second();
    for (let round = 0; round < 5; round++) {
      const requester = `teams:29:race-${round}`;
      const [a, b] = await Promise.all([
        fx.storage.approvals.request(request({ requester, computerName: 'PC-RACE', stepId: 'sfc-scan' })),
        other.approvals.request(request({ requester, computerName: 'PC-RACE', stepId: 'dism-restore' })),
      ]);
      assert.equal([a, b].filter((r) => r.created).length, 1, `round ${round}`);
      assert.equal(a.approval.id, b.approval.id);
    }
  });

  it('stores the context the card shows and the digest of what is to run', async () => {
    const context = { code: '0x80070002', os: { family: 'windows', build: '22631' }, tried: ['sfc-scan'] };
    const input = request({ parameters: { Confirm: true, Mode: 'full', Skip: undefined }, context });
    const { approval } = await fx.storage.approvals.request(input);
    const stored = await fx.storage.approvals.get(approval.id);
    assert.deepEqual(stored?.context, context);
    assert.deepEqual(stored?.parameters, { Confirm: true, Mode: 'full' });
    assert.match(approval.digest ?? '', /^[0-9a-f]{64}$/);
    assert.equal(stored?.digest, approval.digest);
    const digest = approvalDigest({
      runbook: input.runbook,
      parameters: { Mode: 'full', Confirm: true },
      computerName: input.computerName,
      workerGroup: input.workerGroup,
    });
    assert.equal(approval.digest, digest, 'parameter order does not matter');
    assert.equal(approvalDigest(approval), digest, 'the stored request gives its digest back');
    for (const changed of [
      { parameters: { Confirm: false, Mode: 'full' } },
      { computerName: 'PC-9999' },
      { workerGroup: 'hrw-other' },
      { runbook: 'Other' },
    ])
      assert.notEqual(approvalDigest({ ...approval, ...changed }), digest, JSON.stringify(changed));
    const plain = await fx.storage.approvals.request(request());
    assert.deepEqual(plain.approval.context, {});
    await assert.rejects(
      fx.storage.approvals.request(request({ context: [] as unknown as Record<string, unknown> })),
      /an approval context must be an object/,
    );
  });

  it('refuses a decision for a card that does not match the stored request as forged, and audits it', async () => {
    const { approval } = await fx.storage.approvals.request(request());
    for (const given of ['0'.repeat(64), '']) {
      const forged = await fx.storage.approvals.decide(approval.id, {
        approve: true,
        by: 'teams:29:tech-a',
        digest: given,
      });
      assert.deepEqual([forged.ok, !forged.ok && forged.reason], [false, 'forged']);
      const audited = (await fx.storage.audit.list()).at(-1);
      assert.deepEqual(
        [audited?.action, audited?.actor, audited?.subject, audited?.targetUser, audited?.data],
        [
          'approval.forged',
          'teams:29:tech-a',
          approval.id,
          'teams:29:aiko',
          { given, stored: approval.digest, verb: 'approve' },
        ],
      );
    }
    assert.equal((await fx.storage.approvals.get(approval.id))?.status, 'pending', 'nothing decided');
    const fine = await fx.storage.approvals.decide(approval.id, {
      approve: true,
      by: 'teams:29:tech-a',
      digest: approval.digest,
    });
    assert.equal(fine.ok, true);
  });

  it('audits every refused decision, and refusals decided outside storage', async () => {
    const refusals = async (subject: string | null) =>
      (await fx.storage.audit.list())
        .filter((e) => e.subject === subject && /approval\.(refused|forged)/.test(e.action))
        .map((e) => [e.action, e.actor, e.targetUser, e.data]);
    const { approval } = await fx.storage.approvals.request(request({ ttlMs: 60_000 }));
    await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:aiko' });
    await fx.storage.approvals.recordRefusal(approval.id, 'teams:29:bob', 'not-technician', {
      verb: 'approve',
    });
    await fx.storage.approvals.recordRefusal(approval.id, 'teams:29:eve', 'forged', { keys: ['runbook'] });
    fx.clock.advance(60_000);
    await fx.storage.approvals.decide(approval.id, { approve: false, by: 'teams:29:tech-a' });
    assert.deepEqual(await refusals(approval.id), [
      ['approval.refused', 'teams:29:aiko', 'teams:29:aiko', { verb: 'approve', reason: 'requester' }],
      ['approval.refused', 'teams:29:bob', 'teams:29:aiko', { verb: 'approve', reason: 'not-technician' }],
      ['approval.forged', 'teams:29:eve', 'teams:29:aiko', { keys: ['runbook'], reason: 'forged' }],
      ['approval.refused', 'teams:29:tech-a', 'teams:29:aiko', { verb: 'reject', reason: 'expired' }],
    ]);

    const decided = (await fx.storage.approvals.request(request())).approval;
    assert.ok((await fx.storage.approvals.decide(decided.id, { approve: true, by: 'teams:29:tech-a' })).ok);
    const late = await fx.storage.approvals.decide(decided.id, { approve: false, by: 'teams:29:tech-b' });
    assert.equal(!late.ok && late.reason, 'already-decided');
    assert.deepEqual(await refusals(decided.id), [
      ['approval.refused', 'teams:29:tech-b', 'teams:29:aiko', { verb: 'reject', reason: 'already-decided' }],
    ]);

    await fx.storage.approvals.recordRefusal(null, 'teams:29:bob', 'not-found', { request: 'x' });
    assert.deepEqual(await refusals(null), [
      ['approval.refused', 'teams:29:bob', null, { request: 'x', reason: 'not-found' }],
    ]);
  });

  it('gives technicians 30 minutes to decide unless told otherwise', async () => {
    const { ttlMs: _ttl, ...input } = request();
    const { approval } = await fx.storage.approvals.request(input);
    assert.equal(DEFAULT_APPROVAL_TTL_MS, 30 * 60 * 1000);
    assert.equal(approval.expiresAt, new Date(fx.clock.now().getTime() + 30 * 60 * 1000).toISOString());
    assert.equal((await fx.storage.timers.get(`approval-expiry:${approval.id}`))?.dueAt, approval.expiresAt);
    fx.clock.advance(30 * 60 * 1000 - 1);
    const other = (await fx.storage.approvals.request(input)).approval;
    fx.clock.advance(1);
    const late = await fx.storage.approvals.decide(approval.id, { approve: true, by: 'teams:29:tech-a' });
    assert.equal(!late.ok && late.reason, 'expired');
    assert.equal(other.id, approval.id, 'still pending until its timer ran');
  });
});
