/**
 * Remote runs over HTTP through `winfix serve` and the Teams connector: the employee and the
 * technicians talk to the bot as Teams would (fake Bot Connector channel, every activity and Adaptive
 * Card checked), the job runs in a fake Azure Resource Manager checked against job.json, and the
 * conversations, approvals and jobs are kept in PGlite across a restart of the server. The job's side:
 * approve → result, a restart while it runs, ARM throttling and errors, jobs that fail or are
 * suspended. Decisions (reject, refusals, forged presses, two technicians at once) are in
 * remote-runs-decisions.test.ts; each technician's own view of the card (refresh) in
 * remote-runs-refresh.test.ts.
 */
import assert from 'node:assert/strict';
import { cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import { HEALTH_OUTPUT, TECHS, teamsRemoteRuns } from './remote-runs-harness';

describe('remote runs through Teams over HTTP (winfix serve, PGlite, fake ARM)', () => {
  const h = teamsRemoteRuns();
  const serve = () => h.serve();
  const people = (url: string) => h.people(url);
  const currentApproval = () => h.currentApproval();
  /** Everything a user was sent: texts, and what cards show. */
  const said = (user: TeamsUser) => h.said(user.conversationId);
  const askForDiagnostics = (aiko: TeamsUser) => h.askForDiagnostics(aiko);

  it('approve → job on the PC → result: card updated in place, output to technicians, plan changed for the user', async () => {
    const server = await serve();
    try {
      const { aiko, kenji, mallory } = people(server.url);
      await kenji.say('hello'); // the bot learns the technicians' channel (its reference is stored)
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await askForDiagnostics(aiko);
      assert.match(said(aiko).join('\n'), /asked a technician to approve running this on PC-0042/i);
      const { card } = currentApproval();
      const text = cardText(card);
      assert.match(text, /Requested by: Aiko Tanaka/);
      assert.match(text, /Runbook: Get-UpdateHealth/);
      assert.match(text, /Parameters: none/);
      assert.deepEqual(submitActions(card), [], 'the card for everyone has nothing to press');
      await kenji.look();
      assert.deepEqual(
        submitActions(h.approvalSeenBy(kenji)).map((a) => a.title),
        ['Approve', 'Reject'],
        "the technician's own view has the buttons",
      );

      // Someone who is not a technician sends an Approve anyway (a forged invoke): refused, nothing changes.
      const approve = submitActions(h.approvalSeenBy(kenji)).find((a) => a.title === 'Approve');
      const forged = await mallory.execute(currentApproval().id, approve?.verb ?? '', approve?.data);
      assert.deepEqual(h.toPresser({ ...forged, invoke: forged.invoke }), [
        'Only technicians can approve or reject remote runs.',
      ]);
      assert.equal(h.fake.requests.length, 0);

      await kenji.press('Approve');
      await h.channel.waitFor(
        () =>
          h.channel
            .sentTo(TECHS)
            .some((c) =>
              /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(String(c.activity?.text)),
            ),
        10_000,
        'the job output in the technicians channel',
      );
      const decided = currentApproval();
      const updates = h.channel.updatesOf(decided.id);
      assert.ok(updates.length >= 2, 'the card was updated in place as the request moved on');
      assert.match(cardText(decided.card), /Approved by Kenji Sato at/);
      assert.match(cardText(decided.card), /Job: Completed — ok/);
      assert.deepEqual(submitActions(decided.card), [], 'nothing left to press once the job finished');
      assert.equal(h.fake.creates([...h.fake.jobs.keys()][0] ?? ''), 1);

      await h.channel.waitFor(
        () => said(aiko).some((t) => /I changed the plan/.test(t)),
        10_000,
        'the changed plan told to the user',
      );
      const told = said(aiko);
      assert.ok(told.some((t) => /Kenji Sato approved it/.test(t)));
      assert.ok(told.some((t) => /Diagnostics found: .*disabled services: bits/.test(t)));
    } finally {
      await server.stop();
    }
  });

  it('the server stops while the job runs; after a restart polling resumes and exactly one job exists', async () => {
    let server = await serve();
    const { kenji, aiko } = people(server.url);
    let jobName = '';
    try {
      await kenji.say('hello');
      await askForDiagnostics(aiko);
      await kenji.press('Approve');
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 10_000;
        const look = () => {
          jobName = [...h.fake.jobs.keys()][0] ?? '';
          if (jobName) {
            h.fake.script(jobName, {
              statuses: [
                'New',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Running',
                'Completed',
              ],
              output: HEALTH_OUTPUT,
            });
            resolve();
          } else if (Date.now() > deadline) reject(new Error('no job was created'));
          else setTimeout(look, 10);
        };
        look();
      });
    } finally {
      await server.stop();
    }
    server = await serve();
    try {
      await h.channel.waitFor(
        () => h.channel.sentTo(TECHS).some((c) => /\(Completed\)/.test(String(c.activity?.text))),
        10_000,
        'the result after the restart',
      );
      assert.equal(h.fake.creates(jobName), 1, 'exactly one job was created');
      assert.equal(h.fake.jobs.size, 1);
      await h.channel.waitFor(
        () => said(aiko).some((t) => /Diagnostics on PC-0042 are done/.test(t)),
        10_000,
        'the user told after the restart',
      );
    } finally {
      await server.stop();
    }
  });

  it('ARM answers the create with 429 (Retry-After) and then 503, and a read with 500: retried, one job, the result arrives', async () => {
    const server = await serve();
    try {
      const { aiko, kenji } = people(server.url);
      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      h.fake.inject('Job_Create', { kind: 'status', status: 429, retryAfter: '7' });
      h.fake.inject('Job_Create', { kind: 'status', status: 503 });
      h.fake.inject('Job_Get', { kind: 'status', status: 500 });
      await askForDiagnostics(aiko);
      await kenji.press('Approve');
      await h.channel.waitFor(
        () => said(aiko).some((t) => /Diagnostics on PC-0042 are done/.test(t)),
        10_000,
        'the employee told the diagnostics are done',
      );
      const outcomes = h.fake.requests.map((q) => `${q.op} ${q.outcome}`);
      for (const expected of ['Job_Create 429', 'Job_Create 503', 'Job_Get 500', 'Job_Create 201'])
        assert.ok(outcomes.includes(expected), `${expected} in ${outcomes.join(', ')}`);
      assert.ok(h.sleeps.includes(7000), `Retry-After: 7 was honoured (waits: ${h.sleeps.join(', ')} ms)`);
      assert.equal(h.fake.jobs.size, 1);
      const [jobName] = [...h.fake.jobs.keys()];
      assert.equal(h.fake.creates(jobName ?? ''), 1, 'exactly one job was created');
      assert.match(cardText(currentApproval().card), /Job: Completed — ok/);
      assert.ok(
        h.said(TECHS).some((t) => /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(t)),
        'the output went to the technicians',
      );
    } finally {
      await h.stopCleanly(server);
    }
  });

  for (const status of ['Failed', 'Suspended'] as const)
    it(`a job that ends ${status}: the technicians' card and output show it, the employee is told`, async () => {
      const server = await serve();
      try {
        const { aiko, kenji } = people(server.url);
        await kenji.say('hello');
        h.fake.script('*', {
          statuses: ['New', 'Running', status],
          exception: 'The worker hrw-pc-0042 went offline',
          output: 'Starting\n',
        });
        await askForDiagnostics(aiko);
        await kenji.press('Approve');
        await h.channel.waitFor(
          () => said(aiko).some((t) => new RegExp(`did not complete on PC-0042 \\(${status}\\)`).test(t)),
          10_000,
          `the employee told the job ended ${status}`,
        );
        await h.channel.waitFor(
          () => new RegExp(`Job: ${status}\\b`).test(cardText(currentApproval().card)),
          10_000,
          `the card showing ${status}`,
        );
        const card = currentApproval();
        assert.match(cardText(card.card), new RegExp(`Job: ${status} — The worker hrw-pc-0042 went offline`));
        assert.match(cardText(card.card), /Approved by Kenji Sato at/);
        assert.deepEqual(submitActions(card.card), [], 'nothing left to press once the job ended');
        assert.ok(
          h
            .said(TECHS)
            .some((t) =>
              new RegExp(
                `\\(${status}\\):\\nAzure Automation says: The worker hrw-pc-0042 went offline\\nStarting`,
              ).test(t),
            ),
          `the output went to the technicians: ${h.said(TECHS).join('\n---\n')}`,
        );
        assert.ok(
          !said(aiko).some((t) => /Diagnostics on PC-0042 are done/.test(t)),
          'the employee was not told it was done',
        );
        assert.ok(
          said(aiko).some((t) =>
            new RegExp(
              `The diagnostics did not complete on PC-0042 \\(${status}\\): The worker hrw-pc-0042 went offline`,
            ).test(t),
          ),
          'the employee was told why, and that it was the diagnostics',
        );
        assert.equal(h.fake.creates([...h.fake.jobs.keys()][0] ?? ''), 1);
      } finally {
        await h.stopCleanly(server);
      }
    });
});
