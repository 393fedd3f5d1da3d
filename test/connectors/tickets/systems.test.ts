/** The two ticket systems against fakes of the remote side: ServiceNow's Table API and a webhook receiver. */
import assert from 'node:assert/strict';
import type { TicketDescription } from '../../../bot';
import { SecretString } from '../../../connectors/azure-automation/settings';
import {
  correlationId,
  ServiceNowTickets,
  TICKET_ERROR_CLASSES,
  TicketSystemError,
  WebhookTickets,
} from '../../../connectors/tickets';
import { FakeServiceNow } from '../../helpers/fake-servicenow';
import { FakeTicketWebhook } from '../../helpers/fake-ticket-webhook';

function sampleTicket(over: Partial<TicketDescription> = {}): TicketDescription {
  return {
    caseId: 'teams:a:conv-1#1.abc',
    handoff: 1,
    conversationKey: 'teams:a:conv-1',
    reason: 'user-asked',
    title: 'winfix hand-off: 0x80070002 (ERROR_FILE_NOT_FOUND), Windows Update',
    summary: 'Hand-off from Aiko Tanaka · asked for a technician\nFacts:\n- Code: 0x80070002',
    locale: 'en',
    employeeLocale: 'ja',
    caller: {
      platform: 'teams',
      userId: '29:aiko',
      name: 'Aiko Tanaka',
      email: 'aiko@example.com',
      directoryId: null,
    },
    category: 'windows-update',
    code: '0x80070002',
    codeName: 'ERROR_FILE_NOT_FOUND',
    otherCodes: [],
    os: 'Windows 11 23H2',
    computers: ['PC-0042'],
    tried: [
      {
        stepId: 'restart-pc',
        title: 'Restart',
        outcome: 'didnt-help',
        outcomeLabel: "Didn't help",
        at: '2026-03-02T09:01:00Z',
      },
    ],
    next: [],
    userWords: ['Windows Update fails with 0x80070002'],
    mentionedTickets: [],
    startedAt: '2026-03-02T09:00:00Z',
    handedOffAt: '2026-03-02T09:05:00Z',
    remoteRuns: [],
    ...over,
  };
}

describe('ServiceNow tickets (Table API)', () => {
  const fake = new FakeServiceNow({
    basic: { user: 'winfix.integration', password: 'pw-1' },
    users: { 'aiko@example.com': 'a'.repeat(32) },
  });
  let sn: ServiceNowTickets;
  before(async () => {
    const instance = await fake.start();
    sn = new ServiceNowTickets({
      instance,
      auth: { kind: 'basic', user: 'winfix.integration', password: new SecretString('pw-1') },
      assignmentGroup: 'b'.repeat(32),
      timeoutMs: 2000,
    });
  });
  after(() => fake.stop());

  it('opens an incident with the documented fields and gives back its number, sys_id and link', async () => {
    const ref = await sn.open(sampleTicket(), 'teams:a:conv-1#1.abc/1');
    const post = fake.calls('POST', 'incident');
    assert.equal(post.length, 1);
    assert.equal(post[0]?.contentType, 'application/json');
    assert.equal(post[0]?.query.sysparm_fields, 'sys_id,number');
    assert.equal(post[0]?.query.sysparm_exclude_reference_link, 'true');
    const incident = fake.incidents[0];
    assert.ok(incident);
    assert.equal(incident.short_description, sampleTicket().title);
    assert.equal(incident.description, sampleTicket().summary);
    assert.equal(incident.caller_id, 'a'.repeat(32), 'the caller found by e-mail in sys_user');
    assert.equal(incident.category, 'software');
    assert.equal(incident.assignment_group, 'b'.repeat(32));
    assert.equal(incident.correlation_id, correlationId('teams:a:conv-1#1.abc/1'));
    assert.equal(incident.correlation_display, 'winfix');
    assert.deepEqual(ref, {
      system: 'servicenow',
      id: incident.sys_id,
      number: 'INC0010001',
      url: `${fake.url}/nav_to.do?uri=${encodeURIComponent(`incident.do?sys_id=${incident.sys_id}`)}`,
    });
  });

  it('opens no second incident when the same job is sent again (found by correlation_id)', async () => {
    const again = await sn.open(sampleTicket(), 'teams:a:conv-1#1.abc/1');
    assert.equal(again.number, 'INC0010001');
    assert.equal(fake.incidents.length, 1);
  });

  it('adds a note as work_notes with PATCH on the incident', async () => {
    const ref = await sn.open(sampleTicket(), 'teams:a:conv-1#1.abc/1');
    await sn.addNote(ref, sampleTicket({ handoff: 2, summary: 'second hand-off summary' }), 'k/2');
    const patch = fake.calls('PATCH', 'incident').at(-1);
    assert.equal(patch?.path, `/api/now/table/incident/${ref.id}`);
    assert.deepEqual(Object.keys(patch?.body ?? {}), ['work_notes']);
    assert.match(fake.workNotes.get(ref.id)?.at(-1) ?? '', /second hand-off summary/);
    assert.equal(fake.incidents.length, 1);
  });

  it('opens without a caller when the e-mail is not in sys_user', async () => {
    await sn.open(
      sampleTicket({ caller: { ...sampleTicket().caller, email: 'nobody@example.com' } }),
      'k-2/1',
    );
    assert.equal(fake.incidents.at(-1)?.caller_id, undefined);
  });

  it('says a 503 may be retried, and a 401 or a 404 may not', async () => {
    fake.faults.push({ kind: 'status', status: 503 });
    await assert.rejects(sn.open(sampleTicket(), 'k-3/1'), (e: unknown) => {
      assert.ok(e instanceof TicketSystemError);
      assert.equal(e.permanent, false);
      assert.equal(e.status, 503);
      assert.match(e.message, /Service Unavailable/);
      return true;
    });
    const wrong = new ServiceNowTickets({
      instance: fake.url,
      auth: { kind: 'bearer', token: new SecretString('not-the-token') },
    });
    await assert.rejects(wrong.open(sampleTicket(), 'k-4/1'), (e: unknown) => {
      assert.ok(e instanceof TicketSystemError && e.permanent && e.status === 401);
      assert.match(e.message, /User Not Authenticated/);
      assert.doesNotMatch(e.message, /not-the-token/);
      return true;
    });
    const gone = { system: 'servicenow' as const, id: 'c'.repeat(32), number: 'INC0999999', url: null };
    await assert.rejects(sn.addNote(gone, sampleTicket(), 'k-5/2'), (e: unknown) => {
      assert.ok(e instanceof TicketSystemError && e.permanent && e.status === 404);
      return true;
    });
  });

  it('says a dropped connection and a timeout may be retried', async () => {
    fake.faults.push({ kind: 'drop' });
    await assert.rejects(
      sn.open(sampleTicket(), 'k-6/1'),
      (e: unknown) => e instanceof TicketSystemError && !e.permanent,
    );
    fake.faults.push({ kind: 'hang-after-apply' });
    await assert.rejects(
      sn.open(sampleTicket(), 'k-7/1'),
      (e: unknown) => e instanceof TicketSystemError && !e.permanent && /no answer/.test(e.message),
    );
  });

  it('has unique error codes', () => {
    const codes = TICKET_ERROR_CLASSES.map((C) => new C('x', false).code);
    assert.equal(new Set(codes).size, codes.length);
  });
});

