import assert from 'node:assert/strict';
import { cardOf, cardText } from '../../helpers/teams-user';
import { type Harness, startHarness } from './harness';

const CYRILLIC = /[\u0400-\u04ff]/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('Teams connector: the language the employee writes wins over the client locale', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
    assert.deepEqual(h.channel.problems, []);
  });

  const shown = (user: ReturnType<Harness['user']>): string =>
    user
      .sent()
      .map((s) => cardText(cardOf(s.activity)) || String(s.activity.text ?? ''))
      .join('\n');

  it('answers a Russian message in Russian although Teams is set to Japanese, and keeps Russian', async () => {
    const user = h.user('a:1lang-ru', { locale: 'ja-JP' });
    await user.say('Не устанавливается обновление Windows, ошибка 0x80070002');
    const first = shown(user);
    assert.match(first, CYRILLIC);
    assert.doesNotMatch(first, JAPANESE);
    const before = user.sent().length;
    await user.say('Windows 11');
    const later = user
      .sent()
      .slice(before)
      .map((s) => cardText(cardOf(s.activity)) || String(s.activity.text ?? ''))
      .join('\n');
    assert.match(later, CYRILLIC, 'a reply without enough letters keeps the conversation in Russian');
    assert.doesNotMatch(later, JAPANESE);
  });

  it('answers a bare code in the client’s locale', async () => {
    const user = h.user('a:1lang-code', { locale: 'ja-JP' });
    await user.say('0x80070002');
    assert.match(shown(user), JAPANESE);
  });
});
