/**
 * `winfix report` on tickets handed off: opened, noted, given up and waiting, counted from the outbox, and
 * the latest incidents listed with their error codes.
 */
import assert from 'node:assert/strict';
import { reportText } from '../../../cli/report-command';
import { SecretString } from '../../../connectors/azure-automation/settings';
import { buildReport } from '../../../connectors/storage/report-queries';
import { ServiceNowTickets } from '../../../connectors/tickets';
import { type BackendFixture, onEachBackend } from '../storage/test-databases';
import { SAY, ticketHarness } from './handoff-harness';

onEachBackend('tickets on hand-off', (fixture: BackendFixture) => {
  const { sn, botOn, outboxOn, chatOn } = ticketHarness(fixture);

  /** Eight hand-offs opened as incidents, two of them handed off again (notes), and two given up. */
  before(async () => {
    const bot = botOn(fixture.storage);
    const handoff = async (chat = chatOn(bot)) => {
      await chat.say(SAY.en);
      await chat.act({ verb: 'handoff' });
      return chat;
    };
    const opened = [];
    for (let i = 0; i < 8; i++) opened.push(await handoff());
    const outbox = outboxOn(fixture.storage, bot);
    await outbox.runOnce();
    fixture.clock.advance(60 * 60_000);
    for (const chat of opened.slice(0, 2)) await handoff(chat);
    await outbox.runOnce();
    const refusing = new ServiceNowTickets({
      instance: sn.url,
      auth: { kind: 'bearer', token: new SecretString('expired') },
    });
    for (let i = 0; i < 2; i++) await handoff();
    await outboxOn(fixture.storage, bot, { system: refusing }).runOnce();
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
});
