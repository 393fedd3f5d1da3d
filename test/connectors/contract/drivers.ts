/**
 * One driver per connector for the contract suite: each starts the real connector against what is
 * remote by nature (the fake Bot Connector channel for Teams, the fake Slack Web API for Slack, a
 * captured terminal for the console) and speaks to it as its platform's client does.
 */
import { createBot, InMemoryConversationStore } from '../../../bot';
import type { ChatConnector } from '../../../connectors/chat/contract';
import { ConsoleConnector } from '../../../connectors/console/console-connector';
import { steppingClock } from '../../bot/chat-driver';
import { cardOf, cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import { SlackHarness, textOf } from '../slack/slack-harness';
import { type Harness, sharedKnowledge, startHarness } from '../teams/harness';

export type ContractLocale = 'ja' | 'en' | 'ru';

const CLIENT_LOCALE: Record<ContractLocale, string> = { ja: 'ja-JP', en: 'en-US', ru: 'ru-RU' };

export interface ConnectorDriver {
  readonly name: string;
  readonly connector: ChatConnector;
  /** The bot's conversation store: a test can make it fail (the core then throws). */
  readonly store: InMemoryConversationStore;
  /** Platform conversation id of a user's conversation (one per locale). */
  conversation(locale: ContractLocale): string;
  /** A user writes; `deliveryId` repeats a delivery when given twice. Resolves once the turn is done. */
  say(locale: ContractLocale, text: string, deliveryId?: string): Promise<void>;
  /** Like `say`, without waiting for the replies. */
  sayNoWait(locale: ContractLocale, text: string): Promise<unknown>;
  /** Presses the button labelled `label` on the latest card. */
  press(locale: ContractLocale, label: string): Promise<void>;
  /** Everything the user was shown, oldest first, as plain text (one entry per message). */
  shown(locale: ContractLocale): string[];
  /** The button labels of the latest message that has buttons. */
  buttons(locale: ContractLocale): string[];
  /** How many times a message already shown was changed in place. */
  updatedInPlace(locale: ContractLocale): number;
  /** From now on nothing reaches this user's conversation (the bot was removed, the channel refuses). */
  breakDelivery(locale: ContractLocale): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const LOCALES: ContractLocale[] = ['ja', 'en', 'ru'];

export async function slackDriver(): Promise<ConnectorDriver> {
  const users = Object.fromEntries(LOCALES.map((l, i) => [l, `U000USER${i}`])) as Record<
    ContractLocale,
    string
  >;
  const channels = Object.fromEntries(LOCALES.map((l, i) => [l, `D000DM00${i}`])) as Record<
    ContractLocale,
    string
  >;
  const slack = await new SlackHarness(sharedKnowledge(), {
    users: LOCALES.map((l) => ({
      id: users[l],
      name: `user-${l}`,
      real_name: `User ${l}`,
      locale: CLIENT_LOCALE[l],
    })),
  }).start();
  return {
    name: 'Slack',
    connector: slack.connector,
    store: slack.store,
    conversation: (l) => `T0001:${channels[l]}`,
    async say(l, text, deliveryId) {
      await slack.dm(users[l], channels[l], text, deliveryId);
    },
    sayNoWait: (l, text) => slack.dm(users[l], channels[l], text),
    async press(l, label) {
      await slack.press(slack.card(channels[l]), label, users[l]);
    },
    shown: (l) => slack.posted(channels[l]).map((m) => (m.blocks.length > 0 ? textOf(m) : m.text)),
    buttons(l) {
      const card = slack
        .posted(channels[l])
        .filter((m) => m.blocks.some((b) => b.type === 'actions'))
        .at(-1);
      if (!card) return [];
      return card.blocks
        .filter((b) => b.type === 'actions')
        .flatMap((b) => (b as { elements?: { text?: { text?: string } }[] }).elements ?? [])
        .map((e) => e.text?.text ?? '');
    },
    // In place: chat.update, or (one call per press) the press's response_url replacing the message.
    updatedInPlace: (l) =>
      slack.api.of('chat.update').filter((c) => c.params.channel === channels[l]).length +
      slack.api.replacedThroughResponseUrl(channels[l]).length,
    breakDelivery(l) {
      slack.api.notInChannels.add(channels[l]);
    },
    idle: () => slack.connector.idle(),
    stop: () => slack.stop(),
  };
}

export async function teamsDriver(): Promise<ConnectorDriver> {
  const store = new InMemoryConversationStore();
  const bot = createBot({ knowledge: sharedKnowledge(), store, clock: steppingClock(), defaultLocale: 'en' });
  const harness: Harness = await startHarness({ bot });
  const users = Object.fromEntries(
    LOCALES.map((l) => [
      l,
      harness.user(`a:conversation-${l}`, { locale: CLIENT_LOCALE[l], userId: `29:user-${l}` }),
    ]),
  ) as Record<ContractLocale, TeamsUser>;
  const textOfActivity = (activity: Record<string, unknown>) => {
    const card = cardOf(activity);
    return card ? cardText(card) : String(activity.text ?? '');
  };
  return {
    name: 'Teams',
    connector: harness.service.connector,
    store,
    conversation: (l) => users[l].conversationId,
    async say(l, text, deliveryId) {
      const user = users[l];
      await user.post(
        user.activity({ text, textFormat: 'plain', ...(deliveryId ? { id: deliveryId } : {}) }),
      );
      await harness.service.connector.idle();
    },
    sayNoWait: (l, text) => users[l].say(text),
    async press(l, label) {
      await users[l].press(label);
      await harness.service.connector.idle();
    },
    shown: (l) => users[l].sent().map((s) => textOfActivity(s.activity as Record<string, unknown>)),
    buttons(l) {
      const withButtons = users[l]
        .sent()
        .map((s) => submitActions(cardOf(s.activity)))
        .filter((actions) => actions.length > 0)
        .at(-1);
      return (withButtons ?? []).map((a) => a.title);
    },
    // In place: a PUT of the card, or (Universal Actions) the next card in the answer to the press's invoke.
    updatedInPlace(l) {
      const conversationId = users[l].conversationId;
      const puts = harness.channel.calls.filter(
        (c) => c.kind === 'update' && c.conversationId === conversationId,
      ).length;
      const cards = new Set(users[l].sent().map((s) => s.call.id));
      const answered = harness.channel.invokeAnswers.filter(
        (a) =>
          a.httpStatus === 200 &&
          a.statusCode === 200 &&
          a.type === 'application/vnd.microsoft.card.adaptive' &&
          cards.has(a.activityId),
      ).length;
      return puts + answered;
    },
    breakDelivery(l) {
      harness.channel.failure = { status: 403, conversationId: users[l].conversationId };
    },
    idle: () => harness.service.connector.idle(),
    stop: () => harness.close(),
  };
}

export async function consoleDriver(): Promise<ConnectorDriver> {
  const store = new InMemoryConversationStore();
  const bot = createBot({ knowledge: sharedKnowledge(), store, clock: steppingClock(), defaultLocale: 'en' });
  const screens = new Map<string, string[]>();
  const broken = new Set<string>();
  let writing = '';
  const connector = new ConsoleConnector({
    bot,
    write: (text) => {
      if (broken.has(writing)) throw new Error('the terminal is gone (EPIPE)');
      if (text !== '') screens.get(writing)?.push(text) ?? screens.set(writing, [text]);
    },
  });
  // The console writes synchronously while delivering: the conversation being written is the one
  // whose delivery runs (tracked by wrapping each call).
  const conversation = (l: ContractLocale) => `console-${l}`;
  const user = (l: ContractLocale) => ({ id: `local-${l}`, locale: CLIENT_LOCALE[l] });
  const within = async <T>(l: ContractLocale, work: () => Promise<T>) => {
    writing = conversation(l);
    return work();
  };
  const sendProactive = connector.sendProactive.bind(connector);
  connector.sendProactive = (conversationId, messages) => {
    writing = conversationId;
    return sendProactive(conversationId, messages);
  };
  let updates = new Map<string, number>();
  return {
    name: 'console',
    connector,
    store,
    conversation,
    async say(l, text, deliveryId) {
      await within(l, () => connector.say(conversation(l), user(l), text, deliveryId));
    },
    sayNoWait: (l, text) => within(l, () => connector.say(conversation(l), user(l), text)),
    async press(l, label) {
      const { cardId, choices } = connector.choices(conversation(l));
      const choice = choices.find((c) => c.label === label);
      if (!choice) throw new Error(`no choice ${label}`);
      await within(l, () =>
        connector.take({
          kind: 'action',
          platform: 'console',
          conversationId: conversation(l),
          user: user(l),
          action: choice.action,
          cardId,
        }),
      );
      // A terminal cannot edit what it printed: the answered card's choices are taken away instead.
      if (connector.choices(conversation(l)).cardId !== cardId) updates.set(l, (updates.get(l) ?? 0) + 1);
    },
    shown: (l) => screens.get(conversation(l)) ?? [],
    buttons: (l) => connector.choices(conversation(l)).choices.map((c) => c.label),
    updatedInPlace: (l) => updates.get(l) ?? 0,
    breakDelivery(l) {
      broken.add(conversation(l));
    },
    idle: () => connector.idle(),
    async stop() {
      updates = new Map();
      await connector.stop();
    },
  };
}
