/**
 * Review of the typed answers while a step is open: sentences that clearly say the step did not help
 * (ja/en/ru) are never read as fixed, "didn't help" plus a mention of an admin is not "I have no admin
 * rights", and a leading yes that the rest takes back ("да нет, не надо") is no yes.
 */
import assert from 'node:assert/strict';
import { matchYesNo } from '../../bot/text-commands';
import { readAdminRights, readOutcome } from '../../bot/typed-phrases';
import type { Locale } from '../../rules/vocabulary';
import { dialogueKit, OPENING } from '../bot/real-dialogues-kit';

describe('review: typed answers while a step is open', () => {
  describe('a clear failure is never read as fixed', () => {
    const failures = [
      'エラーが消えません',
      'エラーが消えない',
      '使えるようになりませんでした',
      'できるようになりません',
      '一度直ったけどまた出ました',
      'ошибка не ушла',
      'ошибка не пропала',
      'ошибка не исчезла',
      'ошибка никуда не делась',
      'не очень-то помогло',
      "ain't working now",
      'it stopped working now',
      'works but the error still appears',
      'the error went away but came back',
      'problem persists, though the restart worked',
    ];
    for (const text of failures)
      it(`"${text}" is didn't help`, () => assert.equal(readOutcome(text), 'didnt-help'));

    it('a doubt (「直ったかも」) answers nothing', () => assert.equal(readOutcome('直ったかも'), null));

    it('clear fixes are still fixes', () => {
      for (const text of [
        'エラーが消えました',
        'エラーは出なくなりました',
        'ошибка ушла',
        'ошибка пропала',
        'it works now',
      ])
        assert.equal(readOutcome(text), 'fixed', text);
    });
  });

  describe('admin rights', () => {
    it('a failure that mentions an admin says nothing about the rights', () => {
      for (const text of [
        "didn't work, I'll ask my admin",
        'No luck, ask admin?',
        '管理者として実行しましたが直らない',
        '管理者に連絡しましたが返事がない',
        'не помогло запускал от админа',
        'работает не правильно',
        'сделал правильно но результата нет',
      ])
        assert.equal(readAdminRights(text), null, text);
    });

    it('saying one has no admin rights is still read', () => {
      for (const text of [
        "I don't have admin rights",
        "I don't think I have local admin",
        '管理者権限がありません',
        '管理者権限を持っていません',
        '管理者ではありません',
        'нет прав админа',
        'у меня нет прав',
        'не имею никаких прав',
        'прав администратора нет',
      ])
        assert.equal(readAdminRights(text), false, text);
    });
  });

  describe('a leading yes the rest takes back', () => {
    it('is no yes', () => {
      for (const text of [
        'да нет, не надо',
        'Да нет, всё так же',
        'ok, but not now',
        "yes, don't restart",
        'はい、でも今はできません',
      ])
        assert.equal(matchYesNo(text), null, text);
    });
    it('a plain leading yes or no still counts', () => {
      for (const text of ['yes please', 'да, давай', 'はい、お願いします', 'yes it worked'])
        assert.equal(matchYesNo(text), true, text);
      for (const text of ['no, continue', 'нет, не надо', 'いいえ、結構です'])
        assert.equal(matchYesNo(text), false, text);
    });
  });

  describe('in a conversation', () => {
    const { start, state, lastOutcome } = dialogueKit();

    const afterDone: [Locale, string, string][] = [
      ['en', 'done', 'yes, still the same error'],
      ['ru', 'сделал', 'да нет, всё так же'],
      ['ja', 'やりました', 'はい、でもまだエラーが出ます'],
    ];
    for (const [locale, done, answer] of afterDone)
      it(`${locale}: "${done}", then "${answer}" is didn't help`, async () => {
        const chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(done);
        await chat.say(answer);
        assert.equal(await lastOutcome(), 'didnt-help');
      });

    it('"ok, let me check" after "did that fix it?" answers nothing; a plain "yes" then does', async () => {
      const chat = start();
      await chat.say(OPENING.en);
      await chat.say('done');
      await chat.say("ok, I'll check again");
      assert.equal(await lastOutcome(), undefined, 'no outcome, the case still open');
      await chat.say('done');
      await chat.say('yes');
      assert.equal(await lastOutcome(), 'fixed');
    });

    it('"didn\'t work, I\'ll ask my admin" is didn\'t help, not "no admin rights"', async () => {
      const chat = start();
      await chat.say(OPENING.en);
      await chat.say("didn't work, I'll ask my admin");
      assert.equal(await lastOutcome(), 'didnt-help');
      assert.equal((await state()).admins, undefined, 'no answer about admin rights remembered');
    });
  });
});
