/**
 * Retention of the ticket outbox (decision 0037) on PGlite and PostgreSQL: finished jobs (sent or
 * given up) older than the retention period are deleted in bounded rounds, oldest first; recent ones,
 * pending ones and leased ones stay; two instances pruning at once delete each row once; and a second
 * hand-off of a case whose first job was pruned still goes to the case's ticket as a note.
 */
import assert from 'node:assert/strict';
import { type Bot, createBot, type OutgoingMessage } from '../../../bot';
import { createTranslator } from '../../../bot/i18n/translator';
import { SecretString } from '../../../connectors/azure-automation/settings';
import { insertTicketJobs, type Storage } from '../../../connectors/storage';
import { ServiceNowTickets, type TicketNotifier, TicketOutbox } from '../../../connectors/tickets';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import { ChatDriver } from '../../bot/chat-driver';
import { FakeServiceNow } from '../../helpers/fake-servicenow';
import { ticketJobDraft } from '../../helpers/ticket-job-draft';
import { type BackendFixture, MemoryStorageLog, onEachBackend } from '../storage/test-databases';

const DAY = 86_400_000;
const t = createTranslator();

/** What the employee's conversations were sent. */
class EmployeeInbox implements TicketNotifier {
  readonly sent: { key: string; text: string }[] = [];
  async toConversation(key: string, messages: OutgoingMessage[]): Promise<void> {
    for (const m of messages) this.sent.push({ key, text: 'text' in m ? String(m.text) : '' });
  }
  async toTechnicians(): Promise<void> {}
  textsTo(key: string): string[] {
    return this.sent.filter((s) => s.key === key).map((s) => s.text);
  }
}

let knowledge: Knowledge;
before(() => {
  knowledge = createKnowledge();
});

