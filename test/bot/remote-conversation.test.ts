/**
 * "Run it for me" in the conversation core, with a RemoteRunsPort written here that records requests
 * and answers as the coordinator would (the coordinator itself is tested with real storage in
 * test/runs/remote-runs.test.ts).
 */
import assert from 'node:assert/strict';
import { type Bot, createBot, type OutgoingMessage, type RemoteUpdateEvent, type Sender } from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import type { Computer, RemoteRunsPort, RunRequest, RunRequestResult } from '../../runs';
import { ChatDriver, steppingClock } from './chat-driver';

class RecordingRemote implements RemoteRunsPort {
  readonly approvalMinutes = 30;
  readonly requests: RunRequest[] = [];
  computers: Computer[] = [{ name: 'PC-0042', workerGroup: 'hrw-pc-0042' }];
  answer: RunRequestResult | null = null;
  constructor(readonly dryRun = false) {}
  async computersOf(_platform: string, _user: Sender) {
    return this.computers;
  }
  allows(runbook: string) {
    return runbook !== 'Invoke-UpdateCleanup';
  }
  async request(request: RunRequest): Promise<RunRequestResult> {
    this.requests.push(request);
    return (
      this.answer ?? {
        kind: 'requested',
        requestId: `req-${this.requests.length}`,
        expiresAt: '2026-03-02T09:30:00Z',
        approvedByPolicy: false,
      }
    );
  }
  async onTechnicianAction(): Promise<OutgoingMessage[]> {
    return [];
  }
}

