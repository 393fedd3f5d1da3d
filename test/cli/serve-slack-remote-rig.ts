/**
 * What the `winfix serve` Slack remote-run tests share: the people and channels, and a rig that before
 * each test starts a fake Slack Web API on loopback (checking every call against Slack's method reference
 * and Block Kit), a fake Azure Resource Manager (checked against job.json) and a PGlite database with
 * Aiko's PC enrolled, and after it stops them and asserts neither fake saw a malformed request. Its
 * helpers talk to the server as Slack would (signed Events API callbacks and block_actions payloads).
 */
import assert from 'node:assert/strict';
import { FakeCredential, StepClock } from '../connectors/azure-automation/harness';
import { hasButtons, textOf } from '../connectors/slack/slack-harness';
import { manifestScopes } from '../connectors/slack/slack-manifest';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeArm } from '../helpers/fake-arm';
import { FakeSlackApi, type PostedMessage } from '../helpers/fake-slack-api';
import { runCli } from '../helpers/run-cli';
import { startServe } from '../helpers/serve';
import {
  buttonPress,
  buttonsOf,
  directMessage,
  eventPost,
  postToSlackEndpoint,
  SIGNING_SECRET,
  type SlackPost,
} from '../helpers/slack-requests';

export const AIKO = 'U0000AIKO1';
export const KENJI = 'U0000KENJ1';
export const MALLORY = 'U0000MALL1';
export const DM = 'D0000AIKO1';
export const TECHS = 'C0000TECHS';
export const HEALTH_OUTPUT = `${JSON.stringify({
  runbook: 'Get-UpdateHealth',
  computer: 'PC-0042',
  ok: true,
  changed: false,
  rebootRequired: false,
  actions: [],
  errors: [],
  freeDiskGb: 80,
  clockSkewMinutes: 0.2,
  disabledServices: ['bits'],
  pendingReboot: false,
  thirdPartyAv: false,
})}\n`;

/** Events sent so far (each gets its own event_id). */
let events = 0;

/** Waits (polling, with a deadline) until `ready` holds. */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A message's fallback text and the text of its blocks. */
export const all = (m: PostedMessage) => `${m.text}\n${textOf(m)}`;

/** Error and warning lines of the server's log. */
export const problemsIn = (log: string[]) => log.filter((l) => /"level":"(error|warn)"/.test(l));

/**
 * A press as Slack sends it from a message with input blocks: `state.values` holds every input of the
 * message by block_id and action_id (`{ type: 'plain_text_input', value }`, value null when empty).
 */
export function pressWithState(
  message: PostedMessage,
  label: string,
  user: string,
  typed: string | null,
): SlackPost {
  const post = buttonPress(message, label, user);
  const payload = JSON.parse(new URLSearchParams(post.body).get('payload') ?? '{}');
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of message.blocks) {
    if (block.type !== 'input') continue;
    const element = block.element as { type: string; action_id: string };
    values[String(block.block_id)] = { [element.action_id]: { type: element.type, value: typed } };
  }
  payload.state = { values };
  payload.channel = { id: message.channel, name: 'it-technicians' };
  return { ...post, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}

/** A copy of a message as it is now (later updates do not change it). */
export const snapshot = (m: PostedMessage): PostedMessage => structuredClone(m);

/** One entry of the audit log, as `winfix audit --json` prints it. */
export interface AuditEntry {
  actor: string;
  action: string;
  subject: string | null;
  data: Record<string, unknown>;
}

/** The fakes, the database and the server's environment of the running test, and what tests do with them. */
export class SlackRemoteRig {
  api!: FakeSlackApi;
  fake!: FakeArm;
  private db!: TestDatabase;
  private env: NodeJS.ProcessEnv = {};

  async setUp(): Promise<void> {
    this.api = new FakeSlackApi({
      scopes: manifestScopes(),
      users: [
        { id: AIKO, name: 'aiko', real_name: 'Aiko Tanaka', locale: 'en-US' },
        { id: KENJI, name: 'kenji', real_name: 'Kenji Sato', locale: 'en-US' },
        { id: MALLORY, name: 'mallory', real_name: 'Mallory Mole', locale: 'en-US' },
      ],
    });
    await this.api.start();
    this.fake = await FakeArm.start();
    this.db = await createTestDatabase('pglite');
    this.env = {
      ...this.db.env,
      WINFIX_EXECUTOR: 'azure',
      AZURE_SUBSCRIPTION_ID: this.fake.subscriptionId,
      AZURE_RESOURCE_GROUP: this.fake.resourceGroup,
      AZURE_AUTOMATION_ACCOUNT: this.fake.automationAccount,
      AZURE_ARM_ENDPOINT: this.fake.url,
      AZURE_TENANT_ID: 'e5e5e5e5-0000-4000-8000-000000000005',
      AZURE_CLIENT_ID: 'f6f6f6f6-0000-4000-8000-000000000006',
      AZURE_CLIENT_SECRET: 'not-a-real-secret',
      SLACK_BOT_TOKEN: 'xoxb-test-remote',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.api.url,
      SLACK_TECHNICIANS: KENJI,
      SLACK_TECHNICIAN_CHANNEL: TECHS,
    };
    const enrolled = await runCli(['enroll', 'add', `slack:${AIKO}`, 'PC-0042', 'hrw-pc-0042'], this.env);
    assert.equal(enrolled.code, 0, enrolled.err);
  }

