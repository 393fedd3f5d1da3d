import assert from 'node:assert/strict';
import { isLanguageSignal, platformLocale, resolveLocale, turnLocale } from '../../bot/locale';
import { matchCommand, matchLanguageCommand, matchOutcome, matchYesNo } from '../../bot/text-commands';

describe('typed commands', () => {
  it('knows help, start over, back and technician in ja, en and ru', () => {
    for (const text of ['help', 'Help!', 'ヘルプ', 'помощь']) assert.equal(matchCommand(text), 'help', text);
    for (const text of ['start over', '最初から', 'やり直し', 'Заново', 'начать заново'])
      assert.equal(matchCommand(text), 'start-over', text);
    for (const text of ['back', '戻る', 'назад']) assert.equal(matchCommand(text), 'back', text);
    for (const text of [
      'I want to talk to a human',
      'technician please',
      '担当者につないでください',
      'позовите оператора',
      'нужен специалист',
    ])
      assert.equal(matchCommand(text), 'human', text);
  });

  it('does not take ordinary messages for commands', () => {
    for (const text of [
      'Windows Update fails with 0x80070002',
      'I went back to the settings page',
      'технический сбой при обновлении',
      'ヘルプを見ても分からない',
    ])
      assert.equal(matchCommand(text), null, text);
  });

  it('knows language commands', () => {
    assert.equal(matchLanguageCommand('日本語'), 'ja');
    assert.equal(matchLanguageCommand('日本語でお願いします'), 'ja');
    assert.equal(matchLanguageCommand('English'), 'en');
    assert.equal(matchLanguageCommand('по-русски'), 'ru');
    assert.equal(matchLanguageCommand('/lang ru'), 'ru');
    assert.equal(matchLanguageCommand('/lang'), 'ask');
    assert.equal(matchLanguageCommand('English is not my first language'), null);
  });

  it('reads typed outcomes, negatives before positives', () => {
    assert.equal(matchOutcome('не помогло'), 'didnt-help');
    assert.equal(matchOutcome('помогло!'), 'fixed');
    assert.equal(matchOutcome("Didn't help"), 'didnt-help');
    assert.equal(matchOutcome('直った'), 'fixed');
    assert.equal(matchOutcome('スキップ'), 'skipped');
    assert.equal(matchOutcome('it helped a bit but'), null);
    assert.equal(matchYesNo('はい'), true);
    assert.equal(matchYesNo('нет'), false);
  });
});

describe('locale', () => {
  it('maps platform tags to locales', () => {
    assert.equal(platformLocale('ja-JP'), 'ja');
    assert.equal(platformLocale('ru_RU'), 'ru');
    assert.equal(platformLocale('de-DE'), null);
    assert.equal(platformLocale(undefined), null);
  });

  it('prefers a chosen locale, then the message, then the conversation, then the platform', () => {
    const base = { chosen: null, platform: null, message: null, current: null, fallback: 'en' as const };
    assert.equal(resolveLocale(base), 'en');
    assert.equal(resolveLocale({ ...base, current: 'ru' }), 'ru');
    assert.equal(resolveLocale({ ...base, current: 'ru', message: 'ja' }), 'ja');
    assert.equal(
      resolveLocale({ ...base, message: 'ru', platform: 'ja' }),
      'ru',
      'the words beat the client',
    );
    assert.equal(
      resolveLocale({ ...base, current: 'ru', platform: 'ja' }),
      'ru',
      'kept for the conversation',
    );
    assert.equal(resolveLocale({ ...base, platform: 'ja', hint: 'en' }), 'ja');
    assert.equal(resolveLocale({ ...base, hint: 'en', fallback: 'ja' }), 'en');
    assert.equal(resolveLocale({ ...base, message: 'ja', platform: 'en', chosen: 'ru' }), 'ru');
  });

  it('takes a turn’s language from the words, a bare code from the platform, and keeps it', () => {
    const turn = {
      chosen: null,
      current: 'en' as const,
      firstContact: true,
      platformTag: 'ja-JP',
      fallback: 'en' as const,
    };
    const ru = 'Ошибка 0x80070002 при архивации';
    assert.equal(turnLocale({ ...turn, text: ru, script: 'ru' }), 'ru');
    assert.equal(turnLocale({ ...turn, text: '0x80070002', script: null }), 'ja');
    assert.equal(turnLocale({ ...turn, text: 'Windows Update 0x80070002', script: 'en' }), 'ja');
    assert.equal(turnLocale({ ...turn, text: 'help', script: 'en', platformTag: null }), 'en');
    const later = { ...turn, firstContact: false, current: 'ru' as const };
    assert.equal(turnLocale({ ...later, text: '0x80070003', script: null }), 'ru', 'a code keeps it');
    assert.equal(turnLocale({ ...later, text: 'Windows 11', script: 'en' }), 'ru');
    assert.equal(turnLocale({ ...later, text: 'まだ失敗します', script: 'ja' }), 'ja');
    assert.equal(turnLocale({ ...later, text: null, script: null }), 'ru', 'a button press keeps it');
    assert.equal(
      turnLocale({ ...later, chosen: 'en', text: 'не помогло', script: 'ru' }),
      'en',
      'a chosen language beats the words',
    );
  });

  it('does not switch to English on a word or a pasted ver line', () => {
    assert.equal(isLanguageSignal('ok', 'en'), false);
    assert.equal(isLanguageSignal('Microsoft Windows [Version 10.0.22631.4460]', 'en'), false);
    assert.equal(isLanguageSignal('The update still fails', 'en'), true);
    assert.equal(isLanguageSignal('まだ失敗します', 'ja'), true);
    assert.equal(isLanguageSignal('0x80070002', null), false);
  });
});