describe('Run it for me (conversation core)', () => {
  let knowledge: Knowledge;
  let remote: RecordingRemote;
  let bot: Bot;
  let chat: ChatDriver;

  before(() => {
    knowledge = createKnowledge();
  });

  beforeEach(() => {
    remote = new RecordingRemote();
    bot = createBot({ knowledge, remote, clock: steppingClock() });
    chat = new ChatDriver(bot, 'c1', { id: 'u1', name: 'Aiko' });
  });

  const system = (event: Omit<RemoteUpdateEvent, 'type'>) =>
    bot.handle({
      platform: 'test',
      conversationId: 'c1',
      user: { id: 'u1' },
      kind: 'system',
      event: { type: 'remote-update', ...event },
    });

  /** A code the KB does not describe: the generic Windows Update plan (seed 002's checklist). */
  const GENERIC = 'Windows Update fails with 0x8007045b on Windows 11 23H2';
  /** 0x80070002's own order: restart, clock, troubleshooter, cache, DISM/SFC, catalog, clean boot, pause. */
  const SPECIFIC = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

  /** To the generic plan's fourth step (check-disk-space, bound to Get-UpdateHealth). */
  async function toDiagnosticStep() {
    await chat.say(GENERIC);
    for (const id of ['sync-clock', 'check-activation', 'check-network']) {
      assert.equal(chat.step().stepId, id);
      await chat.press("Didn't help");
    }
    assert.equal(chat.step().stepId, 'check-disk-space');
    assert.equal(chat.step().heading, 'Step 4 of 8');
  }

  it('offers the button only for steps with an allowed runbook, and only to enrolled users', async () => {
    await chat.say(SPECIFIC);
    assert.equal(chat.step().stepId, 'restart-and-retry');
    assert.equal(chat.step().runForMe?.label, 'Run it for me');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'sync-clock');
    assert.equal(chat.step().runForMe?.label, 'Run it for me');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'wu-troubleshooter');
    assert.equal(chat.step().runForMe, null, 'no runbook, no button');
    remote.computers = [];
    await chat.say('back');
    assert.equal(chat.step().stepId, 'sync-clock');
    assert.equal(chat.step().runForMe, null, 'not enrolled: never offered');
    await chat.act({ verb: 'run-for-me', step: 'sync-clock' });
    assert.match(chat.text(), /not enrolled for remote fixes/);
    assert.equal(remote.requests.length, 0);
  });

  it("once the employee's part ran out, offers the technician's runnable steps as IT steps, then hands off", async () => {
    await chat.say(SPECIFIC);
    for (let i = 0; i < 8; i++) await chat.press('Skip');
    assert.match(chat.text(), /A technician can run 3 more fix\(es\) on your PC/);
    const offered: string[] = [];
    for (let i = 0; i < 3; i++) {
      const card = chat.step();
      assert.equal(card.heading, `Technician step ${i + 1} of 3`);
      assert.equal(card.commands.length, 0, 'nothing for the employee to type');
      assert.equal(card.runForMe?.label, 'Run it for me');
      offered.push(card.stepId);
      await chat.press('Skip');
    }
    // update-cleanup (Invoke-UpdateCleanup) comes before check-disk-space but is not allowed here.
    assert.deepEqual(offered, ['check-update-history', 'check-update-services', 'check-disk-space']);
    const handoff = chat.one('handoff');
    assert.equal(handoff.reason, 'plan-exhausted');
    const next = handoff.next.map((n) => n.stepId);
    assert.ok(next.includes('update-cleanup') && next.includes('clean-install'));
    for (const id of offered) assert.ok(!next.includes(id), `${id} was offered and skipped`);
  });

  it('asks for consent before a run that restarts the PC, then requests it with the catalog parameters', async () => {
    await chat.say(SPECIFIC);
    assert.equal(chat.step().stepId, 'restart-and-retry');
    const stepCardId = chat.step().id;
    await chat.press('Run it for me');
    const consent = chat.one('question');
    assert.equal(consent.topic, 'confirm-run');
    assert.match(consent.text, /restarts PC-0042/);
    assert.equal(remote.requests.length, 0);
    await chat.press('Yes, it may restart');
    assert.equal(remote.requests.length, 1);
    const request = remote.requests[0];
    assert.equal(request?.runbook, 'Restart-ManagedComputer');
    assert.deepEqual(request?.parameters, { DelaySeconds: '300' });
    assert.deepEqual(request?.computer, { name: 'PC-0042', workerGroup: 'hrw-pc-0042' });
    assert.equal(request?.case.code, '0x80070002');
    assert.deepEqual(request?.case.tried, [], 'the first step: nothing tried yet');
    const status = chat.one('job-status');
    assert.equal(status.stage, 'requested');
    assert.match(status.text, /asked a technician to approve running this on PC-0042.*30 minutes/);
    const answered = (id: string) =>
      chat.transcript.flatMap((m) => (m.kind === 'card-update' && m.cardId === id ? [m.answer] : []));
    assert.deepEqual(answered(stepCardId), ['Replaced by a newer message']);
    assert.deepEqual(answered(consent.id), ['Asked a technician to run it on PC-0042']);
    // While the request waits, a second press is refused without a second request.
    await chat.act({ verb: 'run-for-me', step: 'restart-and-retry' }, null);
    assert.match(chat.text(), /already on its way/);
    assert.equal(remote.requests.length, 1);
  });

  it('"No" to the consent brings the step back and requests nothing', async () => {
    await chat.say(SPECIFIC);
    await chat.press('Run it for me');
    await chat.press("No, I'll do it myself");
    assert.equal(chat.step().stepId, 'restart-and-retry');
    assert.equal(remote.requests.length, 0);
  });

  it('asks which PC when the user has several', async () => {
    remote.computers = [
      { name: 'PC-0042', workerGroup: 'hrw-pc-0042' },
      { name: 'LAPTOP-7', workerGroup: 'hrw-laptop-7' },
    ];
    await toDiagnosticStep();
    await chat.press('Run it for me');
    const question = chat.one('question');
    assert.equal(question.topic, 'computer');
    assert.deepEqual(
      question.choices.map((c) => c.label),
      ['PC-0042', 'LAPTOP-7'],
    );
    await chat.press('LAPTOP-7');
    assert.equal(remote.requests[0]?.computer.name, 'LAPTOP-7');
    assert.equal(remote.requests[0]?.runbook, 'Get-UpdateHealth');
    assert.deepEqual(remote.requests[0]?.parameters, {});
    assert.deepEqual(
      remote.requests[0]?.case.tried.map((t) => t.stepId),
      ['sync-clock', 'check-activation', 'check-network'],
    );
  });

  it('tells the user when another request on the PC is still open', async () => {
    remote.answer = { kind: 'busy', requestId: 'old', stepId: 'sync-clock', computer: 'PC-0042' };
    await toDiagnosticStep();
    await chat.press('Run it for me');
    assert.match(
      chat.text(),
      /already a request waiting for approval on PC-0042 \(“Check the date, time and time zone, and sync the clock”\)/,
    );
  });

  it('follows the request: approved, started, rejected with a reason brings the step card back', async () => {
    await toDiagnosticStep();
    await chat.press('Run it for me');
    const approved = await system({ requestId: 'req-1', stage: 'approved', by: 'Kenji Sato' });
    assert.match((approved[0] as { text: string }).text, /Kenji Sato approved it\. It will start on PC-0042/);
    const rejected = await system({
      requestId: 'req-1',
      stage: 'rejected',
      by: 'Kenji Sato',
      reason: 'call me first',
    });
    assert.match((rejected[0] as { text: string }).text, /declined the remote run\. Reason: call me first/);
    const card = rejected.find((m) => m.kind === 'step');
    assert.equal(card?.kind === 'step' && card.stepId, 'check-disk-space');
    assert.ok(card?.kind === 'step' && card.runForMe, 'the user can ask again');
  });

  it('a finished fix: short summary, retry-and-report, and the same step card to report on', async () => {
    await toDiagnosticStep();
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'watch-download-folder');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'check-update-services');
    await chat.press('Run it for me');
    assert.equal(remote.requests[0]?.runbook, 'Repair-UpdateServices');
    const done = await system({
      requestId: 'req-1',
      stage: 'finished',
      result: {
        status: 'Completed',
        ok: true,
        actions: ['wuauserv: start type Manual', 'bits started'],
        errors: [],
        rebootRequired: false,
        facts: null,
        dryRun: false,
      },
    });
    const texts = done.map((m) => ('text' in m ? m.text : m.kind));
    assert.match(texts[0] ?? '', /The fix ran on PC-0042: wuauserv: start type Manual; bits started/);
    assert.ok(texts.some((t) => /retry what was failing and tell me/.test(t)));
    const card = done.find((m) => m.kind === 'step');
    assert.equal(card?.kind === 'step' && card.stepId, 'check-update-services');
  });

  it('a failed or suspended fix says so and that the technicians have the details', async () => {
    await toDiagnosticStep();
    await chat.press('Run it for me');
    const done = await system({
      requestId: 'req-1',
      stage: 'finished',
      result: {
        status: 'Suspended',
        ok: false,
        actions: [],
        errors: ['The runbook was suspended: worker offline'],
        rebootRequired: false,
        facts: null,
        dryRun: false,
      },
    });
    assert.match(
      (done[0] as { text: string }).text,
      /did not complete on PC-0042 \(Suspended\): The runbook was suspended: worker offline/,
    );
  });

  it('diagnostics change the plan, with the reasons, and the conversation moves on', async () => {
    await toDiagnosticStep();
    await chat.press('Run it for me');
    const done = await system({
      requestId: 'req-1',
      stage: 'finished',
      result: {
        status: 'Completed',
        ok: true,
        actions: [],
        errors: [],
        rebootRequired: false,
        facts: {
          freeDiskGb: 120.5,
          clockSkewMinutes: 0.1,
          disabledServices: ['WUAUSERV'],
          pendingReboot: false,
          thirdPartyAv: false,
          osBuild: 22631,
        },
        dryRun: false,
      },
    });
    const all = done.map((m) => ('text' in m ? m.text : '')).join('\n');
    assert.match(
      all,
      /Diagnostics found: free space on the system drive 120\.5 GB · clock off by 0\.1 min · disabled services: wuauserv/,
    );
    assert.match(all, /I changed the plan/);
    assert.match(all, /Moved up: .*— A service Windows Update needs is set to Disabled/);
    assert.doesNotMatch(all, /Added:|No longer needed:/, 'the same steps, one moved up');
    const card = done.find((m) => m.kind === 'step');
    assert.ok(card?.kind === 'step');
    assert.equal(card.stepId, 'check-update-services', 'the promoted step comes next');
    assert.equal(card.heading, 'Step 5 of 8', "the employee's part stays at 8 steps");
    // The measured facts stay with the conversation: a new plan for the same PC uses them.
    await chat.say('start over');
    await chat.say(GENERIC);
    const steps: string[] = [];
    for (let i = 0; i < 12 && chat.last.some((m) => m.kind === 'step'); i++) {
      steps.push(chat.step().stepId);
      assert.ok(chat.step().total <= 8);
      await chat.press("Didn't help");
    }
    assert.equal(steps[0], 'check-update-services', `the disabled services first: ${steps}`);
    assert.ok(!steps.includes('sync-clock'), `sync-clock should be gone: ${steps}`);
    assert.ok(!steps.includes('check-disk-space'), `check-disk-space should be gone: ${steps}`);
    const next = chat.one('handoff').next.map((n) => n.stepId);
    assert.ok(!next.includes('third-party-security'), `no third-party antivirus: ${next}`);
  });

  it('diagnostics that rule out a later step say so, and the next steps come up to fill the part', async () => {
    await toDiagnosticStep();
    await chat.press('Run it for me');
    const done = await system({
      requestId: 'req-1',
      stage: 'finished',
      result: {
        status: 'Completed',
        ok: true,
        actions: [],
        errors: [],
        rebootRequired: false,
        facts: { freeDiskGb: 64, clockSkewMinutes: 0.2, disabledServices: [], pendingReboot: false },
        dryRun: false,
      },
    });
    const all = done.map((m) => ('text' in m ? m.text : '')).join('\n');
    const services = knowledge.kb.steps.get('check-update-services')?.title.en ?? '?';
    assert.match(all, new RegExp(`No longer needed: ${services.replace(/[()]/g, '\\$&')} — `));
    const card = done.find((m) => m.kind === 'step');
    assert.ok(card?.kind === 'step');
    assert.equal(card.stepId, 'watch-download-folder');
    assert.equal(card.total, 8, 'a step from the rest comes up; the part stays at 8');
  });

  it('in a dry run every remote message says nothing ran', async () => {
    remote = new RecordingRemote(true);
    bot = createBot({ knowledge, remote, clock: steppingClock() });
    chat = new ChatDriver(bot, 'c1', { id: 'u1', name: 'Aiko' });
    await toDiagnosticStep();
    await chat.press('Run it for me');
    assert.match(chat.one('job-status').text, /Dry run: nothing actually ran/);
    const approved = await system({ requestId: 'req-1', stage: 'approved', by: 'K', dryRun: true });
    assert.match((approved[0] as { text: string }).text, /Dry run: nothing actually ran/);
    const started = await system({ requestId: 'req-1', stage: 'started', dryRun: true });
    assert.match((started[0] as { text: string }).text, /Dry run: nothing actually ran/);
    const finished = await system({
      requestId: 'req-1',
      stage: 'finished',
      result: {
        status: 'Completed',
        ok: true,
        actions: [],
        errors: [],
        rebootRequired: false,
        facts: {
          freeDiskGb: 80,
          clockSkewMinutes: 0,
          disabledServices: [],
          pendingReboot: false,
          thirdPartyAv: false,
        },
        dryRun: true,
      },
    });
    assert.match((finished[0] as { text: string }).text, /Dry run: nothing actually ran/);
  });

  it('speaks the user’s language in remote messages', async () => {
    chat = new ChatDriver(bot, 'c-ja', { id: 'u2', name: '愛子' });
    await chat.say('Windows Update で 0x80070002 が出ます。Windows 11 23H2 です');
    await chat.press('解決しない');
    assert.equal(chat.step().stepId, 'sync-clock');
    await chat.press('代わりに実行して');
    assert.match(chat.one('job-status').text, /担当者に承認を依頼しました/);
  });
});