onEachBackend('ticket job retention', (fixture: BackendFixture) => {
  const sn = new FakeServiceNow({ bearer: 'sn-token' });
  const log = new MemoryStorageLog();
  let run = 0;

  before(() => sn.start());
  after(() => sn.stop());

  const outboxOn = (storage: Storage, over: Partial<ConstructorParameters<typeof TicketOutbox>[0]> = {}) =>
    new TicketOutbox({
      jobs: storage.tickets,
      system: new ServiceNowTickets({
        instance: sn.url,
        auth: { kind: 'bearer', token: new SecretString('sn-token') },
        timeoutMs: 1000,
      }),
      notifier: new EmployeeInbox(),
      audit: (entry) => storage.audit.append(entry),
      translator: t,
      technicianLocale: 'en',
      clock: fixture.clock,
      log,
      ...over,
    });

  /**
   * Six old finished jobs (five sent, one second apart, then one given up), one finished ten days
   * later, one leased to an instance that has not finished it, one pending after a failed try (no
   * lease, due again much later); then 31 days pass. Ids carry `prefix`, so each test sees only its own.
   */
  async function seed(storage: Storage) {
    const prefix = `r${++run}-`;
    const ids = {
      old: ['a1', 'a2', 'a3', 'a4', 'a5', 'gave-up'].map((x) => prefix + x),
      recent: `${prefix}recent`,
      leased: `${prefix}leased`,
      pending: `${prefix}pending`,
    };
    const all = [...ids.old, ids.recent, ids.leased, ids.pending];
    const jobs = storage.tickets;
    const now = () => fixture.clock.now();
    // Finished jobs an earlier test kept are cleared, so that counts are this test's own.
    await jobs.prune(new Date(now().getTime() + DAY), 1000);
    await insertTicketJobs(
      storage.db,
      all.map((id) => ticketJobDraft(id)),
      now(),
    );
    // Leases far longer than the tests' days, so no later test's claim takes another's job.
    const claimed = await jobs.claimDue('x', 50, 1000 * DAY);
    assert.deepEqual(claimed.map((j) => j.id).sort(), all.sort(), 'nothing else was due');
    const job = (id: string) => {
      const found = claimed.find((j) => j.id === id);
      assert.ok(found, id);
      return found;
    };
    const ref = (n: number) => ({
      system: 'servicenow' as const,
      id: `sys${n}`,
      number: `INC${n}`,
      url: null,
    });
    for (const [i, id] of ids.old.slice(0, 5).entries()) {
      assert.ok(await jobs.sent(job(id), 'x', ref(i), true));
      fixture.clock.advance(1000);
    }
    assert.ok(await jobs.giveUp(job(ids.old[5] ?? ''), 'x', 'HTTP 403'));
    assert.ok(await jobs.retry(ids.pending, 'x', 'HTTP 503', new Date(now().getTime() + 1000 * DAY)));
    fixture.clock.advance(10 * DAY);
    assert.ok(await jobs.sent(job(ids.recent), 'x', ref(9), true));
    fixture.clock.advance(21 * DAY);
    const left = async () =>
      (await jobs.all())
        .map((j) => j.id)
        .filter((id) => id.startsWith(prefix))
        .sort();
    return { ids, left, kept: [ids.recent, ids.leased, ids.pending].sort() };
  }

  it('deletes finished jobs older than the retention period, oldest first, at most the limit a round', async () => {
    const { ids, left, kept } = await seed(fixture.storage);
    const outbox = outboxOn(fixture.storage, { retentionDays: 30, pruneLimit: 4 });
    assert.equal(await outbox.pruneOnce(), 4, 'the limit holds');
    assert.deepEqual(await left(), [...kept, ...ids.old.slice(4)].sort(), 'the four oldest went first');
    assert.equal(await outbox.pruneOnce(), 2);
    assert.deepEqual(await left(), kept, 'recent, leased and pending jobs stay');
    assert.equal(await outbox.pruneOnce(), 0);
    assert.ok(log.of('info').includes('ticket outbox: deleted 4 finished job(s) older than 30 day(s)'));

    const leased = await fixture.storage.tickets.get(ids.leased);
    assert.deepEqual([leased?.status, leased?.lockedBy], ['pending', 'x'], 'still leased, untouched');
    const pending = await fixture.storage.tickets.get(ids.pending);
    assert.deepEqual([pending?.status, pending?.lockedBy, pending?.lastError], ['pending', null, 'HTTP 503']);
    // Eleven more days: the recent job is past 30 days now; pending ones never go.
    fixture.clock.advance(11 * DAY);
    assert.equal(await outbox.pruneOnce(), 1);
    assert.deepEqual(await left(), [ids.leased, ids.pending].sort());
  });

  it('keeps jobs for as many days as it is told', async () => {
    const { ids, left } = await seed(fixture.storage);
    assert.equal(await outboxOn(fixture.storage, { retentionDays: 32 }).pruneOnce(), 0, '31 days < 32');
    assert.equal(await outboxOn(fixture.storage, { retentionDays: 21 }).pruneOnce(), 6, 'default limit');
    assert.deepEqual(
      await left(),
      [ids.recent, ids.leased, ids.pending].sort(),
      'recent: 21 days, not older',
    );
  });

  it('is harmless when two instances on one database prune at once: each old job is deleted once', async () => {
    const { left, kept } = await seed(fixture.storage);
    const other = await fixture.second();
    const options = { retentionDays: 30, pruneLimit: 4 };
    const counts = await Promise.all([
      outboxOn(fixture.storage, { ...options, owner: 'a' }).pruneOnce(),
      outboxOn(other, { ...options, owner: 'b' }).pruneOnce(),
    ]);
    assert.equal(counts[0] + counts[1], 6, `deleted ${counts.join(' + ')}`);
    assert.deepEqual(await left(), kept);
    assert.equal(await outboxOn(other, options).pruneOnce(), 0);
  });
});

