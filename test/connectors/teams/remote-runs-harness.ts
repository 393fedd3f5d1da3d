/**
 * What the Teams remote-run tests share: a fake Bot Connector channel (also the Entra authority whose
 * keys sign the channel's tokens: real jobs are refused in anonymous Teams mode, decision 0014), a fake
 * ARM checked against job.json and a PGlite database per test (Aiko's PC enrolled), `winfix serve`
 * started on them with a Teams app id, the
 * people who talk to the bot, and ways to read what the channel shows (the approval card as it looks
 * now, the bot's replies to one press, what a user was told) and what the audit log holds.
 */
import assert from 'node:assert/strict';
import type { RemoteWiringOptions } from '../../../cli/remote-wiring';
import type { AuditEntry } from '../../../connectors/storage';
import { FakeArm } from '../../helpers/fake-arm';
import { ADAPTIVE_CARD, FakeBotConnector, type InvokeAnswer } from '../../helpers/fake-bot-connector';
import { fakeConnections } from '../../helpers/fake-connections';
import { newSigningKey, type SigningKey, signJwt } from '../../helpers/jwt';
import { azureEnv, healthOutput } from '../../helpers/remote-fixtures';
import { runCli } from '../../helpers/run-cli';
import { startServe } from '../../helpers/serve';
import { cardOf, cardText, TeamsUser } from '../../helpers/teams-user';
import { FakeCredential, StepClock } from '../azure-automation/harness';
import { createTestDatabase, type TestDatabase } from '../storage/test-databases';

export const AIKO_AAD = 'a1a1a1a1-0000-4000-8000-000000000001';
export const KENJI_AAD = 'b2b2b2b2-0000-4000-8000-000000000002';
export const YUKI_AAD = 'c3c3c3c3-0000-4000-8000-000000000003';
export const TECHS = '19:technicians@thread.tacv2';
export const AIKO_CHAT = 'a:aiko-personal';
/** The bot's Entra app: every activity the channel delivers carries a token for it. */
export const APP_ID = '00000000-0000-4000-8000-0000000a11ce';
const OUTBOUND_TOKEN = 'remote-runs-outbound-token';
export const HEALTH_OUTPUT = healthOutput({
  freeDiskGb: 80,
  clockSkewMinutes: 0.2,
  disabledServices: ['bits'],
});

export type Server = Awaited<ReturnType<typeof startServe>>;

/** The lines on top of a card answered to a press (see withLead): every text block before the separator. */
export function leadOf(card: unknown): string[] {
  const body = ((card as { body?: Record<string, unknown>[] } | null)?.body ?? []) as Record<
    string,
    unknown
  >[];
  const end = body.findIndex((element) => element.separator === true);
  return (end < 0 ? [] : body.slice(0, end)).map((element) => cardText({ body: [element] }));
}

export interface TeamsRemote {
  readonly channel: FakeBotConnector;
  readonly fake: FakeArm;
  /** Every wait the Azure executor asked for, in ms (it never really sleeps). */
  readonly sleeps: number[];
  /**
   * `winfix serve` on this test's channel, ARM and database; `extra` overrides the environment,
   * `remote` the remote-run wiring's options.
   */
  serve(extra?: NodeJS.ProcessEnv, remote?: Partial<RemoteWiringOptions>): Promise<Server>;
  /** Enrolls one more PC (`winfix enroll add`), e.g. for a second employee. */
  enroll(userAad: string, computer: string, workerGroup: string): Promise<void>;
  /** Stops a server: exit code 0, and no error or warning in its log. */
  stopCleanly(server: Server): Promise<void>;
  /** The Authorization header the channel puts on what it delivers to the bot ("Bearer <signed token>"). */
  authorization(): string;
  /** The people, their activities signed by the channel (`anonymous`: no token, for anonymous mode). */
  people(url: string, options?: { anonymous?: boolean }): ReturnType<typeof people>;
  /** The approval card as everyone sees it now (after in-place updates), and its activity id. */
  currentApproval(): { id: string; card: Record<string, unknown> | null };
  /** The approval card as one user's client shows it now (their own view once refreshed). */
  approvalSeenBy(user: TeamsUser): Record<string, unknown> | null;
  /** The texts of what the bot answered to one incoming activity (a press), in order. */
  repliesTo(incomingId: string): string[];
  /**
   * What the presser was told: on a current client, the texts on top of the card the invoke was
   * answered with (or its message); on an older client, the bot's replies in the channel.
   */
  toPresser(press: { incomingId: string; invoke: InvokeAnswer | null }): string[];
  /** Everything sent to a conversation: texts, and what cards show now. */
  said(conversationId: string): string[];
  /** Aiko reaches the diagnostics step (Get-UpdateHealth) and asks IT to run it. */
  askForDiagnostics(aiko: TeamsUser): Promise<void>;
  /** The audit log as `winfix audit --json` prints it (read with no server running: PGlite is one process's). */
  audit(): Promise<AuditEntry[]>;
}

