/** Starts the real Teams server (port 0) with a real bot, next to a fake Bot Connector channel. */
import { type Bot, createBot, InMemoryConversationStore, InMemoryReferenceStore } from '../../../bot';
import { createTeamsService, type TeamsService, type TeamsServiceOptions } from '../../../connectors/teams';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import { steppingClock } from '../../bot/chat-driver';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { MemoryLog } from '../../helpers/memory-log';
import { TeamsUser, type TeamsUserOptions } from '../../helpers/teams-user';

let knowledge: Knowledge | null = null;
export function sharedKnowledge(): Knowledge {
  knowledge ??= createKnowledge();
  return knowledge;
}

export function realBot(): Bot {
  return createBot({
    knowledge: sharedKnowledge(),
    store: new InMemoryConversationStore(),
    clock: steppingClock(),
    defaultLocale: 'en',
  });
}

export interface Harness {
  channel: FakeBotConnector;
  service: TeamsService;
  url: string;
  log: MemoryLog;
  references: InMemoryReferenceStore;
  user(conversationId: string, options?: TeamsUserOptions): TeamsUser;
  close(): Promise<void>;
}

/** `options` may depend on the fake channel (its service URL is known once it listens). */
export async function startHarness(
  options: Partial<TeamsServiceOptions> | ((channel: FakeBotConnector) => Partial<TeamsServiceOptions>) = {},
): Promise<Harness> {
  const channel = new FakeBotConnector();
  await channel.start();
  const log = new MemoryLog();
  const references = new InMemoryReferenceStore();
  const service = createTeamsService({
    bot: realBot(),
    references,
    log,
    closeGraceMs: 200,
    ...(typeof options === 'function' ? options(channel) : options),
  });
  const url = await service.listen(0, '127.0.0.1');
  return {
    channel,
    service,
    url,
    log,
    references,
    user: (conversationId, userOptions) => new TeamsUser(channel, url, conversationId, userOptions),
    async close() {
      await service.close();
      await channel.stop();
    },
  };
}
