/**
 * Runs the Slack connector in HTTP mode for tests: the real bot on the real knowledge base, the
 * connector's listener on its own node:http server on port 0, a fake Slack Web API, and a recording
 * logger. `say` and `press` send signed requests like Slack does. `slackSuite` holds the mocha hooks the
 * Slack suites share.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminPolicy, Bot, ConversationState } from '../../../bot';
import { createBot, InMemoryConversationStore, InMemoryReferenceStore } from '../../../bot';
import type { ConnectorLogger } from '../../../connectors/slack';
import {
  createSlackConnector,
  SLACK_OFF,
  type SlackConnector,
  type SlackSettings,
} from '../../../connectors/slack';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import type { Locale } from '../../../rules/vocabulary';
import type { RemoteRunsPort } from '../../../runs';
import { steppingClock } from '../../bot/chat-driver';
import { FakeSlackApi, type FakeSlackApiOptions, type PostedMessage } from '../../helpers/fake-slack-api';
import {
  buttonPress,
  directMessage,
  eventPost,
  mention,
  nextTs,
  type PostOptions,
  type PostResult,
  postToSlackEndpoint,
  SIGNING_SECRET,
  type SlackPost,
} from '../../helpers/slack-requests';

export class RecordingLogger implements ConnectorLogger {
  readonly lines: { level: string; message: string }[] = [];
  debug(message: string) {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string) {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string) {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string) {
    this.lines.push({ level: 'error', message });
  }
  at(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

export interface HarnessOptions extends FakeSlackApiOptions {
  settings?: Partial<SlackSettings>;
  /** Remote runs for the bot (default none: "Run it for me" is never offered). */
  remote?: RemoteRunsPort;
  /** Whether employees can run things as administrator (default: the bot's default, yes). */
  employeesAreAdmins?: AdminPolicy;
  /** The technicians' language (their copy of hand-offs). Default: the bot's default, en. */
  technicianLocale?: Locale;
  /** How long one Web API call may wait for an answer (default: the connector's). */
  apiTimeoutMs?: number;
}

let eventCounter = 0;
export const nextEventId = () => `Ev${String(++eventCounter).padStart(8, '0')}`;

export class SlackHarness {
  readonly api: FakeSlackApi;
  readonly store = new InMemoryConversationStore();
  readonly references = new InMemoryReferenceStore();
  readonly logger = new RecordingLogger();
  connector!: SlackConnector;
  bot!: Bot;
  private server: Server | null = null;

  constructor(
    private readonly knowledge: Knowledge,
    private readonly options: HarnessOptions = {},
  ) {
    this.api = new FakeSlackApi(options);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/slack/events`;
  }

  async start(): Promise<this> {
    await this.api.start();
    this.bot = createBot({
      knowledge: this.knowledge,
      store: this.store,
      clock: steppingClock(),
      defaultLocale: 'en',
      ...(this.options.remote ? { remote: this.options.remote } : {}),
      ...(this.options.employeesAreAdmins ? { employeesAreAdmins: this.options.employeesAreAdmins } : {}),
      ...(this.options.technicianLocale ? { technicianLocale: this.options.technicianLocale } : {}),
    });
    this.connector = createSlackConnector({
      bot: this.bot,
      config: {
        ...SLACK_OFF,
        botToken: 'xoxb-test-token',
        signingSecret: SIGNING_SECRET,
        apiUrl: this.api.url,
        ...this.options.settings,
      },
      references: this.references,
      logger: this.logger,
      ...(this.options.apiTimeoutMs ? { apiTimeoutMs: this.options.apiTimeoutMs } : {}),
    });
    await this.connector.start();
    const listener = this.connector.httpListener;
    if (!listener) throw new Error('no HTTP listener');
    this.server = createServer(listener);
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  async stop(): Promise<void> {
    await this.connector?.stop();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    }
    await this.api.stop();
  }

  /** Posts to the events endpoint and waits until the work it started is done. */
  async send(post: SlackPost, options?: PostOptions): Promise<PostResult> {
    const result = await postToSlackEndpoint(this.url, post, options);
    await this.connector.idle();
    return result;
  }

  async dm(user: string, channel: string, text: string, eventId = nextEventId()): Promise<PostResult> {
    return this.send(eventPost({ eventId, event: directMessage(user, channel, text) }));
  }

  async mention(user: string, channel: string, text: string, threadTs?: string): Promise<PostResult> {
    const event = mention(user, channel, `<@${this.api.botUserId}> ${text}`, nextTs(), threadTs);
    return this.send(eventPost({ eventId: nextEventId(), event }));
  }

  async press(message: PostedMessage, label: string, user: string): Promise<PostResult> {
    return this.send(buttonPress(message, label, user));
  }

  /** Messages posted to a channel (optionally in one thread), oldest first. */
  posted(channel: string, threadTs?: string): PostedMessage[] {
    return this.api.messages.filter(
      (m) => m.channel === channel && (threadTs === undefined || m.thread_ts === threadTs),
    );
  }

  /** The latest message in the channel with buttons. */
  card(channel: string): PostedMessage {
    const found = this.posted(channel).filter((m) => m.blocks.some((b) => b.type === 'actions'));
    const last = found.at(-1);
    if (!last) throw new Error(`no card in ${channel}`);
    return last;
  }

  async state(conversationId: string): Promise<ConversationState | null> {
    return this.store.get(`slack:${conversationId}`);
  }
}

/** All the text of a message's blocks (sections, headers, fields, contexts, preformatted). */
export function textOf(message: PostedMessage | undefined): string {
  if (!message) throw new Error('no such message');
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' && k !== 'value') walk(v);
      if (o.text && typeof o.text === 'object') walk(o.text);
    }
  };
  walk(message.blocks);
  return parts.join('\n');
}

/** Whether a message has buttons (an actions block). */
export const hasButtons = (m: PostedMessage | undefined) =>
  Boolean(m?.blocks.some((b) => b.type === 'actions'));

/** Whether a message has an input field (an input block). */
export const hasInput = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'input'));

/** What a Slack suite's hooks share with its tests. */
export interface SlackSuite {
  /** The knowledge base, loaded once before the suite's first test. */
  readonly knowledge: Knowledge;
  /**
   * Starts a harness for the running test (on the suite's knowledge base unless given another); the
   * suite stops and checks it after the test.
   */
  start(options?: HarnessOptions, knowledge?: Knowledge): Promise<SlackHarness>;
}

/**
 * Registers the mocha hooks a Slack suite shares: the knowledge base is loaded once, and after each test
 * the harness `start` gave it is stopped and every Web API call must have had the documented shape (and,
 * with `noErrorsLogged`, the connector logged no error).
 */
export function slackSuite(checks: { noErrorsLogged?: boolean } = {}): SlackSuite {
  let knowledge: Knowledge | null = null;
  let current: SlackHarness | null = null;
  before(() => {
    knowledge = createKnowledge();
  });
  afterEach(async () => {
    const slack = current;
    current = null;
    if (!slack) return;
    await slack.stop();
    assert.deepEqual(slack.api.problems, [], 'every Web API call had the documented shape');
    if (checks.noErrorsLogged) assert.deepEqual(slack.logger.at('error'), []);
  });
  const loaded = (): Knowledge => {
    if (!knowledge) throw new Error('the knowledge base is loaded before the suite runs');
    return knowledge;
  };
  return {
    get knowledge() {
      return loaded();
    },
    async start(options: HarnessOptions = {}, other?: Knowledge): Promise<SlackHarness> {
      current = new SlackHarness(other ?? loaded(), options);
      return current.start();
    },
  };
}