/**
 * The people of these tests. In the technicians' channel they use current Teams clients (Universal
 * Actions: approval cards refresh to each one's own view, presses are Action.Execute invokes answered
 * with the presser's view); `kenjiOldClient` is Kenji on a client without them (Action.Submit). Aiko's
 * own chat uses Action.Submit (the card updates checked there are the PUTs of that path; presses as
 * Action.Execute: conversation.test.ts, delivery-calls.test.ts).
 */
function people(channel: FakeBotConnector, url: string, authorization: string | null) {
  const tech = (userId: string, name: string, aadObjectId?: string, legacyClient = false) =>
    new TeamsUser(channel, url, TECHS, {
      legacyClient,
      userId,
      name,
      conversationType: 'channel',
      authorization,
      ...(aadObjectId ? { aadObjectId } : {}),
    });
  return {
    aiko: new TeamsUser(channel, url, AIKO_CHAT, {
      legacyClient: true,
      userId: '29:aiko',
      name: 'Aiko Tanaka',
      aadObjectId: AIKO_AAD,
      authorization,
    }),
    /** Aiko in the technicians' channel (she may be a technician too). */
    aikoAtTechs: tech('29:aiko', 'Aiko Tanaka', AIKO_AAD),
    kenji: tech('29:kenji', 'Kenji Sato', KENJI_AAD),
    kenjiOldClient: tech('29:kenji', 'Kenji Sato', KENJI_AAD, true),
    yuki: tech('29:yuki', 'Yuki Mori', YUKI_AAD),
    mallory: tech('29:mallory', 'Mallory'),
  };
}

