/**
 * The two bots the Teams benchmark compares, on the same SDK and server: winfix (the real bot with
 * in-memory stores) and a bare echo bot that answers each message with one text.
 */
import { CloudAdapter } from '@microsoft/agents-hosting';
import { createBot, InMemoryConversationStore, InMemoryReferenceStore } from '../bot';
import {
  createTeamsHttpServer,
  createTeamsService,
  ServiceUrlPolicy,
  type TeamsLog,
} from '../connectors/teams';
import { authConfiguration } from '../connectors/teams/auth';
import type { Knowledge } from '../rules/knowledge';

export const quiet: TeamsLog = { info: () => {}, warn: () => {}, error: () => {} };

export function createWinfixServer(knowledge: Knowledge) {
  const bot = createBot({ knowledge, store: new InMemoryConversationStore() });
  return createTeamsService({ bot, references: new InMemoryReferenceStore(), log: quiet });
}

export function createEchoServer() {
  return createTeamsHttpServer({
    adapter: new CloudAdapter(authConfiguration({ appId: null })),
    log: quiet,
    // Anonymous, like the winfix server here: replies may go to the loopback fake channel.
    serviceUrls: new ServiceUrlPolicy({ anonymous: true }),
    onTurn: async (context) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
    },
  });
}
