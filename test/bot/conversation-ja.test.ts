import assert from 'node:assert/strict';
import { type Bot, createBot } from '../../bot';
import { contextsOf, createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver, JAPANESE, steppingClock } from './chat-driver';

describe('conversation in Japanese', () => {
  let knowledge: Knowledge;
  let bot: Bot;
  let chat: ChatDriver;

  before(() => {
    knowledge = createKnowledge();
    assert.ok(contextsOf(knowledge.kb, '0x80070002').length > 1, 'the code is seen in several contexts');
  });

  beforeEach(() => {
    bot = createBot({ knowledge, clock: steppingClock(), defaultLocale: 'en' });
    chat = new ChatDriver(bot, 'ja-1', { id: 'u-ja', name: '山田' });
  });

  const step = (id: string) => knowledge.kb.steps.get(id);

  it('asks for the code, then the context and OS by buttons, in Japanese', async () => {
    await chat.say('パソコンでエラーが出て困っています');
    assert.match(chat.text(), /winfix です/);
    assert.equal(chat.one('question').topic, 'code');
    assert.match(chat.one('question').text, /エラーコード/);

    await chat.say('０ｘ８００７０００２ と表示されました');
    const code = chat.one('code');
    assert.equal(code.code, '0x80070002');
    assert.match(code.meaning, JAPANESE);
    const context = chat.one('question');
    assert.equal(context.topic, 'context');
    assert.equal(context.text, 'エラーはどこで表示されましたか？');
    const seen = contextsOf(knowledge.kb, '0x80070002');
    assert.deepEqual(
      context.choices.slice(0, seen.length).map((c) => c.action),
      seen.map((value) => ({ verb: 'choose-context', value })),
      'contexts the code is known in come first',
    );
    assert.equal(context.choices.at(-1)?.label, 'その他 / 分からない');

    await chat.press('Microsoft Store');
    assert.deepEqual(chat.one('card-update'), {
      kind: 'card-update',
      id: chat.last[0]?.id,
      cardId: context.id,
      answer: 'Microsoft Store',
    });
    const os = chat.one('question');
    assert.equal(os.topic, 'os');
    assert.match(os.hint ?? '', /winver/);

    await chat.press('Windows 10 22H2');
    const card = chat.step();
    assert.equal(card.title, step(card.stepId)?.title.ja);
    assert.match(card.heading, /^手順 1 \/ \d+$/);
    assert.deepEqual(
      card.choices.map((c) => c.label),
      ['解決した', '解決しない', 'スキップ'],
    );
    assert.match(card.meta, /^リスク: [低中高] · /);
    assert.ok(step(card.stepId)?.os.includes('windows-10'));
  });

  it('takes typed answers: a context in words, "わからない" for the OS, typed outcomes', async () => {
    await chat.say('0x80070002 のエラーです');
    assert.equal(chat.one('question').topic, 'context');
    await chat.say('Windows Update で出ました');
    assert.equal(chat.one('question').topic, 'os');
    await chat.say('わからない');
    const first = chat.step();
    assert.match(first.title, JAPANESE);
    await chat.say('直らない');
    const second = chat.step();
    assert.equal(second.position, 2);
    await chat.say('直った');
    const summary = chat.one('summary');
    assert.equal(summary.fixedBy.stepId, second.stepId);
    assert.match(summary.text, /解決しました/);
  });

  it('switches language by command and shows the open step again in the new language', async () => {
    await chat.say('Windows Update で 0x80070002 が出ます。Windows 11 です');
    const ja = chat.step();
    assert.match(ja.title, JAPANESE);
    await chat.say('english');
    assert.equal(chat.of('text')[0]?.text, "OK, I'll write in English from now on.");
    assert.equal(chat.one('card-update').answer, 'Language changed');
    const en = chat.step();
    assert.equal(en.stepId, ja.stepId);
    assert.equal(en.title, step(ja.stepId)?.title.en);
    // A chosen language stays until another is chosen; "still not fixed, what now?" is "didn't help".
    await chat.say('まだ直りません、どうすればいいですか');
    assert.equal(chat.one('card-update').answer, "didn't help");
    const next = chat.step();
    assert.notEqual(next.stepId, ja.stepId);
    assert.equal(next.title, step(next.stepId)?.title.en);
    await chat.say('/lang ru');
    assert.equal(chat.step().title, step(next.stepId)?.title.ru);
    await chat.say('日本語で');
    assert.equal(chat.step().title, step(next.stepId)?.title.ja);
  });

  it('asks before restarting on a new code, and restarts or continues', async () => {
    await chat.say('Windows Update で 0x80070002 が出ます。Windows 11 です');
    const before = chat.step();
    await chat.say('0x80070005 も出ています');
    const confirm = chat.one('question');
    assert.equal(confirm.topic, 'restart');
    assert.match(confirm.text, /0x80070005/);
    assert.deepEqual(
      confirm.choices.map((c) => c.label),
      ['はい、0x80070005 でやり直す', 'いいえ、このまま続ける'],
    );
    await chat.press('いいえ、このまま続ける');
    assert.match(chat.text(), /続きから/);
    assert.equal(chat.step().stepId, before.stepId);

    await chat.say('0x80070005 も出ています');
    await chat.press('はい、0x80070005 でやり直す');
    const code = chat.one('code');
    assert.equal(code.code, '0x80070005');
    assert.equal(code.name, 'ERROR_ACCESS_DENIED');
    assert.ok(chat.of('step').length + chat.of('handoff').length + chat.of('question').length > 0);
  });

  it('starts over on 「最初から」 and hands off on 「担当者」', async () => {
    await chat.say('Windows Update で 0x80070002 が出ます。Windows 11 です');
    await chat.say('最初から');
    assert.equal(chat.one('card-update').answer, '最初からやり直しました');
    assert.equal(chat.one('question').topic, 'code');
    await chat.say('担当者と話したいです');
    const handoff = chat.one('handoff');
    assert.equal(handoff.heading, '担当者向けのまとめ');
    assert.deepEqual(handoff.userWords, ['担当者と話したいです'], 'words start again after starting over');
  });
});
