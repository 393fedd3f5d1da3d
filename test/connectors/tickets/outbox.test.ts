/**
 * Tickets on hand-off end to end below the chat platforms: conversations through the bot on real storage
 * (PGlite and PostgreSQL), the outbox written in the same save, the outbox worker sending to a fake
 * ServiceNow (and the webhook receiver), the employee told the number in their language, failures
 * retried with backoff or reported to the technicians and the audit log, restarts and two instances.
 */
import assert from 'node:assert/strict';
import { type Bot, createBot, type OutgoingMessage, type TicketSystem } from '../../../bot';
import { createTranslator } from '../../../bot/i18n/translator';
import { reportText } from '../../../cli/report-command';
import { SecretString } from '../../../connectors/azure-automation/settings';
import { openStorage, type Storage } from '../../../connectors/storage';
import { buildReport } from '../../../connectors/storage/report-queries';
import {
  ServiceNowTickets,
  type TicketNotifier,
  TicketOutbox,
  WebhookTickets,
} from '../../../connectors/tickets';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import { ChatDriver } from '../../bot/chat-driver';
import { FakeServiceNow } from '../../helpers/fake-servicenow';
import { FakeTicketWebhook } from '../../helpers/fake-ticket-webhook';
import { type BackendFixture, MemoryStorageLog, onEachBackend } from '../storage/test-databases';

class RecordingNotifier implements TicketNotifier {
  readonly employee: { key: string; messages: OutgoingMessage[] }[] = [];
  readonly technicians: { platform: string; subject: string; text: string }[] = [];
  refuse = false;
  async toConversation(key: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.refuse) throw new Error('the bot is not in this conversation (403)');
    this.employee.push({ key, messages });
  }
  async toTechnicians(platform: string, subject: string, text: string): Promise<void> {
    this.technicians.push({ platform, subject, text });
  }
  textsTo(key: string): string[] {
    return this.employee
      .filter((e) => e.key === key)
      .flatMap((e) => e.messages.map((m) => ('text' in m ? String(m.text) : '')));
  }
}

const t = createTranslator();
const SAY = {
  en: 'Windows Update fails with 0x80070002 on Windows 11 23H2',
  ja: 'Windows 11 23H2 の Windows Update で 0x80070002 のエラーが出ます',
  ru: 'Windows Update выдаёт ошибку 0x80070002 на Windows 11 23H2',
} as const;

let knowledge: Knowledge;
before(() => {
  knowledge = createKnowledge();
});

onEachBackend('tickets on hand-off', (fixture: BackendFixture) => {
  const sn = new FakeServiceNow({ bearer: 'sn-token', users: { 'aiko@example.com': 'a'.repeat(32) } });
  const notifier = new RecordingNotifier();
  const log = new MemoryStorageLog();
  let system: TicketSystem;
  let n = 0;

  before(async () => {
    await sn.start();
    system = new ServiceNowTickets({
      instance: sn.url,
      auth: { kind: 'bearer', token: new SecretString('sn-token') },
      timeoutMs: 1000,
    });
  });
  after(() => sn.stop());

  const botOn = (storage: Storage, kind: TicketSystem['kind'] = 'servicenow'): Bot =>
    createBot({
      knowledge,
      store: storage.conversations,
      clock: fixture.clock,
      defaultLocale: 'en',
      technicianLocale: 'en',
      tickets: { system: kind },
    });

  const outboxOn = (
    storage: Storage,
    bot: Bot,
    over: Partial<ConstructorParameters<typeof TicketOutbox>[0]> = {},
  ) => {
    const outbox = new TicketOutbox({
      jobs: storage.tickets,
      system,
      notifier,
      audit: (entry) => storage.audit.append(entry),
      translator: t,
      technicianLocale: 'en',
      clock: fixture.clock,
      log,
      backoff: { baseMs: 1000, capMs: 4000 },
      random: () => 0,
      leaseMs: 60_000,
      ...over,
    });
    outbox.attach(bot);
    return outbox;
  };

  /** A new conversation (its own id) by a Teams-like user with an e-mail. */
  const chatOn = (bot: Bot, locale: string | null = null) =>
    new ChatDriver(bot, `conv-${++n}`, { id: `u${n}`, name: 'Aiko Tanaka', locale }, 'teams');
  const keyOf = () => `teams:conv-${n}`;

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
    await system.open(claimed.ticket, claimed.id);
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

  it('counts tickets in `winfix report` and lists the latest with their codes', async () => {
    const report = await buildReport(fixture.storage.db, new Date(0));
    const jobs = await fixture.storage.tickets.all();
    const count = (f: (j: (typeof jobs)[number]) => boolean) => jobs.filter(f).length;
    assert.deepEqual(
      { ...report.tickets, recent: undefined },
      {
        opened: count((j) => j.status === 'sent' && j.kind === 'open'),
        noted: count((j) => j.status === 'sent' && j.kind === 'note'),
        failed: count((j) => j.status === 'failed'),
        waiting: count((j) => j.status === 'pending'),
        recent: undefined,
      },
    );
    assert.ok(report.tickets.opened >= 8 && report.tickets.noted >= 2 && report.tickets.failed >= 2);
    const numbers = new Set(sn.incidents.map((i) => String(i.number)));
    assert.ok(report.tickets.recent.length > 0);
    for (const r of report.tickets.recent) {
      assert.ok(numbers.has(r.number), `${r.number} is an incident the fake made`);
      assert.equal(r.code, '0x80070002');
      assert.equal(r.system, 'servicenow');
    }
    assert.match(
      reportText(report),
      /Tickets on hand-off: opened \d+, notes added \d+, given up \d+, waiting \d+\n {2}INC\d{7} {2}servicenow {2}0x80070002 {2}teams:conv-/,
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
