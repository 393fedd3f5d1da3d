/**
 * Issue 14 item 2: no approved run is lost. A bot process "dies" at each step of request → approve →
 * create → poll → result (the step throws, as a crash would stop it, and the process's database
 * connections are closed), then a fresh process on the same database and the same fake ARM sweeps and
 * polls. Every time: exactly one job created in ARM, it completes, both sides are told the result
 * exactly once, and the audit log tells one consistent story. A process that dies while the request is
 * being made takes the employee's turn with it: the request is withdrawn and the employee told to ask
 * again, and asking again works. On PGlite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver } from '../bot/chat-driver';
import { BACKENDS } from '../connectors/storage/test-databases';
import { healthOutput } from '../helpers/remote-fixtures';
import { AIKO, enrollAiko, KENJI, type Remote, requestDiagnostics, startRemote } from './remote-harness';

const HEALTH_OUTPUT = healthOutput({ freeDiskGb: 40, clockSkewMinutes: 0.1, disabledServices: [] });

class Killed extends Error {
  constructor(where: string) {
    super(`process killed at ${where}`);
  }
}

type Step = 'request' | 'approve' | 'poll';

interface KillPoint {
  title: string;
  /** The step of the flow during which the process dies. */
  during: Step;
  /** Makes the process die at that point (replaces one method of one of its parts). */
  arm(r: Remote): void;
}

/** Replaces `object[method]` so that it dies before (or after) doing its work, once `when` says so. */
function dieAt<T extends object>(
  object: T,
  method: keyof T & string,
  place: 'before' | 'after',
  when: (...args: never[]) => boolean = () => true,
): void {
  const original = (object[method] as (...args: unknown[]) => Promise<unknown>).bind(object);
  (object as Record<string, unknown>)[method] = async (...args: never[]) => {
    if (!when(...args)) return original(...args);
    if (place === 'before') throw new Killed(`${method} (before)`);
    await original(...args);
    throw new Killed(`${method} (after)`);
  };
}

const KILL_POINTS: KillPoint[] = [
  {
    title: 'the request is stored, its card not posted yet',
    during: 'request',
    arm: (r) => dieAt(r.storage.approvals, 'request', 'after'),
  },
  {
    title: 'the card is posted, not yet recorded as posted',
    during: 'request',
    arm: (r) => dieAt(r.storage.approvals, 'markAnnounced', 'before'),
  },
  {
    title: 'the decision and job are stored, nobody told yet',
    during: 'approve',
    arm: (r) => dieAt(r.storage.approvals, 'decide', 'after'),
  },
  {
    title: 'the create is marked as attempted, not sent',
    during: 'poll',
    arm: (r) => dieAt(r.storage.jobs, 'markStarting', 'after'),
  },
  {
    title: 'the create reached Azure, its answer not recorded',
    during: 'poll',
    arm: (r) => dieAt(r.wiring.executor, 'start', 'after'),
  },
  {
    title: 'the result is recorded, nobody told yet',
    during: 'poll',
    arm: (r) =>
      dieAt(
        r.storage.jobs,
        'recordPoll',
        'after',
        (_id: string, _owner: string, poll: { status: string }) => poll.status === 'Completed',
      ),
  },
];

