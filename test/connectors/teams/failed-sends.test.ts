/**
 * A requester the bot can no longer reach (Teams answers 403 "bot not in the conversation" or 404):
 * what they were to read reaches the technicians' channel next to the card, and the audit log holds a
 * `notify.failed` entry per message that did not arrive. Through `winfix serve`, the fake Bot Connector
 * and the fake ARM.
 */
import assert from 'node:assert/strict';
import { AIKO_CHAT, HEALTH_OUTPUT, TECHS, teamsRemoteRuns } from './remote-runs-harness';

describe('remote runs through Teams: messages the requester cannot receive', () => {
  const h = teamsRemoteRuns();

  for (const status of [403, 404] as const) {
    it(`a ${status} from the channel for the requester's chat goes to the technicians and the audit log`, async () => {
      const server = await h.serve();
      try {
        const { aiko, kenji } = h.people(server.url);
        await kenji.say('hello');
        h.fake.script('*', { output: HEALTH_OUTPUT });
        await h.askForDiagnostics(aiko);
        const toldBefore = h.said(AIKO_CHAT).length;
        // Aiko removes the bot from her chat (403) or the chat is gone (404).
        h.channel.failure = { status, conversationId: AIKO_CHAT };
        await kenji.press('Approve');
        const techTexts = () => h.channel.sentTo(TECHS).map((c) => String(c.activity?.text ?? ''));
        await h.channel.waitFor(
          () =>
            techTexts().some(
              (t) =>
                /Aiko Tanaka could not be told in their chat/.test(t) && /Diagnostics on PC-0042/.test(t),
            ),
          10_000,
          "the result Aiko could not receive, in the technicians' channel",
        );
        const notices = techTexts().filter((t) => /could not be told in their chat/.test(t));
        assert.ok(
          notices.some((t) => /Kenji Sato approved it/.test(t)),
          `the approval notice is there too: ${notices.join(' | ')}`,
        );
        for (const notice of notices) assert.match(notice, new RegExp(`Teams answered ${status}`));
        assert.equal(h.said(AIKO_CHAT).length, toldBefore, 'nothing reached her chat');
      } finally {
        await server.stop();
      }
      const failed = (await h.audit()).filter((e) => e.action === 'notify.failed');
      assert.deepEqual(
        failed.map((e) => [e.actor, e.data.platform, e.data.stage, e.data.code]),
        [
          ['system', 'teams', 'approved', 'winfix_teams_conversation_gone'],
          ['system', 'teams', 'started', 'winfix_teams_conversation_gone'],
          ['system', 'teams', 'finished', 'winfix_teams_conversation_gone'],
        ],
      );
      assert.ok(
        failed.every((e) => e.targetUser === 'teams:29:aiko'),
        'each names the requester',
      );
    });
  }
});