/** Registers the hooks of a `describe` that runs remote runs through Teams; returns its harness. */
export function teamsRemoteRuns(): TeamsRemote {
  let channel: FakeBotConnector;
  let fake: FakeArm;
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let key: SigningKey;
  const sleeps: number[] = [];

  beforeEach(async () => {
    sleeps.length = 0;
    channel = new FakeBotConnector();
    await channel.start();
    key = newSigningKey('remote-runs-key');
    channel.jwks = { keys: [key.jwk] };
    fake = await FakeArm.start();
    db = await createTestDatabase('pglite');
    env = {
      ...db.env,
      ...azureEnv(fake),
      WINFIX_TEAMS_TECHNICIANS: KENJI_AAD,
      WINFIX_TEAMS_TECHNICIAN_CONVERSATION: TECHS,
      // Where the technicians' channel is reached before the bot has heard from it: the fake channel.
      WINFIX_TEAMS_SERVICE_URL: channel.serviceUrl,
      WINFIX_TEAMS_APP_ID: APP_ID,
      WINFIX_TEAMS_APP_PASSWORD: 'remote-runs-app-password',
      WINFIX_TEAMS_TENANT_ID: 'tenant-1',
      // The fake channel is on loopback, which only anonymous mode allows by itself.
      WINFIX_TEAMS_SERVICE_URLS: channel.serviceUrl,
    };
    const enrolled = await runCli(['enroll', 'add', `teams:${AIKO_AAD}`, 'PC-0042', 'hrw-pc-0042'], env);
    assert.equal(enrolled.code, 0, enrolled.err);
  });

  afterEach(async () => {
    await channel.stop();
    await fake.close();
    await db.drop();
    assert.deepEqual(channel.problems, [], 'every activity and card matched the Bot Framework spec');
    assert.deepEqual(fake.problems, [], 'every ARM request matched job.json');
  });

  const authorization = () =>
    `Bearer ${signJwt(key, { aud: APP_ID, iss: `${channel.baseUrl}/tenant-1/v2.0`, serviceurl: channel.serviceUrl })}`;

  const approvalCards = () =>
    channel.sentTo(TECHS).filter((c) => /Remote run requested/.test(cardText(cardOf(c.activity as never))));
  const currentApproval = () => {
    const posted = approvalCards();
    assert.equal(posted.length, 1, 'one approval card was posted to the technicians');
    const id = (posted[0]?.id ?? '') as string;
    return { id, card: cardOf((channel.activities.get(id)?.activity ?? posted[0]?.activity) as never) };
  };
  const repliesTo = (incomingId: string) =>
    channel.calls
      .filter((c) => c.kind === 'reply' && c.activityId === incomingId && c.id)
      .map((c) => String(c.activity.text ?? ''));

  return {
    get channel() {
      return channel;
    },
    get fake() {
      return fake;
    },
    sleeps,
    serve: (extra = {}, remote = {}) =>
      startServe(
        { ...env, ...extra },
        {
          remote: {
            executorDeps: {
              credential: new FakeCredential(new StepClock()),
              sleep: async (ms: number) => {
                sleeps.push(ms);
              },
              requestTimeoutMs: 1000,
            },
            roundMs: 20,
            pollIntervalMs: 20,
            ...remote,
          },
          teams: { authority: `${channel.baseUrl}/tenant-1`, connections: fakeConnections(OUTBOUND_TOKEN) },
        },
      ),
    async enroll(userAad, computer, workerGroup) {
      const enrolled = await runCli(['enroll', 'add', `teams:${userAad}`, computer, workerGroup], env);
      assert.equal(enrolled.code, 0, enrolled.err);
    },
    async stopCleanly(server) {
      assert.equal(await server.stop(), 0);
      assert.deepEqual(
        server.log.filter((line) => /"level":"(error|warn)"/.test(line)),
        [],
        'no errors or warnings logged',
      );
    },
    authorization,
    people: (url, options = {}) => people(channel, url, options.anonymous ? null : authorization()),
    currentApproval,
    approvalSeenBy: (user) => cardOf(channel.seenBy(currentApproval().id, user.userId) as never),
    repliesTo,
    toPresser(press) {
      if (!press.invoke) return repliesTo(press.incomingId);
      if (press.invoke.type !== ADAPTIVE_CARD) return [String(press.invoke.value ?? '')];
      return leadOf(press.invoke.value);
    },
    said: (conversationId) =>
      channel.sentTo(conversationId).map((call) => {
        const activity = channel.activities.get(call.id as string)?.activity ?? call.activity;
        return [activity.text ?? '', cardText(cardOf(activity))].join('\n');
      }),
    async askForDiagnostics(aiko) {
      // A code the KB does not describe: the generic Windows Update plan's fourth step, check-disk-space,
      // runs Get-UpdateHealth with no parameters.
      await aiko.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
      for (let i = 0; i < 3; i++) await aiko.press("Didn't help");
      assert.equal((await aiko.press('Run it for me')).status, 200);
      await channel.waitFor(() => approvalCards().length > 0, 10_000, 'the approval card');
    },
    async audit() {
      const run = await runCli(['audit', '--json'], env);
      assert.equal(run.code, 0, run.err);
      return JSON.parse(run.out) as AuditEntry[];
    },
  };
}
