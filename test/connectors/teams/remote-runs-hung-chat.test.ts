/**
 * A chat that hangs: the Bot Connector takes every call to one employee's conversation and never
 * answers it (Teams' SDK puts no timeout on its calls). Over HTTP through `winfix serve` (PGlite, fake
 * ARM, fake channel): the other employee's run is still approved, run and told, the technicians'
 * channel keeps working, and the employee who could not be reached is reported to the technicians and
 * in the audit log (`notify.failed`, code `winfix_chat_no_answer`) once the notice deadline passes.
 * Before the deadline existed, one hung send held the job poller, and the technician's press with it,
 * for as long as Node's fetch waits (five minutes per call): nobody else's run moved.
 */
import assert from 'node:assert/strict';
import { cardOf, cardText, TeamsUser } from '../../helpers/teams-user';
import { AIKO_CHAT, HEALTH_OUTPUT, TECHS, teamsRemoteRuns } from './remote-runs-harness';

const REN_AAD = 'e6e6e6e6-0000-4000-8000-000000000006';
const REN_CHAT = 'a:ren-personal';

describe('remote runs through Teams when one employee’s chat never answers (winfix serve, PGlite, fake ARM)', function () {
  this.timeout(120_000);
  const h = teamsRemoteRuns();

  it("the other employee's run is approved, run and told; the unreachable one is reported to the technicians", async () => {
    await h.enroll(REN_AAD, 'PC-0077', 'hrw-pc-0077');
    // Far above what the fake channel needs on loopback, far below Node's five minutes.
    const server = await h.serve({}, { noticeDeadlineMs: 3000 });
    let stopped = false;
    try {
      const { aiko, kenji } = h.people(server.url);
      const ren = new TeamsUser(h.channel, server.url, REN_CHAT, {
        legacyClient: true,
        userId: '29:ren',
        name: 'Ren Ito',
        aadObjectId: REN_AAD,
        authorization: h.authorization(),
      });
      const techNotes = () => h.channel.sentTo(TECHS).map((c) => String(c.activity.text ?? ''));
      const cards = () =>
        h.channel
          .sentTo(TECHS)
          .filter((c) => /Remote run requested/.test(cardText(cardOf(c.activity as never))));

      await kenji.say('hello');
      h.fake.script('*', { output: HEALTH_OUTPUT });
      await h.askForDiagnostics(aiko);
      // From now on Aiko's chat takes every call and never answers.
      h.channel.hangs.add(AIKO_CHAT);
      await kenji.press('Approve');

      await ren.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
      for (let i = 0; i < 3; i++) await ren.press("Didn't help");
      assert.equal((await ren.press('Run it for me')).status, 200);
      await h.channel.waitFor(() => cards().length >= 2, 30_000, "Ren's approval card");
      await kenji.press('Approve');

      const renSaid = () => h.said(REN_CHAT).join('\n');
      await h.channel.waitFor(
        () => /Diagnostics found: .*disabled services: bits/.test(renSaid()),
        60_000,
        "Ren told his run's result",
      );
      assert.match(renSaid(), /Kenji Sato approved it/);
      await h.channel.waitFor(
        () => techNotes().some((t) => /Result of Get-UpdateHealth on PC-0042 \(Completed\)/.test(t)),
        60_000,
        "Aiko's job output in the technicians' channel",
      );
      await h.channel.waitFor(
        () => techNotes().filter((t) => /^Aiko Tanaka could not be told in their chat/.test(t)).length >= 2,
        60_000,
        'the technicians told that Aiko could not be reached',
      );
      assert.ok(
        techNotes().some((t) => /did not answer the messages to teams:a:aiko-personal within 3 s/.test(t)),
        'the technicians are told why',
      );
      assert.ok(h.channel.held.length >= 2, 'the calls to Aiko were never answered');
      assert.ok(
        h.channel.held.every((c) => c.conversationId === AIKO_CHAT),
        'only calls to Aiko were held',
      );

      stopped = true;
      assert.equal(await server.stop(), 0, 'the server stops although calls to Aiko still hang');
      const audit = await h.audit();
      const failed = audit.filter((e) => e.action === 'notify.failed');
      assert.ok(failed.length >= 2);
      for (const entry of failed) {
        assert.match(String(entry.targetUser), /aiko/, `about Aiko: ${entry.targetUser}`);
        assert.equal((entry.data as { code?: unknown }).code, 'winfix_chat_no_answer');
      }
      const finished = audit.filter((e) => e.action === 'job.completed');
      assert.equal(finished.length, 2, 'both jobs completed');
      for (const job of h.fake.jobs.keys()) assert.equal(h.fake.creates(job), 1, 'one create per job');
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