for (const backend of BACKENDS)
  describe(`remote runs survive a process killed at any step [${backend}]`, function () {
    this.timeout(60_000);
    let knowledge: Knowledge;
    before(() => {
      knowledge = createKnowledge();
    });

    const approveOf = (r: Remote) =>
      [...r.notifier.posted, ...r.notifier.updated]
        .filter((c) => c.status === 'pending')
        .at(-1)
        ?.choices.find((c) => c.action.verb === 'approve')?.action;

    /** Runs the flow in `r` from `from` on; stops silently when the process is killed. */
    async function flow(r: Remote, from: Step): Promise<'done' | 'killed'> {
      try {
        if (from === 'request') await requestDiagnostics(r.chat);
        if (from === 'request' || from === 'approve') {
          const approve = approveOf(r);
          if (approve) await r.press(KENJI, approve);
        }
        r.fake.script('*', { output: HEALTH_OUTPUT });
        for (let i = 0; i < 5; i++) await r.poll();
        // The poller logs what a poll threw and goes on: a kill inside it shows in the log.
        if (r.logs.some((l) => /process killed/.test(l))) return 'killed';
        return 'done';
      } catch (error) {
        if (error instanceof Killed || /process killed/.test(String((error as Error).message)))
          return 'killed';
        throw error;
      }
    }

    for (const point of KILL_POINTS)
      it(`killed when ${point.title}: one job, both sides told once, a consistent audit log`, async () => {
        const first = await startRemote(knowledge, { backend });
        await enrollAiko(first.storage);
        point.arm(first);
        assert.equal(await flow(first, 'request'), 'killed', 'the process died where it was meant to');
        // The process is gone: its connections close, its leases run out.
        await first.storage.close();
        first.clock.advance(3 * 60_000);

        const next = await startRemote(knowledge, { db: first.db, fake: first.fake, clock: first.clock });
        try {
          await next.sweep();
          if (point.during === 'request') {
            // The employee's turn died with the process: the request is withdrawn and they are told.
            const [withdrawn] = await next.storage.approvals.forConversation('teams:conv-aiko');
            assert.equal(withdrawn?.status, 'expired');
            assert.equal(withdrawn?.note, 'interrupted');
            assert.match(next.notifier.userTexts().join('\n'), /did not reach the technicians/);
            assert.equal(await next.storage.jobs.forApproval(withdrawn?.id ?? ''), null);
            // They ask again, in the same conversation, on the new process.
            const chat = new ChatDriver(next.bot, 'conv-aiko', AIKO, 'teams');
            await chat.act({ verb: 'resume' });
            await chat.press('Run it for me');
          }
          // Whatever the dead process left (a decision to take), the flow goes on.
          const approve = approveOf(next);
          if (approve) assert.match(await next.press(KENJI, approve), /^Approved\./);
          for (let i = 0; i < 5; i++) await next.poll();
          await next.sweep();

          const approvals = await next.storage.approvals.forConversation('teams:conv-aiko');
          assert.equal(
            approvals.length,
            point.during === 'request' ? 2 : 1,
            'one request (and one withdrawn)',
          );
          const approval = approvals[0];
          assert.ok(approval);
          assert.equal(approval.status, 'approved');
          assert.equal(approval.announced, 'finished', 'everything recorded was told');
          const job = await next.storage.jobs.forApproval(approval.id);
          assert.ok(job, 'the approval has its job');
          assert.equal(job.status, 'Completed');
          assert.equal(first.fake.creates(job.id), 1, 'exactly one create reached ARM');
          assert.equal(first.fake.jobs.size, 1, 'exactly one job exists in ARM');

          // Technicians: the card (as the new process drew it) shows the result; the output once.
          const card = next.notifier.card(approval.id) ?? first.notifier.card(approval.id);
          assert.match(card?.job ?? '', /^Job: Completed/);
          assert.deepEqual(card?.choices, [], 'nothing left to press');
          const outputs = [...first.notifier.technicians, ...next.notifier.technicians].filter((t) =>
            /^Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(t.text),
          );
          assert.equal(outputs.length, 1, 'the output was posted to the technicians once');
          // The employee: told the result once.
          const told = [...first.notifier.userTexts(), ...next.notifier.userTexts()];
          assert.equal(
            told.filter((t) => /Diagnostics on PC-0042 are done/.test(t)).length,
            1,
            told.join('\n'),
          );

          // The audit log: one request, one approval, one job; in order.
          const audit = await next.storage.audit.list({ limit: 500 });
          const count = (action: string) => audit.filter((e) => e.action === action).length;
          const asked = point.during === 'request' ? 2 : 1;
          assert.equal(count('approval.requested'), asked);
          assert.equal(count('approval.withdrawn'), asked - 1);
          for (const action of ['approval.approved', 'job.created', 'job.completed'])
            assert.equal(count(action), 1, `${action} once: ${audit.map((e) => e.action).join(', ')}`);
          const at = (action: string) => audit.findLastIndex((e) => e.action === action);
          assert.ok(at('approval.requested') < at('approval.approved'));
          assert.ok(at('approval.approved') < at('job.created'));
          assert.ok(at('job.created') < at('job.starting'));
          assert.ok(at('job.starting') < at('job.completed'));
          const approved = audit.find((e) => e.action === 'approval.approved');
          assert.equal(
            (approved?.data.technician as { directoryId?: string })?.directoryId,
            KENJI.directoryId,
          );
          assert.deepEqual(first.fake.problems, []);
        } finally {
          await next.close();
          await first.close();
        }
      });
  });
