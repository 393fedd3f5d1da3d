/**
 * Tickets on hand-off below the chat platforms, for the outbox tests: the bot on real storage (one backend
 * fixture), a fake ServiceNow, a notifier that records what the employee and the technicians are told,
 * and the outbox worker between them.
 */
import { type Bot, createBot, type OutgoingMessage, type TicketSystem } from '../../../bot';
import { createTranslator } from '../../../bot/i18n/translator';
import { SecretString } from '../../../connectors/azure-automation/settings';
import type { Storage } from '../../../connectors/storage';
import { ServiceNowTickets, type TicketNotifier, TicketOutbox } from '../../../connectors/tickets';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import { ChatDriver } from '../../bot/chat-driver';
import { FakeServiceNow } from '../../helpers/fake-servicenow';
import { type BackendFixture, MemoryStorageLog } from '../storage/test-databases';

export class RecordingNotifier implements TicketNotifier {
  readonly employee: { key: string; messages: OutgoingMessage[] }[] = [];
  readonly technicians: { platform: string; subject: string; text: string }[] = [];
  refuse = false;
  async toConversation(key: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.refuse) throw new Error('the bot is not in this conversation (403)');
    this.employee.push({ key, messages });
  }
  async toTechnicians(platform: string, subject: string, text: string): Promise<void> {
    this.technicians.push({ platform, subject, text });
  }
  textsTo(key: string): string[] {
    return this.employee
      .filter((e) => e.key === key)
      .flatMap((e) => e.messages.map((m) => ('text' in m ? String(m.text) : '')));
  }
}

export const t = createTranslator();
export const SAY = {
  en: 'Windows Update fails with 0x80070002 on Windows 11 23H2',
  ja: 'Windows 11 23H2 の Windows Update で 0x80070002 のエラーが出ます',
  ru: 'Windows Update выдаёт ошибку 0x80070002 на Windows 11 23H2',
} as const;

let knowledge: Knowledge | undefined;
/** The knowledge base, loaded once for all the blocks. */
function knowledgeBase(): Knowledge {
  knowledge ??= createKnowledge();
  return knowledge;
}

/**
 * The fake ServiceNow (started before the block's tests, stopped after), the notifier, and builders of bots,
 * outboxes and chats on the fixture's clock. Call it in a `describe` block.
 */
export function ticketHarness(fixture: BackendFixture) {
  const sn = new FakeServiceNow({ bearer: 'sn-token', users: { 'aiko@example.com': 'a'.repeat(32) } });
  const notifier = new RecordingNotifier();
  const log = new MemoryStorageLog();
  let system: TicketSystem;
  let n = 0;

  before(async () => {
    await sn.start();
    system = new ServiceNowTickets({
      instance: sn.url,
      auth: { kind: 'bearer', token: new SecretString('sn-token') },
      timeoutMs: 1000,
    });
  });
  after(() => sn.stop());

  const botOn = (storage: Storage, kind: TicketSystem['kind'] = 'servicenow'): Bot =>
    createBot({
      knowledge: knowledgeBase(),
      store: storage.conversations,
      clock: fixture.clock,
      defaultLocale: 'en',
      technicianLocale: 'en',
      tickets: { system: kind },
    });

  const outboxOn = (
    storage: Storage,
    bot: Bot,
    over: Partial<ConstructorParameters<typeof TicketOutbox>[0]> = {},
  ) => {
    const outbox = new TicketOutbox({
      jobs: storage.tickets,
      system,
      notifier,
      audit: (entry) => storage.audit.append(entry),
      translator: t,
      technicianLocale: 'en',
      clock: fixture.clock,
      log,
      backoff: { baseMs: 1000, capMs: 4000 },
      random: () => 0,
      leaseMs: 60_000,
      ...over,
    });
    outbox.attach(bot);
    return outbox;
  };

  /** A new conversation (its own id) by a Teams-like user with an e-mail. */
  const chatOn = (bot: Bot, locale: string | null = null) =>
    new ChatDriver(bot, `conv-${++n}`, { id: `u${n}`, name: 'Aiko Tanaka', locale }, 'teams');
  const keyOf = () => `teams:conv-${n}`;

  return {
    sn,
    notifier,
    /** The ServiceNow the outboxes send to (once the block's `before` ran). */
    get system(): TicketSystem {
      return system;
    },
    botOn,
    outboxOn,
    chatOn,
    keyOf,
  };
}
