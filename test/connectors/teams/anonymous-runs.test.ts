/**
 * Remote runs with a real executor in anonymous Teams mode (no WINFIX_TEAMS_APP_ID), decision 0014:
 * `winfix serve` refuses to start when Teams is the only platform, and with Slack configured starts
 * with runs for Slack only: an anonymous Teams caller claiming an enrolled employee's Entra id is never
 * offered a run, a forged "Run it for me" press requests nothing, and nothing reaches the fake ARM.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { anonymousRunsVerdict } from '../../../cli/anonymous-teams';
import { FakeArm } from '../../helpers/fake-arm';
import { FakeSlackApi } from '../../helpers/fake-slack-api';
import { azureEnv } from '../../helpers/remote-fixtures';
import { startServe } from '../../helpers/serve';
import { SIGNING_SECRET } from '../../helpers/slack-requests';
import { cardOf, submitActions } from '../../helpers/teams-user';
import { AIKO_CHAT, TECHS, teamsRemoteRuns } from './remote-runs-harness';

/** Anonymous Teams: the harness's app settings taken away. */
const ANONYMOUS = { WINFIX_TEAMS_APP_ID: '', WINFIX_TEAMS_APP_PASSWORD: '', WINFIX_TEAMS_TENANT_ID: '' };

describe('remote runs in anonymous Teams mode', function () {
  this.timeout(60_000);

  it('decides: a real executor is refused with Teams alone, Slack-only with Slack, dry run always allowed', () => {
    const verdict = (anonymousTeams: boolean, dryRun: boolean, slack: boolean) =>
      anonymousRunsVerdict({ anonymousTeams, dryRun, slack });
    assert.equal(verdict(true, false, false), 'refuse');
    assert.equal(verdict(true, false, true), 'slack-only');
    assert.equal(verdict(true, true, false), 'allowed');
    assert.equal(verdict(false, false, false), 'allowed');
  });

  it('winfix serve refuses to start with WINFIX_EXECUTOR=azure and no WINFIX_TEAMS_APP_ID, naming both', async () => {
    const fake = await FakeArm.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'winfix-anon-'));
    try {
      await assert.rejects(
        startServe({ ...azureEnv(fake), WINFIX_STORAGE: 'pglite', WINFIX_DATA_DIR: path.join(dir, 'data') }),
        (error: Error) => {
          assert.match(error.message, /^Error: exit 1|exit [1-9]/);
          assert.match(error.message, /refusing to start/);
          assert.match(error.message, /WINFIX_EXECUTOR=azure/);
          assert.match(error.message, /WINFIX_TEAMS_APP_ID/);
          return true;
        },
      );
      assert.equal(fake.requests.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fake.close();
    }
  });

  describe('with Slack configured', () => {
    const h = teamsRemoteRuns();
    let slack: FakeSlackApi;
    beforeEach(async () => {
      slack = new FakeSlackApi();
      await slack.start();
    });
    afterEach(async () => {
      await slack.stop();
    });

    it('starts, says runs are for Slack only, and an anonymous Teams caller can neither ask for nor decide a run', async () => {
      const server = await h.serve({
        ...ANONYMOUS,
        SLACK_BOT_TOKEN: 'xoxb-test-anonymous',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
      });
      try {
        assert.ok(
          server.log.some((l) => /remote runs are for Slack only/.test(l) && /WINFIX_TEAMS_APP_ID/.test(l)),
          server.log.join('\n'),
        );
        // Anyone reaching the port can claim Aiko's Entra id: no token is asked for.
        const { aiko, kenji } = h.people(server.url, { anonymous: true });
        await aiko.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
        for (let i = 0; i < 3; i++) await aiko.press("Didn't help");
        const shown = aiko.sent().flatMap((s) => submitActions(cardOf(s.activity)));
        assert.ok(shown.length > 0, 'the step cards were shown');
        assert.ok(!shown.some((a) => a.title === 'Run it for me'), 'no run is offered on Teams');
        // A forged press of the button that was never shown.
        const card = aiko.findButton("Didn't help");
        assert.ok(card);
        await aiko.submit(card.activityId, {
          winfix: 1,
          cardId: (card.data as { cardId: string }).cardId,
          action: { verb: 'run-for-me', step: 'check-disk-space' },
        });
        assert.match(h.said(AIKO_CHAT).join('\n'), /not enrolled for remote fixes/);
        // A forged technician's press on a card that never existed.
        await kenji.submit('nonexistent', {
          winfix: 1,
          cardId: 'approval-forged',
          action: { verb: 'approve', request: 'req-forged', digest: 'f'.repeat(64) },
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(
          h.channel.sentTo(TECHS).filter((c) => /Remote run/.test(JSON.stringify(c.activity))).length,
          0,
        );
        assert.equal(h.fake.requests.length, 0, 'nothing reached Azure');
      } finally {
        await server.stop();
      }
      const audit = await h.audit();
      assert.deepEqual(
        audit.filter((e) => e.action.startsWith('approval.')),
        [],
        'no request was made',
      );
    });
  });
});
