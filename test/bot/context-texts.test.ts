import assert from 'node:assert/strict';
import { createBot } from '../../bot';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { LOCALES } from '../../rules/vocabulary';
import { ChatDriver, steppingClock } from './chat-driver';

/** A Windows version named in running text ("Windows 10", "Windows 11/10", "(Windows 7)"). */
const WINDOWS_VERSION = /Windows\s*(?:7|8(?:\.1)?|10|11)\b/;
const WINDOWS_UPDATE = /Windows Update|Центр\p{L}*\s+обновлени/u;

describe('context texts fit the case', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  it('no context summary names a Windows version (the user may be on another one)', () => {
    for (const entry of knowledge.kb.contexts)
      for (const locale of LOCALES)
        assert.doesNotMatch(
          entry.summary[locale],
          WINDOWS_VERSION,
          `${entry.code} ${entry.context} ${locale}`,
        );
  });

  it('the general meaning of a code seen outside Windows Update does not talk about Windows Update', () => {
    const elsewhere = new Set(
      knowledge.kb.contexts.filter((c) => c.context !== 'windows-update').map((c) => c.code),
    );
    assert.ok(elsewhere.size >= 3);
    for (const code of elsewhere) {
      const entry = knowledge.kb.errors.get(code);
      if (!entry) continue;
      for (const locale of LOCALES)
        assert.doesNotMatch(
          entry.meaning[locale],
          WINDOWS_UPDATE,
          `${code} ${locale}: ${entry.meaning[locale]}`,
        );
    }
  });

  it('an Outlook case on Windows 11 is explained without Windows Update or Windows 10 wording', async () => {
    const chat = new ChatDriver(createBot({ knowledge, clock: steppingClock() }), 'ctx-1', { id: 'u' });
    await chat.say('Outlook shows 0x80070002 on Windows 11 23H2');
    const code = chat.one('code');
    const shown = `${code.meaning}\n${code.contextNote ?? ''}`;
    assert.match(shown, /Outlook/);
    assert.doesNotMatch(shown, WINDOWS_UPDATE);
    assert.doesNotMatch(shown, /Windows 10/);
  });

  it('a Windows Update case on Windows 11 does not say Windows 10', async () => {
    const chat = new ChatDriver(createBot({ knowledge, clock: steppingClock() }), 'ctx-2', { id: 'u' });
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 24H2');
    assert.doesNotMatch(chat.one('code').contextNote ?? '', /Windows 10/);
    assert.match(chat.one('code').contextNote ?? '', /cumulative or feature update/);
  });

  for (const text of [
    'Ошибка 0x80070003: восстановление файлов из архива',
    'восстановление архива не работает, 0x80070002',
    'не могу восстановить файлы из архива, 0x80070003',
  ])
    it(`reads "${text}" as Backup and Restore, not System Restore`, async () => {
      assert.equal(knowledge.understand(text).context, 'backup-restore');
      const chat = new ChatDriver(createBot({ knowledge, clock: steppingClock() }), 'ctx-3', { id: 'u' });
      await chat.say(text);
      assert.doesNotMatch(chat.one('code').contextNote ?? '', /Восстановление системы/);
    });
});
