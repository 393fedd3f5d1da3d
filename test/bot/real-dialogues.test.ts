/**
 * Dialogues the way employees answer in chat (ja/en/ru), through the whole conversation core: outcomes,
 * skips, admin rights, OS and yes/no said in sentences, questions about the step, "ok" and "done".
 */
import assert from 'node:assert/strict';
import type { Locale } from '../../rules/vocabulary';
import { type ChatDriver, CYRILLIC, JAPANESE } from './chat-driver';
import { dialogueKit, OPENING, SCRIPT, WITHOUT_OS } from './real-dialogues-kit';

describe('real dialogues: what employees type mid-conversation', () => {
  const { start, state, outcomes, lastOutcome, knowledge } = dialogueKit();
  let chat: ChatDriver;

  describe('how the step went, in a sentence', () => {
    const cases: [Locale, string, 'fixed' | 'didnt-help' | 'skipped'][] = [
      // The buttons' own words (worked before), then sentences (did not).
      ['en', "didn't help", 'didnt-help'],
      ['ja', 'ダメでした', 'didnt-help'],
      ['ru', 'не помогло', 'didnt-help'],
      ['ru', 'заработало', 'fixed'],
      ['ja', '直りました', 'fixed'],
      ['en', 'skip', 'skipped'],
      ['en', "didn't work", 'didnt-help'],
      ['en', 'same', 'didnt-help'],
      ['en', 'nope, still getting the same error', 'didnt-help'],
      ['en', 'nothing changed', 'didnt-help'],
      ['en', "no it's not fixed", 'didnt-help'],
      ['en', 'didnt wokr', 'didnt-help'],
      ['en', 'it worked!', 'fixed'],
      ['en', 'that fixed it, thanks!', 'fixed'],
      ['en', 'no problem, it works now', 'fixed'],
      ['en', 'skip this one', 'skipped'],
      ['en', 'can we skip that?', 'skipped'],
      ['ja', 'まだ同じエラーが出ます', 'didnt-help'],
      ['ja', '直りませんでした', 'didnt-help'],
      ['ja', '解決しませんでした', 'didnt-help'],
      ['ja', '効果がありませんでした', 'didnt-help'],
      ['ja', 'うまくいきませんでした', 'didnt-help'],
      ['ja', 'まだ直りません、どうすればいいですか', 'didnt-help'],
      ['ja', '解決しました！ありがとうございます', 'fixed'],
      ['ja', '飛ばして', 'skipped'],
      ['ja', '次へ進んでください', 'skipped'],
      ['ja', 'この手順はできません', 'skipped'],
      ['ru', 'всё так же', 'didnt-help'],
      ['ru', 'нет, не помогло', 'didnt-help'],
      ['ru', 'не сработало', 'didnt-help'],
      ['ru', 'всё равно ошибка', 'didnt-help'],
      ['ru', 'ничего не изменилось', 'didnt-help'],
      ['ru', 'непомогло', 'didnt-help'],
      ['ru', 'не помогло(', 'didnt-help'],
      ['ru', 'да, помогло, спасибо!', 'fixed'],
      ['ru', 'пропусти', 'skipped'],
      ['ru', 'пропустим этот шаг', 'skipped'],
    ];
    for (const [locale, text, outcome] of cases) {
      it(`${locale}: "${text}" → ${outcome}`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        const first = chat.step().stepId;
        await chat.say(text);
        assert.deepEqual(
          (await outcomes()).map((o) => [o.step, o.outcome]),
          [[first, outcome]],
        );
        assert.equal(chat.of('card-update').length, 1, 'the step card is closed');
        if (outcome === 'fixed') {
          assert.equal(chat.of('summary').length, 1, 'the case is resolved');
          assert.equal((await state()).phase, 'idle');
        } else assert.notEqual(chat.step().stepId, first, 'the next step comes');
      });
    }
  });

  describe('"not fixed" is never read as fixed, and no answer is taken from a question or a doubt', () => {
    const notAnswers: [Locale, string][] = [
      ['en', 'is it fixed?'],
      ['en', "not sure if it worked, I'll check"],
      ['en', "I'll try it and see if it works"],
      ['en', 'how does this work?'],
      ['ja', '直りましたか？'],
      ['ja', 'これで直るかな'],
      ['ru', 'помогло ли?'],
      ['ru', 'не знаю, помогло или нет'],
    ];
    for (const [locale, text] of notAnswers) {
      it(`${locale}: "${text}" leaves the step open`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        const card = chat.step();
        await chat.say(text);
        assert.deepEqual((await state()).outcomes, []);
        assert.equal(chat.of('card-update').length, 0);
        assert.equal(chat.of('summary').length, 0);
        assert.equal((await state()).index, 0);
        assert.match(chat.text(), SCRIPT[locale], 'answered in the conversation language');
        assert.equal(chat.card?.id, card.id, 'the same card is open');
      });
    }

    const neverFixed: [Locale, string][] = [
      ['en', "it still doesn't work"],
      ['en', 'still not working after the restart'],
      ['en', 'it worked for a minute but the same error came back'],
      ['en', 'it worked before but not now'],
      ['ja', '再起動しましたが、まだエラーが出ます'],
      ['ru', 'перезагрузил, но всё равно не работает'],
    ];
    for (const [locale, text] of neverFixed) {
      it(`${locale}: "${text}" is not "fixed"`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(text);
        const recorded = (await outcomes()).map((o) => o.outcome);
        assert.ok(!recorded.includes('fixed'), `recorded ${recorded.join(', ')}`);
        assert.equal(chat.of('summary').length, 0, 'the case stays open');
      });
    }

    const doneAndFixed: [Locale, string][] = [
      ['en', 'I restarted and it worked'],
      ['ja', '再起動したら直りました'],
      ['ru', 'перезагрузил и всё заработало'],
    ];
    for (const [locale, text] of doneAndFixed) {
      it(`${locale}: "${text}" (what was done, and that it worked) resolves the case`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(text);
        assert.equal(await lastOutcome(), 'fixed');
        assert.equal(chat.of('summary').length, 1);
      });
    }
  });

  describe('questions about the open step are answered from the step', () => {
    const questions: [Locale, string, 'explain' | 'safety'][] = [
      ['en', 'what does this mean?', 'explain'],
      ['en', 'how do I do that?', 'explain'],
      ['en', 'is it safe?', 'safety'],
      ['ja', 'これはどういう意味ですか？', 'explain'],
      ['ja', '安全ですか？', 'safety'],
      ['ru', 'что это значит?', 'explain'],
      ['ru', 'это безопасно?', 'safety'],
    ];
    for (const [locale, text, kind] of questions) {
      it(`${locale}: "${text}"`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        const card = chat.step();
        const step = knowledge().kb.steps.get(card.stepId);
        await chat.say(text);
        assert.ok(step && chat.of('card-update').length === 0, 'the step stays open');
        const reply = chat.text();
        assert.ok(reply.includes(step.title[locale]), 'names the step');
        if (kind === 'explain') {
          assert.ok(reply.includes(step.why[locale]), 'says what it is for');
          assert.ok(reply.includes(step.instructions[locale][0] ?? '?'), 'and how to do it');
        } else {
          assert.ok(!reply.includes(step.why[locale]));
          assert.ok(
            reply.includes(card.meta.split(' · ')[1] ?? '?'),
            'says whether it needs administrator rights',
          );
        }
        assert.match(reply, SCRIPT[locale]);
        await chat.say(locale === 'ja' ? '解決しない' : locale === 'ru' ? 'Не помогло' : "Didn't help");
        assert.equal(await lastOutcome(), 'didnt-help', 'the buttons still work after the answer');
      });
    }
  });

  describe('administrator rights said in words', () => {
    const answers: [Locale, string, boolean][] = [
      ['en', 'yes I am admin', true],
      ['en', "no, I don't have admin rights", false],
      ['en', "I'm not an administrator", false],
      ['ja', 'はい、あります', true],
      ['ja', 'いいえ、権限はありません', false],
      ['ja', '管理者権限がありません', false],
      ['ru', 'да, я админ', true],
      ['ru', 'нет, прав админа у меня нет', false],
      ['ru', 'нет прав администратора', false],
    ];
    for (const [locale, text, canAdmin] of answers) {
      it(`${locale}: "${text}" answers the question`, async () => {
        chat = start('ask');
        await chat.say(OPENING[locale]);
        assert.equal(chat.one('question').topic, 'admin');
        await chat.say(text);
        assert.deepEqual((await state()).admins, { u1: canAdmin });
        const plan = (await state()).plan;
        assert.equal(
          plan.some((id) => knowledge().kb.steps.get(id)?.admin),
          canAdmin,
          'steps needing administrator rights stay only for an administrator',
        );
        assert.equal(chat.step().stepId, plan[0]);
      });
    }

    it('mid-case "I don\'t have admin rights": the open step that needs them and the later ones go to the technician', async () => {
      chat = start('yes');
      await chat.say(OPENING.en);
      const before = (await state()).plan;
      const adminAt = before.findIndex((id) => knowledge().kb.steps.get(id)?.admin);
      assert.ok(adminAt > 0, 'the plan has a step needing administrator rights after the first');
      for (let i = 0; i < adminAt; i++) await chat.press('Skip');
      assert.equal(chat.step().stepId, before[adminAt]);
      await chat.say("sorry, I don't have admin rights on this laptop");
      const s = await state();
      assert.deepEqual(s.outcomes.at(-1), {
        step: before[adminAt],
        outcome: 'skipped',
        at: s.outcomes.at(-1)?.at,
      });
      assert.ok(s.technician?.includes(before[adminAt] ?? '?'), 'the technician does the open step');
      assert.ok(
        !s.plan.slice(s.index).some((id) => knowledge().kb.steps.get(id)?.admin),
        'none ahead needs them',
      );
      assert.ok(!knowledge().kb.steps.get(chat.step().stepId)?.admin);
      assert.match(chat.text(), /leave it to the technician/);
    });

    it('mid-case in Japanese on a step without administrator rights: noted, the step stays open', async () => {
      chat = start('yes');
      await chat.say(OPENING.ja);
      const card = chat.step();
      assert.equal(knowledge().kb.steps.get(card.stepId)?.admin, false);
      await chat.say('管理者権限がありません');
      const s = await state();
      assert.deepEqual(s.outcomes, []);
      assert.equal(chat.of('step').length, 0, 'no new card');
      assert.ok(!s.plan.some((id) => knowledge().kb.steps.get(id)?.admin));
      assert.match(chat.text(), JAPANESE);
    });
  });

  describe('the Windows version in words or as a build number', () => {
    const answers: [Locale, string, RegExp | null][] = [
      ['en', "it's win 10", /Windows 10/],
      ['en', '19045', /Windows 10 22H2/],
      ['en', 'Microsoft Windows Version 22H2 (OS Build 19045.5011)', /Windows 10 22H2/],
      ['en', 'Windows 11 Pro', null],
      ['ja', 'Windows 11 Pro です', null],
      ['ja', 'ビルドは 22631 です', /Windows 11 23H2/],
      ['ja', 'ウィンドウズ10です', /Windows 10/],
      ['ru', 'десятка', /Windows 10/],
      ['ru', 'сборка 19045.5011', /Windows 10 22H2/],
    ];
    for (const [locale, text, notice] of answers) {
      it(`${locale}: "${text}" answers "which Windows?"`, async () => {
        chat = start();
        await chat.say(WITHOUT_OS[locale]);
        assert.equal(chat.one('question').topic, 'os');
        await chat.say(text);
        assert.equal(chat.of('question').length, 0, 'not asked again');
        assert.ok((await state()).facts.os, 'the OS is kept for the case');
        if (notice) assert.match(chat.text(), notice, 'the end-of-servicing notice names the version read');
      });
    }
  });

  describe('yes, no and "I don\'t know" with more words', () => {
    const restart: [Locale, string, string, boolean][] = [
      ['en', 'now it says 0x800f081f', 'yes please', true],
      ['en', 'also getting 0x80073712', 'no, continue with this one', false],
      ['ja', '今度は 0x800f0922 が出ました', 'はい、お願いします', true],
      ['ru', 'теперь пишет 0x800f081f', 'да, давай', true],
      ['ru', 'теперь пишет 0x800f081f', 'нет, продолжим', false],
    ];
    for (const [locale, code, answer, restarts] of restart) {
      it(`${locale}: "${answer}" to "start over with the new code?"`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(code);
        assert.equal(chat.one('question').topic, 'restart');
        await chat.say(answer);
        assert.deepEqual(
          [(await state()).phase, (await state()).facts.code === '0x80070002'],
          ['guiding', !restarts],
        );
      });
    }

    const unsure: [string, string][] = [
      ['0x80070005 again', 'idk'],
      ['0x80070005 が出ます', 'よくわからないです'],
      ['0x80070005 выскакивает', 'не уверен'],
    ];
    for (const [code, text] of unsure) {
      it(`"${text}" to "where did it appear?" goes on without it`, async () => {
        chat = start();
        await chat.say(code);
        assert.equal(chat.one('question').topic, 'context');
        await chat.say(text);
        assert.equal(chat.one('question').topic, 'os', 'the next question, not the same one again');
      });
    }
  });

  describe('guards: what already worked', () => {
    const human = [
      ['en', 'can I talk to a person'],
      ['ja', '担当者につないでください'],
      ['ru', 'позовите специалиста'],
    ] as const;
    for (const [locale, text] of human) {
      it(`${locale}: "${text}" hands off`, async () => {
        chat = start();
        await chat.say(OPENING[locale]);
        await chat.say(text);
        assert.equal(chat.of('handoff').length, 1);
      });
    }

    it('switching language mid-case by writing in it: "не помогло" in an English case', async () => {
      chat = start();
      await chat.say(OPENING.en);
      await chat.say('не помогло');
      assert.equal(await lastOutcome(), 'didnt-help');
      assert.match(chat.step().title, CYRILLIC);
    });
  });
});
