import assert from 'node:assert/strict';
import { type SlackHarness, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

const CYRILLIC = /[\u0400-\u04ff]/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('Slack connector: the language the employee writes wins over the client locale', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await suite.start({
      scopes: manifestScopes(),
      users: [
        { id: 'U0000RU002', name: 'olga', real_name: 'Olga', locale: 'ja-JP' },
        { id: 'U0000JA002', name: 'yui', real_name: 'Yui', locale: 'ja-JP' },
      ],
    });
  });

  it('answers a Russian message in Russian although Slack is set to Japanese, and keeps Russian', async () => {
    await slack.dm('U0000RU002', 'D0000RU002', 'Не устанавливается обновление Windows, ошибка 0x80070002');
    const first = slack.posted('D0000RU002').map(textOf).join('\n');
    assert.match(first, CYRILLIC);
    assert.doesNotMatch(first, JAPANESE);
    const before = slack.posted('D0000RU002').length;
    await slack.dm('U0000RU002', 'D0000RU002', 'Windows 11');
    const later = slack.posted('D0000RU002').slice(before).map(textOf).join('\n');
    assert.match(later, CYRILLIC, 'a reply without enough letters keeps the conversation in Russian');
    assert.doesNotMatch(later, JAPANESE);
  });

  it('answers a bare code in the client’s locale', async () => {
    await slack.dm('U0000JA002', 'D0000JA002', '0x80070002');
    assert.match(slack.posted('D0000JA002').map(textOf).join('\n'), JAPANESE);
  });
});
