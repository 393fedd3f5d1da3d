/**
 * Remote runs wired as `winfix serve` wires them (cli/remote-wiring.ts), over real PostgreSQL or PGlite
 * storage and the Azure Automation executor against a fake ARM (real HTTP, checked against job.json).
 * Only the chat side is recorded here instead of delivered: the notifier is what a connector would be.
 */

import assert from 'node:assert/strict';
import { type ApprovalMessage, type Bot, createBot, type OutgoingMessage } from '../../bot';
import { readConfig } from '../../cli/config';
import { type RemoteWiring, wireRemote } from '../../cli/remote-wiring';
import { type Backend, openStorage, type Storage } from '../../connectors/storage';
import type { Knowledge } from '../../rules/knowledge';
import type { RemoteNotifier, RunbookExecutor } from '../../runs';
import { ChatDriver } from '../bot/chat-driver';
import { FakeCredential, StepClock } from '../connectors/azure-automation/harness';
import { createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeArm } from '../helpers/fake-arm';
import { azureEnv } from '../helpers/remote-fixtures';

export const AIKO = {
  id: '29:aiko',
  name: 'Aiko Tanaka',
  directoryId: 'a1a1a1a1-0000-4000-8000-000000000001',
};
export const KENJI = {
  id: '29:kenji',
  name: 'Kenji Sato',
  directoryId: 'b2b2b2b2-0000-4000-8000-000000000002',
};
export const YUKI = { id: '29:yuki', name: 'Yuki Mori', directoryId: 'c3c3c3c3-0000-4000-8000-000000000003' };
export const MALLORY = {
  id: '29:mallory',
  name: 'Mallory',
  directoryId: 'd4d4d4d4-0000-4000-8000-000000000004',
};

/** The technicians' channel the harness presses in. */
export const TECHNICIANS = '19:technicians@thread.tacv2';

export class RecordingNotifier implements RemoteNotifier {
  readonly posted: ApprovalMessage[] = [];
  readonly updated: ApprovalMessage[] = [];
  readonly technicians: { requestId: string; text: string }[] = [];
  readonly user: OutgoingMessage[] = [];

  /** What `postApproval` answers (tests set 'queued' or 'failed' to play an unreachable channel). */
  delivery: 'delivered' | 'queued' | 'failed' = 'delivered';
  async postApproval(_platform: string, card: ApprovalMessage) {
    if (this.delivery === 'delivered') this.posted.push(card);
    return this.delivery;
  }
  async updateApproval(_platform: string, card: ApprovalMessage) {
    this.updated.push(card);
  }
  async toTechnicians(_platform: string, requestId: string, text: string) {
    this.technicians.push({ requestId, text });
  }
  async toConversation(_key: string, messages: OutgoingMessage[]) {
    this.user.push(...messages);
  }
  /** The card as everyone sees it now. */
  card(requestId: string): ApprovalMessage | undefined {
    return [...this.posted, ...this.updated].filter((c) => c.requestId === requestId).at(-1);
  }
  userTexts(): string[] {
    return this.user.map((m) => ('text' in m ? m.text : m.kind));
  }
}

export interface Remote {
  clock: StepClock;
  db: TestDatabase;
  storage: Storage;
  fake: FakeArm;
  wiring: RemoteWiring;
  notifier: RecordingNotifier;
  bot: Bot;
  chat: ChatDriver;
  logs: string[];
  /**
   * A technician presses a button of the approval card (its payload as given, or forged), in the
   * technicians' channel unless `conversationId` says elsewhere.
   */
  press(
    who: typeof KENJI & { email?: string },
    action: unknown,
    fields?: Record<string, string>,
    conversationId?: string,
  ): Promise<string>;
  /** Lets the sweep's grace period pass, then sweeps once. */
  sweep(): Promise<number>;
  /** Polls once, then lets the poll interval pass. */
  poll(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemote(
  knowledge: Knowledge,
  options: {
    backend?: Backend;
    env?: Record<string, string>;
    db?: TestDatabase;
    fake?: FakeArm;
    clock?: StepClock;
    /** Another executor in place of Azure Automation (the fake ARM then sees nothing). */
    executor?: RunbookExecutor;
  } = {},
): Promise<Remote> {
  const clock = options.clock ?? new StepClock();
  const db = options.db ?? (await createTestDatabase(options.backend ?? 'postgres'));
  const storage = await openStorage({ ...db.options, clock });
  const fake = options.fake ?? (await FakeArm.start());
  const logs: string[] = [];
  const log = { info: () => {}, warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const config = readConfig({
    ...azureEnv(fake),
    WINFIX_POLL_SECONDS: '15',
    WINFIX_TEAMS_TECHNICIANS: `${KENJI.directoryId},${YUKI.directoryId}`,
    ...options.env,
  });
  const wiring = await wireRemote(config, storage, knowledge.kb, log, {
    executorDeps: {
      credential: new FakeCredential(clock),
      clock,
      sleep: async () => {},
      random: () => 0.5,
      requestTimeoutMs: 500,
      maxAttempts: 3,
    },
    ...(options.executor ? { executor: options.executor } : {}),
  });
  const notifier = new RecordingNotifier();
  wiring.notifier.register('teams', notifier);
  const bot = createBot({ knowledge, store: storage.conversations, remote: wiring.runs, clock });
  wiring.attach(bot);
  const chat = new ChatDriver(bot, 'conv-aiko', AIKO, 'teams');
  return {
    clock,
    db,
    storage,
    fake,
    wiring,
    notifier,
    bot,
    chat,
    logs,
    async press(who, action, fields, conversationId = TECHNICIANS) {
      const replies = await bot.handle({
        kind: 'action',
        platform: 'teams',
        conversationId,
        user: who,
        action: action as never,
        cardId: null,
        ...(fields ? { fields } : {}),
      });
      return replies.map((m) => ('text' in m ? m.text : m.kind)).join('\n');
    },
    async sweep() {
      clock.advance(61_000);
      return wiring.sweeper.sweepOnce();
    },
    async poll() {
      await wiring.poller.pollOnce();
      clock.advance(15_000);
    },
    async close() {
      await wiring.stop();
      // A test may have closed it already (a process that "died").
      await storage.close().catch(() => {});
      if (!options.fake) await fake.close();
      if (!options.db) await db.drop();
    },
  };
}

export const enrollAiko = (storage: Storage, computers = [['PC-0042', 'hrw-pc-0042']]) =>
  Promise.all(
    computers.map(([computerName, workerGroup]) =>
      storage.enrollments.enroll({
        platform: 'teams',
        userId: AIKO.directoryId,
        computerName: computerName as string,
        workerGroup: workerGroup as string,
        by: 'test',
      }),
    ),
  );

/**
 * Aiko reaches the diagnostics step and asks IT to run it: a code the KB does not describe gets the
 * generic Windows Update plan (sync-clock, check-activation, check-network, then check-disk-space,
 * bound to Get-UpdateHealth with no parameters).
 */
export async function requestDiagnostics(chat: ChatDriver): Promise<void> {
  await chat.say('Windows Update fails with 0x8007045b on Windows 11 23H2');
  for (let i = 0; i < 3; i++) await chat.press("Didn't help");
  assert.equal(chat.step().stepId, 'check-disk-space');
  await chat.press('Run it for me');
}
