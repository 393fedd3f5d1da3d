/**
 * What the real-dialogue tests share: the opening messages in each language, the script each language
 * is written in, and a fresh bot per test with its store, driven by a ChatDriver.
 */
import assert from 'node:assert/strict';
import { type Bot, createBot, InMemoryConversationStore } from '../../bot';
import type { AdminPolicy } from '../../bot/admin-rights';
import type { ConversationState } from '../../bot/conversation-state';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import type { Locale } from '../../rules/vocabulary';
import { ChatDriver, CYRILLIC, JAPANESE, steppingClock } from './chat-driver';

/** The same case in each language: every fact given, so the first step comes at once. */
export const OPENING: Record<Locale, string> = {
  en: 'Windows Update fails with 0x80070002 on Windows 11 23H2',
  ja: 'Windows Update で 0x80070002、Windows 11 23H2',
  ru: 'Ошибка 0x80070002 в центре обновления, Windows 11 23H2',
};
/** The same case without the OS: the bot asks for it. */
export const WITHOUT_OS: Record<Locale, string> = {
  en: 'Windows Update fails with 0x80070002',
  ja: 'Windows Update で 0x80070002 が出ます',
  ru: 'Ошибка 0x80070002 в центре обновления',
};
export const SCRIPT: Record<Locale, RegExp> = {
  en: /^[^\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]*$/,
  ja: JAPANESE,
  ru: CYRILLIC,
};

/** Registers the knowledge base's loading with mocha; each `start()` is a new bot and conversation. */
export function dialogueKit() {
  let knowledge: Knowledge;
  let store: InMemoryConversationStore;
  let bot: Bot;
  let chat: ChatDriver | null = null;

  before(() => {
    knowledge = createKnowledge();
  });

  function start(employeesAreAdmins: AdminPolicy = 'yes'): ChatDriver {
    store = new InMemoryConversationStore();
    bot = createBot({ knowledge, store, clock: steppingClock(), defaultLocale: 'en', employeesAreAdmins });
    chat = new ChatDriver(bot);
    return chat;
  }

  async function state(): Promise<ConversationState> {
    const s = await store.get('test:c1');
    assert.ok(s, 'the conversation is stored');
    return s;
  }

  /** The outcomes of the open case, or of the case just closed (a fix closes it). */
  async function outcomes(): Promise<ConversationState['outcomes']> {
    const s = await state();
    return s.outcomes.length > 0 ? s.outcomes : (s.history.at(-1)?.outcomes ?? []);
  }
  const lastOutcome = async () => (await outcomes()).at(-1)?.outcome;
  const current = (): ChatDriver => {
    assert.ok(chat, 'start() first');
    return chat;
  };
  return { start, state, outcomes, lastOutcome, chat: current, knowledge: () => knowledge };
}
