import assert from 'node:assert/strict';
import { type Bot, createBot } from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver, CYRILLIC, JAPANESE, steppingClock } from './chat-driver';

describe('conversation in Russian', () => {
  let knowledge: Knowledge;
  let bot: Bot;
  let chat: ChatDriver;

  before(() => {
    knowledge = createKnowledge();
  });

  beforeEach(() => {
    bot = createBot({ knowledge, clock: steppingClock(), defaultLocale: 'en' });
    chat = new ChatDriver(bot, 'ru-1', { id: 'u-ru', name: 'Иван' });
  });

  it('handles several codes in order, offering the next one after the first is resolved', async () => {
    await chat.say('Ошибки 0x80070002 и 0х80070003 при архивации на Windows 7');
    assert.equal(
      chat.of('text')[0]?.text,
      'Вы назвали несколько кодов ошибок: 0x80070002, 0x80070003. Разберём их по очереди, начнём с 0x80070002.',
    );
    assert.equal(chat.one('code').code, '0x80070002');
    const first = chat.step();
    assert.match(first.title, CYRILLIC);
    assert.ok(knowledge.kb.steps.get(first.stepId)?.os.includes('windows-7'));

    await chat.press('Помогло');
    assert.equal(chat.one('summary').code, '0x80070002');
    const offer = chat.one('question');
    assert.equal(offer.topic, 'next-code');
    assert.equal(offer.text, 'Вы также упоминали 0x80070003. Разберём его сейчас?');

    await chat.press('Да, разобрать 0x80070003');
    assert.equal(chat.one('code').code, '0x80070003');
    assert.equal(chat.of('question').length, 0, 'context and OS carry over from the same message');
    const next = chat.step();
    assert.equal(next.position, 1);

    await chat.press('Не помогло');
    await chat.say('позовите оператора, пожалуйста');
    // Only "Windows 7" is known: the build is asked before the hand-off.
    assert.equal(chat.one('question').topic, 'os');
    await chat.press('Windows 7 SP1');
    const handoff = chat.one('handoff');
    assert.equal(handoff.reason, 'user-asked');
    assert.equal(handoff.heading, 'Сводка для специалиста');
    const facts = Object.fromEntries(handoff.facts.map((f) => [f.key, f.value]));
    assert.equal(facts.code, '0x80070003');
    assert.equal(facts.context, 'Архивация и восстановление');
    assert.equal(facts.os, 'Windows 7 SP1 (build 7601)');
    assert.equal(facts['other-codes'], '0x80070002 (исправлено ранее)');
    assert.deepEqual(
      handoff.tried.map((t) => [t.stepId, t.outcomeLabel]),
      [[next.stepId, 'не помогло']],
    );
    assert.deepEqual(handoff.userWords, [
      'Ошибки 0x80070002 и 0х80070003 при архивации на Windows 7',
      'позовите оператора, пожалуйста',
    ]);
    assert.match(handoff.text, /специалисту/);
  });

  it('can decline the next code', async () => {
    await chat.say('Ошибки 0x80070002 и 0x80070003 при архивации на Windows 7');
    await chat.say('помогло');
    await chat.say('нет');
    assert.match(chat.text(), /Пришлите 0x80070003, когда захотите/);
    assert.equal(chat.card?.kind, 'question');
    assert.equal(chat.of('question').length, 0);
  });

  it('after a hand-off the user asked for, offers the next code only when they write again', async () => {
    await chat.say('0x80070002 и 0x80070003 при архивации, Windows 10');
    await chat.say('оператор');
    assert.equal(chat.one('question').topic, 'os', 'only "Windows 10" is known: the build is asked');
    await chat.say('не знаю');
    const handoff = chat.one('handoff');
    assert.equal(handoff.code, '0x80070002');
    assert.match(handoff.facts.find((f) => f.key === 'os')?.value ?? '', /^Windows 10$/, 'without a build');
    assert.deepEqual(handoff.raw.otherCodes, [{ code: '0x80070003', status: 'queued' }]);
    assert.equal(chat.of('question').length, 0, 'no self-service offered while the technician has it');
    assert.match(chat.text(), /0x80070003 тоже есть в сводке/);
    await chat.say('всё, разобрались, спасибо');
    assert.equal(chat.one('question').topic, 'next-code');
    await chat.say('и по второму тоже нужен специалист');
    assert.equal(
      chat.one('handoff').code,
      '0x80070003',
      'asked while offered, the hand-off is about the next code',
    );
    assert.equal(chat.of('question').length, 0);
  });

  it('switches language when the user writes in another one', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11');
    const en = chat.step();
    assert.doesNotMatch(en.title, CYRILLIC);
    // "I don't understand what to do with this step": the step is explained again, in Russian.
    await chat.say('не понимаю, что делать с этим шагом');
    assert.match(chat.text(), /^О шаге «/);
    assert.match(chat.text(), /сообщите результат: «Помогло»/);
    await chat.say('Пропустить');
    assert.equal(chat.step().title, knowledge.kb.steps.get(chat.step().stepId)?.title.ru);
  });

  it('answers in the language of the message, not the platform locale, and keeps it', async () => {
    const teams = new ChatDriver(bot, 'ru-2', { id: 'u2', locale: 'ja-JP' });
    await teams.say('Ошибка 0x80070002 при архивации на Windows 7');
    assert.match(teams.step().title, CYRILLIC, 'the words win over a Japanese client');
    await teams.say('Пропустить');
    assert.match(teams.step().title, CYRILLIC);
    await teams.say('日本語');
    assert.match(teams.step().title, JAPANESE, 'a chosen language wins over the words');
    await teams.say('не помогло');
    assert.match(teams.step().title, JAPANESE, 'and holds until another is chosen');
  });

  it('answers a bare code in the platform locale', async () => {
    const teams = new ChatDriver(bot, 'ru-3', { id: 'u3', locale: 'ja-JP' });
    await teams.say('0x80070002');
    assert.match(teams.text(), JAPANESE);
  });
});
