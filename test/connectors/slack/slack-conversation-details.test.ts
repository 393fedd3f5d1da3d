/**
 * Conversation details of issue 19 over HTTP in Slack (signed requests, fake Web API): the hand-off
 * the employee asked for carries every code, the ticket, the build and the times to the technicians'
 * channel while the next code waits; a code named mid-case is queued; a step that did not help never
 * comes back; administrator rights asked once.
 */
import assert from 'node:assert/strict';
import { HISTORY_CASE, historyKnowledge } from '../../bot/history-knowledge';
import { buttonsOf } from '../../helpers/slack-requests';
import { type HarnessOptions, type SlackHarness, slackSuite, textOf } from './slack-harness';

const U1 = 'U0000USER1';
const DM = 'D0000DM001';
const TECHS = 'C0000TECH1';

describe('Slack connector: conversation details (issue 19)', function () {
  this.timeout(20000);
  const suite = slackSuite({ noErrorsLogged: true });
  let slack: SlackHarness;

  const start = async (options: HarnessOptions = {}) => {
    slack = await suite.start({
      users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }],
      ...options,
    });
  };
  /** The buttons of the latest card still showing some ([] once every card is answered). */
  const labels = () => {
    const open = slack.posted(DM).filter((m) => buttonsOf(m).length > 0);
    return open.length > 0 ? buttonsOf(slack.card(DM)).map((b) => b.text.text) : [];
  };
  const press = (label: string) => slack.press(slack.card(DM), label, U1);
  const textsSince = (from: number) => slack.posted(DM).slice(from).map(textOf).join('\n');

  it('a hand-off the employee asks for reaches the technicians with every code, the ticket, the build and the times; the next code waits', async () => {
    await start({ settings: { technicianChannel: TECHS, technicians: ['U0000TECH1'] } });
    await slack.dm(U1, DM, 'REQ0004567: Windows Update fails with 0x80070002 and 0x80070003 on Windows 11');
    await press("Didn't help");
    await slack.dm(U1, DM, 'I want to talk to a human');
    assert.equal(slack.posted(TECHS).length, 0, 'not before the build is asked');
    assert.match(textOf(slack.card(DM)), /which Windows version or build/);
    assert.deepEqual(labels(), ['Windows 11 25H2', 'Windows 11 24H2', 'Windows 11 23H2', "I don't know"]);
    const from = slack.posted(DM).length;
    await press('Windows 11 23H2');
    const toUser = textsSince(from);
    assert.match(toUser, /You also mentioned 0x80070003: it's in the summary for the technician/);
    assert.doesNotMatch(toUser, /Shall we look at it now/, 'no self-service while the technician has it');

    const [tech] = slack.posted(TECHS);
    const summary = textOf(tech);
    assert.match(summary, /Other codes\*?\n?:?\s*0x80070003 \(not looked at yet\)/);
    assert.match(summary, /REQ0004567/);
    assert.match(summary, /Windows 11 23H2 \(build 22631\)/);
    assert.match(summary, /\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(summary, /\d+ min/);
    assert.match(summary, /didn't help/);

    await slack.dm(U1, DM, 'all sorted now, thanks');
    assert.match(textOf(slack.card(DM)), /You also mentioned 0x80070003\. Shall we look at it now\?/);
  });

  it('queues a code named mid-case and offers it once the case is fixed', async () => {
    await start();
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    await slack.dm(U1, DM, 'and now 0x80070005 too');
    await press('No, continue');
    assert.match(textsSince(0), /I'll come back to 0x80070005 when this one is done/);
    await press('Fixed it');
    assert.match(textOf(slack.card(DM)), /You also mentioned 0x80070005\. Shall we look at it now\?/);
  });

  it('never shows a step again after "Didn\'t help", even when a finding points back to it', async () => {
    await start();
    await slack.dm(U1, DM, 'Windows Setup fails with 0xc1900101 on Windows 10 22H2');
    const driver = suite.knowledge.kb.steps.get('update-driver-from-vendor')?.title.en ?? '';
    const seen: string[] = [];
    const title = () => textOf(slack.card(DM)).split('\n')[0] ?? '';
    for (let guard = 0; !labels().includes('It names a driver as the cause'); guard++) {
      assert.ok(guard < 8, `SetupDiag never came: ${seen}`);
      seen.push(title());
      await press("Didn't help");
    }
    assert.ok(
      seen.some((t) => t.includes(driver)),
      `the vendor's driver was tried: ${seen.join(' | ')}`,
    );
    await press('It names a driver as the cause');
    assert.doesNotMatch(title(), new RegExp(driver.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('takes what the employee found in their own words ("the update KB5034441 failed") and follows it', async () => {
    slack = await suite.start(
      { users: [{ id: U1, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US' }] },
      historyKnowledge(suite.knowledge),
    );
    await slack.dm(U1, DM, HISTORY_CASE);
    assert.ok(
      labels().some((l) => /An update with a KB number/.test(l)),
      'the findings are buttons too',
    );
    let from = slack.posted(DM).length;
    await slack.dm(U1, DM, 'not sure what I am looking at');
    const hint = textsSince(from);
    assert.match(hint, /Fixed it, Didn't help or Skip/);
    assert.match(hint, /for example: An update with a KB number/);
    assert.doesNotMatch(hint, /button/i);
    from = slack.posted(DM).length;
    await slack.dm(U1, DM, 'the update KB5034441 failed');
    const catalog = suite.knowledge.kb.steps.get('manual-catalog-install')?.title.en ?? '';
    assert.ok(catalog);
    assert.ok(textsSince(from).includes(catalog), 'the step the finding leads to');
  });

  it('asks once whether the employee can run things as administrator, and leaves those steps to IT when not', async () => {
    await start({ employeesAreAdmins: 'ask' });
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.match(textOf(slack.card(DM)), /Can you run programs as administrator on this PC\?/);
    assert.deepEqual(labels(), ['Yes, I can', "No, I can't", "I don't know"]);
    await press("No, I can't");
    assert.match(textsSince(0), /Steps that need administrator rights are left to the technician/);
    for (let guard = 0; labels().includes("Didn't help") && guard < 10; guard++) {
      assert.match(textOf(slack.card(DM)), /no administrator rights needed/);
      await press("Didn't help");
    }
    const before = slack.posted(DM).length;
    await slack.dm(U1, DM, 'Windows Update fails with 0x80070003 on Windows 11 23H2');
    assert.doesNotMatch(textsSince(before), /Can you run programs as administrator/, 'asked once');
  });
});
