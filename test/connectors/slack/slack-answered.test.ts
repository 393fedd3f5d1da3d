import assert from 'node:assert/strict';
import { type SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const U1 = 'U0000ANSW1';
const DM = 'D0000ANSW1';
/** Slack's check-mark emoji (green ✅, ✔️, ☑️) and the characters themselves. */
const CHECK = /:(?:white_check_mark|heavy_check_mark|ballot_box_with_check):|[✅✔☑]/u;

describe('Slack connector: answered step cards', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }],
    });
  });

  it('does not show "didn’t help" or "skip" with a check mark', async () => {
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    const card1 = slack.card(DM);
    await slack.press(card1, "Didn't help", U1);
    const failed = slack.api.messages.find((m) => m.ts === card1.ts);
    assert.match(textOf(failed), /didn't help/);
    assert.doesNotMatch(JSON.stringify(failed?.blocks), CHECK, 'no check mark next to "didn’t help"');
    const card2 = slack.card(DM);
    await slack.press(card2, 'Skip', U1);
    const skipped = slack.api.messages.find((m) => m.ts === card2.ts);
    assert.match(textOf(skipped), /skipped/);
    assert.doesNotMatch(JSON.stringify(skipped?.blocks), CHECK);
  });
});