onEachBackend('a second hand-off after its case ticket job was pruned', (fixture: BackendFixture) => {
  const sn = new FakeServiceNow({ bearer: 'sn-token' });
  const inbox = new EmployeeInbox();
  let n = 0;

  before(() => sn.start());
  after(() => sn.stop());

  const botOn = (storage: Storage): Bot =>
    createBot({
      knowledge,
      store: storage.conversations,
      clock: fixture.clock,
      defaultLocale: 'en',
      technicianLocale: 'en',
      tickets: { system: 'servicenow' },
    });
  const outboxOn = (storage: Storage, bot: Bot, token = 'sn-token') => {
    const outbox = new TicketOutbox({
      jobs: storage.tickets,
      system: new ServiceNowTickets({
        instance: sn.url,
        auth: { kind: 'bearer', token: new SecretString(token) },
        timeoutMs: 1000,
      }),
      notifier: inbox,
      audit: (entry) => storage.audit.append(entry),
      translator: t,
      technicianLocale: 'en',
      clock: fixture.clock,
      log: new MemoryStorageLog(),
      retentionDays: 1,
    });
    outbox.attach(bot);
    return outbox;
  };
  const handOff = async (chat: ChatDriver) => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await chat.act({ verb: 'handoff' });
  };

  it('adds the note to the ticket the first hand-off opened, though that job is gone', async () => {
    const bot = botOn(fixture.storage);
    const chat = new ChatDriver(bot, `conv-${++n}`, { id: `u${n}`, name: 'Aiko Tanaka' }, 'teams');
    const key = `teams:conv-${n}`;
    const outbox = outboxOn(fixture.storage, bot);
    await handOff(chat);
    assert.equal((await outbox.runOnce()).sent, 1);
    const incident = sn.incidents.at(-1);
    const number = String(incident?.number);
    const [open] = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === key);
    assert.equal(open?.status, 'sent');

    // 13 days later (a note within 14 days of the last hand-off), with a retention of one day.
    fixture.clock.advance(13 * DAY);
    assert.ok((await outbox.pruneOnce()) >= 1);
    assert.equal(await fixture.storage.tickets.get(open?.id ?? ''), null, 'the open job was pruned');

    const incidents = sn.incidents.length;
    await handOff(chat);
    assert.ok(
      chat.last.some((m) => m.kind === 'text' && m.text === t.t('en', 'ticket.noting', { number })),
      'the employee hears the existing number at once',
    );
    assert.equal((await outbox.runOnce()).sent, 1);
    assert.equal(sn.incidents.length, incidents, 'no second incident');
    const patch = sn.calls('PATCH', 'incident').at(-1);
    assert.equal(patch?.path, `/api/now/table/incident/${String(incident?.sys_id)}`);
    assert.match(String(patch?.body?.work_notes), /Hand-off from Aiko Tanaka/);
    const [note] = (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === key);
    assert.deepEqual([note?.kind, note?.status, note?.ticketNumber], ['note', 'sent', number]);
  });

  it('lets the note open the ticket when the given-up open job was pruned', async () => {
    const bot = botOn(fixture.storage);
    const chat = new ChatDriver(bot, `conv-${++n}`, { id: `u${n}`, name: 'Aiko Tanaka' }, 'teams');
    const key = `teams:conv-${n}`;
    await handOff(chat);
    // The first open is refused for good (HTTP 401) and given up.
    assert.equal((await outboxOn(fixture.storage, bot, 'expired').runOnce()).failed, 1);
    fixture.clock.advance(2 * DAY);
    const outbox = outboxOn(fixture.storage, bot);
    assert.ok((await outbox.pruneOnce()) >= 1);
    assert.deepEqual(
      (await fixture.storage.tickets.all()).filter((j) => j.conversationKey === key),
      [],
      'the given-up job was pruned',
    );

    const incidents = sn.incidents.length;
    await handOff(chat);
    assert.ok(chat.last.some((m) => m.kind === 'text' && m.text === t.t('en', 'ticket.noting-pending')));
    const round = await outbox.runOnce();
    assert.deepEqual([round.sent, round.deferred], [1, 0], 'not held for an open that is gone');
    assert.equal(sn.incidents.length, incidents + 1, 'the note opened the case ticket');
    const number = String(sn.incidents.at(-1)?.number);
    assert.equal(inbox.textsTo(key)[0]?.split('\n')[0], t.t('en', 'ticket.opened', { number }));
  });
});