describe('ticket webhook (signed)', () => {
  const secret = 'a-very-long-webhook-secret';
  const receiver = new FakeTicketWebhook(secret);
  let hook: WebhookTickets;
  before(async () => {
    hook = new WebhookTickets({
      url: await receiver.start(),
      secret: new SecretString(secret),
      timeoutMs: 2000,
    });
  });
  after(() => receiver.stop());

  it('POSTs a ticket the receiver verifies (HMAC over timestamp and body) and answers with a number', async () => {
    const ref = await hook.open(sampleTicket(), 'case-1/1');
    assert.deepEqual(ref, {
      system: 'webhook',
      id: 'id-HD-1001',
      number: 'HD-1001',
      url: 'https://helpdesk.example/tickets/HD-1001',
    });
    assert.deepEqual(receiver.requests.at(-1), { key: 'case-1/1', verified: true, status: 201 });
    const body = receiver.received[0]?.body as { kind: string; ticket: TicketDescription };
    assert.equal(body.kind, 'open');
    assert.equal(body.ticket.code, '0x80070002');
  });

  it('sends a note with the ticket number, and a repeat of a key makes nothing new', async () => {
    const ref = await hook.open(sampleTicket(), 'case-1/1');
    assert.equal(ref.number, 'HD-1001');
    await hook.addNote(ref, sampleTicket({ handoff: 2 }), 'case-1/2');
    assert.deepEqual(
      receiver.received.map((r) => [r.kind, r.number]),
      [
        ['open', 'HD-1001'],
        ['note', 'HD-1001'],
      ],
    );
  });

  it('is refused for good with the wrong secret, and retried on 503', async () => {
    const forged = new WebhookTickets({
      url: receiver.url,
      secret: new SecretString('another-secret-value'),
    });
    await assert.rejects(forged.open(sampleTicket(), 'case-2/1'), (e: unknown) => {
      assert.ok(e instanceof TicketSystemError && e.permanent && e.status === 401);
      return true;
    });
    assert.equal(receiver.requests.at(-1)?.verified, false);
    receiver.faults.push({ kind: 'status', status: 503 });
    await assert.rejects(
      hook.open(sampleTicket(), 'case-2/1'),
      (e: unknown) => e instanceof TicketSystemError && !e.permanent,
    );
    assert.equal(receiver.received.length, 2, 'nothing applied by either');
  });
});
