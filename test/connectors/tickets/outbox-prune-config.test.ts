/**
 * WINFIX_TICKET_RETENTION_DAYS (decision 0037): read and checked in cli/config.ts like every variable,
 * listed by `winfix config check`, a bad value refused with a sentence naming it; and `winfix serve`'s
 * wiring hands it to the outbox, whose pruning rounds start and stop with it.
 */
import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../../bot';
import { readConfig } from '../../../cli/config';
import { wireTickets } from '../../../cli/ticket-wiring';
import { insertTicketJobs } from '../../../connectors/storage';
import type { TicketNotifier } from '../../../connectors/tickets';
import { runCli } from '../../helpers/run-cli';
import { ticketJobDraft } from '../../helpers/ticket-job-draft';
import { type BackendFixture, MemoryStorageLog, onEachBackend } from '../storage/test-databases';

const DAY = 86_400_000;
const WEBHOOK = {
  WINFIX_STORAGE: 'memory',
  WINFIX_TICKETS: 'webhook',
  WINFIX_TICKET_WEBHOOK_URL: 'http://127.0.0.1:9/tickets',
  WINFIX_TICKET_WEBHOOK_SECRET: 'webhook-secret-0123456789',
};
const retention = (value?: string) =>
  readConfig({ WINFIX_STORAGE: 'memory', WINFIX_TICKET_RETENTION_DAYS: value }).tickets.retentionDays;

describe('WINFIX_TICKET_RETENTION_DAYS', () => {
  it('defaults to 30 days, with tickets on or off', () => {
    assert.equal(retention(), 30);
    assert.equal(retention(''), 30, 'empty counts as unset');
    assert.equal(readConfig(WEBHOOK).tickets.retentionDays, 30);
  });

  it('takes a whole number of days from 1 to 3650', () => {
    assert.deepEqual(['1', '7', ' 90 ', '3650'].map(retention), [1, 7, 90, 3650]);
  });

  for (const bad of ['0', '-1', '1.5', '30d', 'abc', '3651', '1e3', 'off'])
    it(`refuses "${bad}" with a sentence naming the variable and the range`, () => {
      assert.throws(
        () => retention(bad),
        new RegExp(
          `^\\w*Error: WINFIX_TICKET_RETENTION_DAYS must be a whole number of days, 1–3650 \\(got "${bad}"\\)$`,
        ),
      );
    });

  it('is listed by `winfix config check` (text and --json)', async () => {
    const text = await runCli(['config', 'check'], {
      WINFIX_STORAGE: 'memory',
      WINFIX_TICKET_RETENTION_DAYS: '45',
    });
    assert.equal(text.code, 0, text.out + text.err);
    assert.match(text.out, /^WINFIX_TICKET_RETENTION_DAYS +45 days$/m);
    const json = await runCli(['config', 'check', '--json'], { WINFIX_STORAGE: 'memory' });
    assert.equal(JSON.parse(json.out).settings.WINFIX_TICKET_RETENTION_DAYS, '30 days');
  });

  it('makes `winfix config check` fail on a bad value, naming it', async () => {
    const check = await runCli(['config', 'check'], {
      WINFIX_STORAGE: 'memory',
      WINFIX_TICKET_RETENTION_DAYS: '0',
    });
    assert.equal(check.code, 1);
    assert.match(
      check.out,
      /^1 problem\(s\): winfix serve would refuse to start\n- WINFIX_TICKET_RETENTION_DAYS must be a whole number of days, 1–3650 \(got "0"\)$/m,
    );
  });
});

class NoOneToTell implements TicketNotifier {
  readonly told: OutgoingMessage[][] = [];
  async toConversation(_key: string, messages: OutgoingMessage[]): Promise<void> {
    this.told.push(messages);
  }
  async toTechnicians(): Promise<void> {}
}

onEachBackend("the configured retention in `winfix serve`'s outbox", (fixture: BackendFixture) => {
  it('prunes at start with the configured days, and stops with the outbox', async () => {
    const config = readConfig({ ...WEBHOOK, WINFIX_TICKET_RETENTION_DAYS: '2' });
    const wiring = wireTickets(config, fixture.storage, new NoOneToTell(), new MemoryStorageLog(), {
      intervalMs: 3_600_000,
      pruneEveryMs: 3_600_000,
    });
    assert.ok(wiring);
    const jobs = fixture.storage.tickets;
    const drafts = ['older', 'newer'].map((id) => ticketJobDraft(id, 'webhook'));
    await insertTicketJobs(fixture.storage.db, drafts, fixture.clock.now());
    const claimed = await jobs.claimDue('x', 10, 60_000);
    const ref = { system: 'webhook' as const, id: 'HD-1', number: 'HD-1', url: null };
    for (const job of claimed.sort((a, b) => b.id.localeCompare(a.id))) {
      assert.ok(await jobs.sent(job, 'x', ref, job.id === 'older'));
      fixture.clock.advance(DAY);
    }
    // "older" finished 2.5 days ago, "newer" 1.5 days ago.
    fixture.clock.advance(DAY / 2);
    wiring.outbox.start();
    await wiring.outbox.stop();
    assert.deepEqual(
      (await jobs.all()).map((j) => j.id),
      ['newer'],
    );
  });
});
