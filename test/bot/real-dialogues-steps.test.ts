/**
 * Real dialogues while a step is open: "ok" and "done", the bare yes or no that answers "did that fix
 * it?", and the open step said done just now (a question) or before now (a skip).
 */
import assert from 'node:assert/strict';
import type { Locale } from '../../rules/vocabulary';
import type { ChatDriver } from './chat-driver';
import { dialogueKit, OPENING, SCRIPT } from './real-dialogues-kit';

describe('real dialogues: the open step said done', () => {
  const { start, state, lastOutcome } = dialogueKit();
  let chat: ChatDriver;

  describe('"ok", "thanks" and "done" while a step is open', () => {
    const talk: [Locale, string, 'ack' | 'done'][] = [
      ['en', 'ok', 'ack'],
      ['ja', 'ok', 'ack'], // a Latin "ok" keeps the conversation in Japanese
      ['en', 'done', 'done'],
      ['ja', 'やってみます', 'ack'],
      ['ja', '了解です', 'ack'],
      ['ru', 'ок', 'ack'],
      ['ru', 'сделал', 'done'],
    ];
    for (const [locale, text, kind] of talk) {
      it(`${locale}: "${text}" keeps the step open and asks the right thing`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(text);
        assert.deepEqual((await state()).outcomes, []);
        assert.equal(chat.of('card-update').length, 0);
        assert.match(chat.text(), SCRIPT[locale]);
        // "done" asks whether it fixed the error (no Skip then); "ok" says to take one's time (all three).
        assert.equal(
          chat.text().includes({ en: 'Skip', ja: 'スキップ', ru: 'Пропустить' }[locale]),
          kind === 'ack',
        );
      });
    }
  });

  describe('a bare yes or no after "did that fix it?"', () => {
    const answers: [Locale, string, string, 'fixed' | 'didnt-help'][] = [
      ['en', 'done', 'yes', 'fixed'],
      ['en', 'done', 'no', 'didnt-help'],
      ['ja', 'やりました', 'はい', 'fixed'],
      ['ja', 'やりました', 'いいえ', 'didnt-help'],
      ['ru', 'сделал', 'да', 'fixed'],
      ['ru', 'сделал', 'нет', 'didnt-help'],
    ];
    for (const [locale, done, answer, outcome] of answers) {
      it(`${locale}: "${done}", then "${answer}" is ${outcome}`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        const first = chat.step().title;
        await chat.say(done);
        await chat.say(answer);
        assert.equal(await lastOutcome(), outcome);
        if (outcome === 'didnt-help') assert.notEqual(chat.step().title, first, 'the next step follows');
      });
    }

    it('a yes nobody asked for, or one after another message, answers nothing', async () => {
      chat = start();
      await chat.say(OPENING.en);
      await chat.say('yes');
      assert.deepEqual((await state()).outcomes, [], 'not asked');
      await chat.say('done');
      await chat.say('ok');
      await chat.say('yes');
      assert.deepEqual((await state()).outcomes, [], 'the question was not the last thing said');
      await chat.say('done');
      await chat.say('yes');
      assert.equal(await lastOutcome(), 'fixed');
    });
  });

  describe('the open step said done: just now is a question, before now is a skip', () => {
    const said: [Locale, string, 'asks' | 'didnt-help'][] = [
      ['en', 'restarted', 'asks'],
      ['en', 'I already restarted', 'didnt-help'],
      ['en', 'restarted, still the same', 'didnt-help'],
      ['ja', '再起動しました', 'asks'],
      ['ja', 'もう再起動しました', 'didnt-help'],
      ['ru', 'перезагрузил', 'asks'],
      ['ru', 'уже перезагружал', 'didnt-help'],
    ];
    for (const [locale, text, expected] of said) {
      it(`${locale}: "${text}" on the restart step ${expected === 'asks' ? 'asks whether it fixed the error' : "is didn't help"}`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        assert.equal(chat.step().stepId, 'restart-and-retry');
        await chat.say(text);
        if (expected === 'didnt-help') {
          assert.equal(await lastOutcome(), 'didnt-help');
          assert.notEqual(chat.step().stepId, 'restart-and-retry');
          return;
        }
        assert.deepEqual((await state()).outcomes, [], 'no outcome guessed');
        assert.equal(chat.of('step').length, 0, 'the step stays open, nothing new shown');
        assert.match(chat.text(), SCRIPT[locale]);
        assert.doesNotMatch(chat.text(), /skip|スキップ|飛ばし|пропущу/i, 'no "I\'ll skip that"');
        await chat.say({ en: 'yes', ja: 'はい', ru: 'да' }[locale]);
        assert.equal(await lastOutcome(), 'fixed');
      });
    }
  });
});
