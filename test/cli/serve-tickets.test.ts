/**
 * Tickets on hand-off through `winfix serve` (anonymous Teams mode, PGlite, a fake Bot Connector
 * channel, and a helpdesk's webhook receiver that verifies the signature): a hand-off made while the
 * helpdesk is down waits in the outbox across a restart, then goes out once; the employee gets the number
 * in their Teams chat; a second hand-off of the same case is a note on the same ticket.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { FakeTicketWebhook } from '../helpers/fake-ticket-webhook';
import { startServe } from '../helpers/serve';
import { cardOf, cardText, TeamsUser } from '../helpers/teams-user';

const SECRET = 'serve-test-webhook-secret';
const CHAT = 'a:1tickets';

/** Waits until `ready()` holds (the outbox works in the background), failing with `what` after 20 s. */
async function until(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('winfix serve: tickets on hand-off (webhook)', () => {
  let channel: FakeBotConnector;
  let receiver: FakeTicketWebhook;
  let dataDir: string;

  beforeEach(async () => {
    channel = new FakeBotConnector();
    await channel.start();
    receiver = new FakeTicketWebhook(SECRET);
    await receiver.start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'winfix-serve-tickets-'));
  });

  afterEach(async () => {
    await channel.stop();
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(channel.problems, []);
  });

  it('keeps a hand-off made while the helpdesk is down across a restart, sends it once, and tells the employee', async () => {
    const env = {
      WINFIX_STORAGE: 'pglite',
      WINFIX_DATA_DIR: dataDir,
      WINFIX_TICKETS: 'webhook',
      WINFIX_TICKET_WEBHOOK_URL: receiver.url,
      WINFIX_TICKET_WEBHOOK_SECRET: SECRET,
    };
    const fast = { tickets: { intervalMs: 100, backoff: { baseMs: 100, capMs: 300 } } };
    receiver.down = 503;
    let serve = await startServe(env, fast);
    assert.match(serve.log.join('\n'), /tickets on hand-off go to webhook/);
    const aikoOn = (url: string) =>
      new TeamsUser(channel, url, CHAT, { userId: '29:aiko', name: 'Aiko Tanaka' });
    let aiko = aikoOn(serve.url);
    await aiko.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await aiko.say('I need a technician');
    const said = () =>
      channel
        .sentTo(CHAT)
        .map((c) => String(c.activity.text ?? '') || cardText(cardOf(c.activity)))
        .join('\n');
    assert.match(said(), /opening a ticket for this case/);
    await until('a few tries against the helpdesk that is down', () => receiver.requests.length >= 2);
    assert.equal(await serve.stop(), 0);
    assert.equal(receiver.received.length, 0, 'nothing was taken while it was down');
    assert.match(
      serve.log.join('\n'),
      /ticket job .* failed, again in \d+ ms: ticket webhook open: HTTP 503/,
    );

    receiver.down = null;
    serve = await startServe(env, fast);
    try {
      await until('the number in the chat', () => /Ticket HD-1001 was opened/.test(said()));
      assert.deepEqual(
        receiver.received.map((r) => [r.kind, r.number]),
        [['open', 'HD-1001']],
      );
      assert.ok(
        receiver.requests.every((r) => r.key === receiver.requests[0]?.key),
        'one idempotency key',
      );
      assert.ok(receiver.requests.filter((r) => r.status === 201).every((r) => r.verified));
      const ticket = receiver.received[0]?.body.ticket as {
        summary: string;
        code: string;
        caller: { name: string };
      };
      assert.equal(ticket.code, '0x80070002');
      assert.equal(ticket.caller.name, 'Aiko Tanaka');
      assert.match(ticket.summary, /I need a technician/);

      // The same case handed off again: a note on HD-1001, said at once.
      aiko = aikoOn(serve.url);
      await aiko.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
      await aiko.say('I need a technician');
      assert.match(said(), /This goes into your case's ticket HD-1001 as a note/);
      await until('the note', () => receiver.received.length === 2);
      assert.deepEqual(receiver.received[1]?.kind, 'note');
      assert.equal(receiver.received[1]?.number, 'HD-1001');
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  });
});