  async tearDown(): Promise<void> {
    await this.api.stop();
    await this.fake.close();
    await this.db.drop();
    assert.deepEqual(this.api.problems, [], 'every Web API call had the documented shape');
    assert.deepEqual(this.fake.problems, [], 'every ARM request matched job.json');
  }

  serve = (extra: NodeJS.ProcessEnv = {}) =>
    startServe(
      { ...this.env, ...extra },
      {
        remote: {
          executorDeps: {
            credential: new FakeCredential(new StepClock()),
            sleep: async () => {},
            requestTimeoutMs: 1000,
          },
          roundMs: 20,
          pollIntervalMs: 20,
        },
      },
    );

  /** Messages posted to a channel (optionally in one thread), oldest first. */
  posted = (channel: string, threadTs?: string) =>
    this.api.messages.filter(
      (m) => m.channel === channel && (threadTs === undefined || m.thread_ts === threadTs),
    );
  /** Everything the employee was shown in their DM (cards as they look now). */
  toAiko = () => this.posted(DM).map(all);
  ephemeralsTo = (user: string) =>
    this.api.ephemerals.filter((e) => e.params.user === user).map((e) => String(e.params.text));
  latestCard = (channel: string) => this.posted(channel).filter(hasButtons).at(-1);
  /** What the latest card with buttons shows ('' while there is none, e.g. between an update and a post). */
  latestCardText = (channel: string) => {
    const card = this.latestCard(channel);
    return card ? textOf(card) : '';
  };

  send = async (url: string, post: SlackPost): Promise<void> => {
    const ack = await postToSlackEndpoint(`${url}/slack/events`, post);
    assert.equal(ack.status, 200, ack.body);
  };

  press = async (url: string, message: PostedMessage | undefined, label: string, user: string) => {
    assert.ok(message, `a message with "${label}"`);
    await this.send(url, buttonPress(message, label, user));
  };

  /**
   * The employee's conversation up to "Run it for me" on the diagnostics step (a code the KB does not
   * describe: the generic Windows Update plan's fourth step, check-disk-space, runs Get-UpdateHealth
   * with no parameters); returns the approval card in the technicians' channel.
   */
  requestRun = async (url: string): Promise<PostedMessage> => {
    const { send, press, latestCard, latestCardText, posted, toAiko } = this;
    events += 1;
    await send(
      url,
      eventPost({
        eventId: `Ev-remote-${events}`,
        event: directMessage(AIKO, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2'),
      }),
    );
    for (const step of [2, 3, 4]) {
      await waitUntil(() => hasButtons(latestCard(DM)), 'a step card in the DM');
      await press(url, latestCard(DM), "Didn't help", AIKO);
      await waitUntil(() => new RegExp(`Step ${step} of`).test(latestCardText(DM)), `step ${step} in the DM`);
    }
    const step = latestCard(DM);
    assert.ok(
      step && buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
      `the step card offers the run: ${step ? textOf(step) : 'none'}`,
    );
    await press(url, step, 'Run it for me', AIKO);
    await waitUntil(() => posted(TECHS).length > 0, 'the approval card in the technicians’ channel');
    await waitUntil(
      () => toAiko().some((t) => /asked a technician to approve running this on PC-0042/.test(t)),
      'the employee told the request is with a technician',
    );
    const cards = posted(TECHS);
    assert.equal(cards.length, 1, 'one approval card');
    return cards[0] as PostedMessage;
  };

  /** The approval card's update calls (chat.update in the technicians' channel), oldest first. */
  cardUpdates = () => this.api.of('chat.update').filter((c) => c.params.channel === TECHS);

  /** The audit log as `winfix audit --json` prints it (read after the server stopped). */
  audit = async (): Promise<AuditEntry[]> => {
    const run = await runCli(['audit', '--json'], this.env);
    assert.equal(run.code, 0, run.err);
    return JSON.parse(run.out);
  };
}

/** A rig set up before and torn down after each test of the calling suite. */
export function slackRemoteRig(): SlackRemoteRig {
  const rig = new SlackRemoteRig();
  beforeEach(() => rig.setUp());
  afterEach(() => rig.tearDown());
  return rig;
}
