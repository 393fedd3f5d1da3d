import assert from 'node:assert/strict';
import { SlackHarness, slackSuite, textOf } from './slack-harness';

const U1 = 'U0000AIKO1';
const DM = 'D0000AIKO1';

describe('Slack: the technicians’ copy of a hand-off is in the technicians’ language', function () {
  this.timeout(20000);
  const suite = slackSuite();

  it('a Russian employee’s hand-off reaches Japanese technicians in Japanese, with no raw ids', async () => {
    const slack = await new SlackHarness(suite.knowledge, {
      settings: { technicianChannel: 'C0000TECHJ', technicians: ['U0000TECH1'] },
      technicianLocale: 'ja',
    }).start();
    try {
      await slack.dm(U1, DM, 'Центр обновления Windows: ошибка 0x80070002 на Windows 11 23H2');
      await slack.dm(U1, DM, 'хочу поговорить с оператором');
      const [tech] = slack.posted('C0000TECHJ');
      const text = `${tech?.text ?? ''}\n${textOf(tech)}`;
      assert.match(text, new RegExp(`引き継ぎ元: <@${U1}>`));
      assert.match(text, /ボットとの個人チャット · 担当者との対応を希望/);
      assert.match(text, /担当者向けのまとめ/);
      assert.match(text, /言語\*?\n?:? ?Русский|Русский/);
      assert.doesNotMatch(text, /user-asked|Hand-off from|Сводка для специалиста|Summary for the technician/);
      const toUser = slack.posted(DM).map(textOf).join('\n');
      assert.match(toUser, /Сводка для специалиста/, 'the employee’s copy stays in Russian');
    } finally {
      await slack.stop();
    }
  });
});
