import assert from 'node:assert/strict';
import { createBot } from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { ChatDriver, steppingClock } from './chat-driver';

describe('setup extend codes in the conversation', () => {
  let knowledge: Knowledge;
  let chat: ChatDriver;
  before(() => {
    knowledge = createKnowledge();
  });
  beforeEach(() => {
    chat = new ChatDriver(createBot({ knowledge, clock: steppingClock() }), 'ext', { id: 'u' });
  });

  it('says the extend code’s meaning with the code', async () => {
    await chat.say('Upgrade to Windows 11 failed with 0xC1900101-0x20007');
    const code = chat.one('code');
    assert.equal(code.code, '0xc1900101');
    assert.match(code.meaning, /\n0x20007: Safe OS phase \(2\), operation INSTALL_DRIVERS/);
  });

  it('explains an extend code without a knowledge-base entry from its phase and operation, in Japanese', async () => {
    await chat.say('アップグレードが 0xC1900101 - 0x40017 で失敗しました');
    assert.match(
      chat.one('code').meaning,
      /0x40017（セットアップの拡張コード）: 2 回目の起動（OOBE）フェーズ/,
    );
  });

  it('answers "what does 0x20007 mean?" and then asks for the error code', async () => {
    await chat.say('what does 0x20007 mean?');
    assert.match(chat.text(), /^0x20007: Safe OS phase \(2\), operation INSTALL_DRIVERS/m);
    assert.equal(chat.one('question').topic, 'code');
  });

  it('answers it mid-case and leaves the open step as it is', async () => {
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const step = chat.step();
    await chat.say('что значит 0x4000D?');
    assert.match(chat.text(), /0x4000d: .*OOBE/);
    assert.equal(chat.of('step').length, 0, 'no step card drawn again');
    assert.doesNotMatch(chat.text(), /Tell me how the step went|Сообщите результат/);
    await chat.press("Didn't help");
    assert.notEqual(chat.step().stepId, step.stepId, 'the step still takes its answer');
  });
});
