import assert from 'node:assert/strict';
import { createBot } from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver, steppingClock } from '../bot/chat-driver';

describe('"no code" in ja, en and ru', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  const says = [
    'コードは出てないです',
    'コードは出ていません',
    'エラーコードは見当たりません',
    'コードなし',
    "there's no code",
    "there isn't an error code",
    'there was no code',
    "it doesn't show any code",
    'кода нет',
    'кода ошибки не видно',
    'код не высвечивается',
    'не показывает никакого кода',
  ];
  for (const text of says)
    it(`${JSON.stringify(text)} says there is no code`, () => {
      assert.equal(knowledge.understand(text).noCode, true);
    });

  for (const text of [
    'is this an error code?',
    'the code is not 0x80070002 but 0x80070003',
    'コードは 0x80070002 です',
    'код 0x80070002 не помог',
    'I saw the code yesterday',
  ])
    it(`${JSON.stringify(text)} does not`, () => assert.equal(knowledge.understand(text).noCode, false));

  for (const [first, none, next] of [
    ['Windows Update でエラーが出ます', 'コードは出てないです', /Windows のバージョン/],
    ['Windows Update fails', "there's no code", /Which Windows version/],
    ['Не работает Центр обновления Windows', 'кода нет', /версия Windows/],
  ] as const)
    it(`goes on without a code when asked for one and told ${JSON.stringify(none)}`, async () => {
      const chat = new ChatDriver(createBot({ knowledge, clock: steppingClock() }), 'nc', { id: 'u' });
      await chat.say(first);
      assert.equal(chat.one('question').topic, 'code');
      await chat.say(none);
      assert.match(chat.one('question').text, next, 'the next question, not the code again');
    });
});
