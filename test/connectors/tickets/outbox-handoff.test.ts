/**
 * Tickets on hand-off end to end below the chat platforms: conversations through the bot on real storage
 * (PGlite and PostgreSQL), the outbox written in the same save, the outbox worker opening an incident in a
 * fake ServiceNow (or through the signed webhook), a second hand-off of the case added as work notes, and
 * the employee told the number in their language.
 */
import assert from 'node:assert/strict';
import { SecretString } from '../../../connectors/azure-automation/settings';
import { WebhookTickets } from '../../../connectors/tickets';
import { FakeTicketWebhook } from '../../helpers/fake-ticket-webhook';
import { type BackendFixture, onEachBackend } from '../storage/test-databases';
import { SAY, t, ticketHarness } from './handoff-harness';

onEachBackend('tickets on hand-off', (fixture: BackendFixture) => {
  const { sn, notifier, botOn, outboxOn, chatOn, keyOf } = ticketHarness(fixture);

  it('writes the ticket job in the hand-off save; the outbox opens one incident and the employee hears its number', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    await chat.say(SAY.en);
    const tried = chat.step().title;
    await chat.press("Didn't help");
    await chat.act({ verb: 'handoff' });
    const handoff = chat.last.find((m) => m.kind === 'handoff');
    assert.ok(handoff);
    assert.ok(chat.last.some((m) => m.kind === 'text' && m.text === t.t('en', 'ticket.opening')));
    const jobs = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === keyOf());
    assert.deepEqual(
      jobs.map((j) => [j.kind, j.status, j.ticket.code, j.ticket.handoff]),
      [['open', 'pending', '0x80070002', 1]],
      'in the outbox before anything was sent',
    );
    assert.equal(jobs[0]?.ticket.category, 'windows-update');
    assert.deepEqual(
      jobs[0]?.ticket.tried.map((s) => [s.title, s.outcome, s.outcomeLabel]),
      [[tried, 'didnt-help', t.t('en', 'outcome.didnt-help')]],
    );

    const before = sn.incidents.length;
    const round = await outboxOn(fixture.storage, bot).runOnce();
    assert.equal(round.sent, 1);
    assert.equal(sn.incidents.length, before + 1);
    const incident = sn.incidents.at(-1);
    const number = String(incident?.number);
    assert.match(String(incident?.description), /Hand-off from Aiko Tanaka/);
    assert.ok(
      String(incident?.description).includes(`${tried}: ${t.t('en', 'outcome.didnt-help')}`),
      'the steps tried, with outcomes',
    );
    assert.match(String(incident?.short_description), /0x80070002/);
    assert.deepEqual(notifier.textsTo(keyOf()), [
      t.t('en', 'ticket.opened', { number }) +
        `\nTicket: ${(await fixture.storage.tickets.caseTicket(jobs[0]?.caseId ?? ''))?.ref.url}`,
    ]);
    const state = await fixture.storage.conversations.get(keyOf());
    assert.equal(state?.caseTickets?.[0]?.number, number, 'the number is kept in the conversation');
    const audit = await fixture.storage.audit.list();
    assert.ok(
      audit.some((e) => e.action === 'ticket.opened' && e.subject === keyOf() && e.data.number === number),
    );
    assert.equal((await fixture.storage.tickets.get(jobs[0]?.id ?? ''))?.told, true);
    // Nothing more to do: a second round sends nothing again.
    assert.equal((await outboxOn(fixture.storage, bot).runOnce()).sent, 0);
  });

  for (const locale of ['ja', 'ru'] as const)
    it(`tells a ${locale} employee the number in ${locale}`, async () => {
      const bot = botOn(fixture.storage);
      const chat = chatOn(bot);
      await chat.say(SAY[locale]);
      await chat.act({ verb: 'handoff' });
      assert.ok(chat.last.some((m) => m.kind === 'text' && m.text === t.t(locale, 'ticket.opening')));
      await outboxOn(fixture.storage, bot).runOnce();
      const number = String(sn.incidents.at(-1)?.number);
      const said = notifier.textsTo(keyOf()).join('\n');
      assert.match(said, locale === 'ja' ? /チケット INC\d{7} が作成されました/ : /открыта заявка INC\d{7}/);
      assert.ok(said.includes(number));
    });

  it('adds a second hand-off of the same case as work notes, with no second incident; the summary shows the ticket', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    const outbox = outboxOn(fixture.storage, bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    await outbox.runOnce();
    const incidents = sn.incidents.length;
    const number = String(sn.incidents.at(-1)?.number);
    const sysId = String(sn.incidents.at(-1)?.sys_id);

    fixture.clock.advance(60 * 60_000);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    const handoff = chat.last.find((m) => m.kind === 'handoff');
    assert.ok(handoff?.kind === 'handoff');
    assert.deepEqual(
      handoff.forTechnicians?.facts.find((f) => f.key === 'ticket'),
      { key: 'ticket', label: 'Case ticket', value: number },
      "the technicians' summary names the case's ticket",
    );
    assert.ok(chat.last.some((m) => m.kind === 'text' && m.text === t.t('en', 'ticket.noting', { number })));
    const jobs = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === keyOf());
    assert.deepEqual(
      jobs.map((j) => [j.kind, j.ticket.handoff]),
      [
        ['open', 1],
        ['note', 2],
      ],
    );
    assert.equal(jobs[0]?.caseId, jobs[1]?.caseId, 'one case');
    assert.equal((await outbox.runOnce()).sent, 1);
    assert.equal(sn.incidents.length, incidents, 'no second incident');
    const patch = sn.calls('PATCH', 'incident').at(-1);
    assert.equal(patch?.path, `/api/now/table/incident/${sysId}`);
    assert.match(String(patch?.body?.work_notes), /Hand-off from Aiko Tanaka/);
    // The employee already heard the number with the hand-off: nothing more is said.
    assert.equal(notifier.textsTo(keyOf()).length, 1);
    const audit = await fixture.storage.audit.list();
    assert.ok(audit.some((e) => e.action === 'ticket.noted' && e.data.number === number));
  });

  it('holds a note until its case ticket is open, then notes it', async () => {
    const bot = botOn(fixture.storage);
    const chat = chatOn(bot);
    const outbox = outboxOn(fixture.storage, bot);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    fixture.clock.advance(1000);
    await chat.say(SAY.en);
    await chat.act({ verb: 'handoff' });
    assert.ok(chat.last.some((m) => m.kind === 'text' && m.text === t.t('en', 'ticket.noting-pending')));
    sn.faults.push({ kind: 'status', status: 503 });
    const round = await outbox.runOnce();
    assert.deepEqual([round.retried, round.deferred, round.sent], [1, 1, 0]);
    fixture.clock.advance(5000);
    assert.equal((await outbox.runOnce()).sent, 2);
    const number = String(sn.incidents.at(-1)?.number);
    assert.equal(
      sn.workNotes.get(String(sn.incidents.at(-1)?.sys_id))?.length,
      2,
      'the create note and the hand-off',
    );
    assert.deepEqual(
      notifier.textsTo(keyOf()).map((x) => x.split('\n')[0]),
      [t.t('en', 'ticket.opened', { number }), t.t('en', 'ticket.noted', { number })],
    );
  });

  it('works the same through the signed webhook: the receiver verifies, a second hand-off is a note', async () => {
    const secret = 'webhook-secret-0123456789';
    const receiver = new FakeTicketWebhook(secret, () => fixture.clock.now());
    await receiver.start();
    try {
      const hook = new WebhookTickets({
        url: receiver.url,
        secret: new SecretString(secret),
        clock: fixture.clock,
      });
      const bot = botOn(fixture.storage, 'webhook');
      const chat = chatOn(bot);
      const outbox = outboxOn(fixture.storage, bot, { system: hook });
      await chat.say(SAY.en);
      await chat.act({ verb: 'handoff' });
      await outbox.runOnce();
      fixture.clock.advance(60_000);
      await chat.say(SAY.en);
      await chat.act({ verb: 'handoff' });
      await outbox.runOnce();
      assert.ok(receiver.requests.every((r) => r.verified));
      assert.deepEqual(
        receiver.received.map((r) => [r.kind, r.number, r.key.endsWith(r.kind === 'open' ? '/1' : '/2')]),
        [
          ['open', 'HD-1001', true],
          ['note', 'HD-1001', true],
        ],
      );
      assert.match(notifier.textsTo(keyOf())[0] ?? '', /Ticket HD-1001 was opened/);
    } finally {
      await receiver.stop();
    }
  });
});
