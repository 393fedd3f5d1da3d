/**
 * The ticket outbox when sending goes wrong: a 503 or a timeout retried with capped backoff, a refusal for
 * good or the last try reported to the technicians and the audit log, an employee who cannot be told, and
 * a job sent exactly once across a restart and between two instances on one database.
 */
import assert from 'node:assert/strict';
import { SecretString } from '../../../connectors/azure-automation/settings';
import { openStorage } from '../../../connectors/storage';
import { ServiceNowTickets } from '../../../connectors/tickets';
import { type BackendFixture, onEachBackend } from '../storage/test-databases';
import { SAY, ticketHarness } from './handoff-harness';

onEachBackend('tickets on hand-off', (fixture: BackendFixture) => {
  const harness = ticketHarness(fixture);
  const { sn, notifier, botOn, outboxOn, chatOn, keyOf } = harness;

  it('retries a 503 and a timeout with backoff, then delivers once', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    const outbox = outboxOn(fixture.storage, bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    const before = sn.incidents.length;
    sn.faults.push({ kind: 'status', status: 503 });
    let round = await outbox.runOnce();
    assert.deepEqual([round.sent, round.retried], [0, 1]);
    const [job] = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === keyOf());
    assert.equal(job?.attempts, 1);
    assert.match(job?.lastError ?? '', /HTTP 503/);
    // Backoff 1 s × 2^0 × jitter 0.5 = 500 ms after now.
    assert.equal(Date.parse(job?.dueAt ?? '') - fixture.clock.now().getTime(), 500);
    assert.equal((await outbox.runOnce()).sent, 0, 'not due yet');
    fixture.clock.advance(500);
    sn.faults.push({ kind: 'hang-after-apply' });
    round = await outbox.runOnce();
    assert.equal(round.retried, 1, 'the timeout is retried too');
    const again = await fixture.storage.tickets.get(job?.id ?? '');
    assert.equal(Date.parse(again?.dueAt ?? '') - fixture.clock.now().getTime(), 1000, '1 s × 2^1 × 0.5');
    fixture.clock.advance(1000);
    round = await outbox.runOnce();
    assert.equal(round.sent, 1);
    assert.equal(
      sn.incidents.length,
      before + 1,
      'the incident the timed-out try made is found, not made again',
    );
    assert.equal(notifier.textsTo(keyOf()).length, 1);
  });

  it('caps the backoff', () => {
    const outbox = outboxOn(fixture.storage, botOn(fixture.storage), { random: () => 0.998 });
    assert.deepEqual(
      [1, 2, 3, 4, 9].map((a) => outbox.backoffMs(a)),
      [999, 1998, 3996, 3996, 3996],
    );
  });

  it('tells the technicians (with the summary) and the audit log at once when ServiceNow refuses for good', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    const wrong = new ServiceNowTickets({
      instance: sn.url,
      auth: { kind: 'bearer', token: new SecretString('expired') },
    });
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    const round = await outboxOn(fixture.storage, bot, { system: wrong }).runOnce();
    assert.deepEqual([round.sent, round.retried, round.failed], [0, 0, 1]);
    const note = notifier.technicians.at(-1);
    assert.equal(note?.platform, 'teams');
    assert.match(
      note?.text ?? '',
      /could not be opened in servicenow after 1 attempts: ServiceNow incident lookup: HTTP 401/,
    );
    assert.match(note?.text ?? '', /Hand-off from Aiko Tanaka/, 'with the whole summary');
    const [job] = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === keyOf());
    assert.equal(job?.status, 'failed');
    const audit = await fixture.storage.audit.list();
    assert.ok(
      audit.some((e) => e.action === 'ticket.failed' && e.subject === keyOf() && e.data.attempts === 1),
    );
    assert.equal(notifier.textsTo(keyOf()).length, 0);
  });

  it('gives up after the last try and tells the technicians', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    const outbox = outboxOn(fixture.storage, bot, { maxAttempts: 2 });
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    sn.faults.push({ kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    assert.equal((await outbox.runOnce()).retried, 1);
    fixture.clock.advance(60_000);
    assert.equal((await outbox.runOnce()).failed, 1);
    assert.match(
      notifier.technicians.at(-1)?.text ?? '',
      /after 2 attempts: ServiceNow incident lookup: HTTP 502/,
    );
  });

  it('sends a job once after a restart, even when the instance that died had already made the incident', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    // An instance claims the job, makes the incident, and dies before recording it.
    const [claimed] = await fixture.storage.tickets.claimDue('dying-instance', 10, 60_000);
    assert.ok(claimed);
    await harness.system.open(claimed.ticket, claimed.id);
    const made = sn.incidents.length;
    // Restart: the database is closed and opened again (PGlite: the same folder).
    await fixture.storage.close();
    fixture.storage = await openStorage({
      ...fixture.database.options,
      clock: fixture.clock,
      log: fixture.log,
    });
    const restarted = botOn(fixture.storage);
    const outbox = outboxOn(fixture.storage, restarted, { owner: 'new-instance' });
    assert.equal((await outbox.runOnce()).sent, 0, 'the dead instance still holds the lease');
    fixture.clock.advance(60_000);
    assert.equal((await outbox.runOnce()).sent, 1);
    assert.equal(sn.incidents.length, made, 'exactly one incident');
    assert.equal(notifier.textsTo(keyOf()).length, 1, 'the employee told once');
    assert.equal((await outbox.runOnce()).sent, 0);
  });

  it('sends a job exactly once when two instances on one database race for it', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    const other = await fixture.second();
    const before = sn.incidents.length;
    const rounds = await Promise.all([
      outboxOn(fixture.storage, bot, { owner: 'a' }).runOnce(),
      outboxOn(other, botOn(other), { owner: 'b' }).runOnce(),
    ]);
    assert.equal(rounds[0].sent + rounds[1].sent, 1);
    assert.equal(sn.incidents.length, before + 1);
    assert.equal(notifier.textsTo(keyOf()).length, 1);
  });

  it('reports to the technicians and the audit log when the employee cannot be told', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    notifier.refuse = true;
    try {
      assert.equal((await outboxOn(fixture.storage, bot).runOnce()).sent, 1);
    } finally {
      notifier.refuse = false;
    }
    const number = String(sn.incidents.at(-1)?.number);
    assert.match(
      notifier.technicians.at(-1)?.text ?? '',
      new RegExp(`could not be told that ticket ${number}`),
    );
    const audit = await fixture.storage.audit.list();
    assert.ok(audit.some((e) => e.action === 'notify.failed' && e.data.number === number));
  });
});
