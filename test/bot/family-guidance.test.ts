import assert from 'node:assert/strict';
import { createBot } from '../../bot';
import { createKnowledge } from '../../rules/knowledge';
import type { Locale } from '../../rules/vocabulary';
import { ChatDriver, steppingClock } from './chat-driver';

// Issue 18: a code the base does not list but whose family it knows gets the family's plan, and the bot
// says so before the first step, in the user's language.
describe('family guidance in the conversation', () => {
  const knowledge = createKnowledge();
  const chatIn = (defaultLocale: Locale) =>
    new ChatDriver(createBot({ knowledge, clock: steppingClock(), defaultLocale }));

  it('en: 0x80244022 is a WU_E_PT_* code, and its first step checks the connection', async () => {
    const chat = chatIn('en');
    await chat.say('Windows Update fails with 0x80244022 on Windows 11 23H2');
    assert.match(
      chat.text(),
      /I have no specific guidance for 0x80244022, but it belongs to the WU_E_PT_\* family/,
    );
    assert.match(chat.text(), /update server/);
    assert.doesNotMatch(chat.text(), /general safe steps/);
    assert.equal(chat.step().stepId, 'check-network');
    assert.match(
      chat.step().heading,
      /^Step 1 of \d+ · WU_E_PT_\* family$/,
      'the card says whose steps they are',
    );
  });

  it('ja and ru say the same in their own words', async () => {
    const ja = chatIn('ja');
    await ja.say('Windows 11 で Windows Update が 0x800f0906 で失敗します');
    assert.match(
      ja.text(),
      /0x800f0906 の個別の情報はありませんが、このコードは CBS_E_\* のグループに属します/,
    );
    assert.equal(ja.step().stepId, 'dism-sfc');
    assert.match(ja.step().heading, /^手順 1 \/ \d+ · CBS_E_\* のグループ$/);
    const ru = chatIn('ru');
    await ru.say('На Windows 10 22H2 обновление до Windows 11 не устанавливается, ошибка 0xc1900204');
    assert.match(ru.text(), /Отдельных рекомендаций для 0xc1900204 у меня нет/);
    assert.match(ru.text(), /программы установки Windows/);
    assert.match(ru.step().heading, /^Шаг 1 из \d+ · группа ошибок MOSETUP_E_\*/);
  });

  it('a described code is not said to be a family member', async () => {
    const chat = chatIn('en');
    await chat.say('Windows Update fails with 0x8024402c on Windows 11 23H2');
    assert.doesNotMatch(chat.text(), /family of errors/);
    assert.equal(chat.step().stepId, 'check-update-source');
    assert.match(chat.step().heading, /^Step 1 of \d+$/);
  });
});
