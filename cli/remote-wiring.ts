/**
 * Composition of remote runs for `winfix serve`: the executor the config asks for (dry run by
 * default), the coordinator over the storage's repositories, a notifier that hands each platform's
 * cards and messages to that platform's connector, the job poller, and the timer runner that lets
 * unanswered approval requests lapse. Remote runs need durable storage: with WINFIX_STORAGE=memory
 * they are off and "Run it for me" is never offered.
 */
import type { ApprovalMessage, OutgoingMessage } from '../bot';
import { createExecutor, type ExecutorDependencies, runbookExecutorOf } from '../connectors/azure-automation';
import { APPROVAL_EXPIRY, type Storage, TimerRunner } from '../connectors/storage';
import type { KnowledgeBase } from '../rules/kb/load';
import {
  createRemoteRuns,
  type Delivery,
  type RemoteLog,
  type RemoteNotifier,
  type RemoteSetup,
  type RunbookExecutor,
  type SweeperOptions,
} from '../runs';
import type { Config } from './config';

/** Sends each platform's part to that platform's notifier; platforms without one are logged once each. */
export class PlatformNotifier implements RemoteNotifier {
  private readonly byPlatform = new Map<string, RemoteNotifier>();
  private readonly warned = new Set<string>();

  constructor(private readonly log: RemoteLog) {}

  register(platform: string, notifier: RemoteNotifier): void {
    this.byPlatform.set(platform, notifier);
  }

  private for(platform: string): RemoteNotifier | null {
    const notifier = this.byPlatform.get(platform) ?? null;
    if (!notifier && !this.warned.has(platform)) {
      this.warned.add(platform);
      this.log.warn(`remote runs: no connector delivers ${platform} messages; they are dropped`);
    }
    return notifier;
  }

  async postApproval(platform: string, card: ApprovalMessage): Promise<Delivery> {
    return (await this.for(platform)?.postApproval(platform, card)) ?? 'failed';
  }

  async updateApproval(platform: string, card: ApprovalMessage): Promise<void> {
    await this.for(platform)?.updateApproval(platform, card);
  }

  async toTechnicians(platform: string, requestId: string, text: string): Promise<void> {
    await this.for(platform)?.toTechnicians(platform, requestId, text);
  }

  async toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void> {
    const platform = conversationKey.slice(0, Math.max(0, conversationKey.indexOf(':')));
    await this.for(platform)?.toConversation(conversationKey, messages);
  }
}

export interface RemoteWiringOptions {
  /** Tests inject a fake credential, HTTP client, sleep; production builds them from the config. */
  executorDeps?: ExecutorDependencies;
  /**
   * Another executor in place of the configured one (runs/executor.ts): what a second platform would
   * plug in; tests use it to show remote runs need nothing Azure-specific.
   */
  executor?: RunbookExecutor;
  /** Between job-poll and timer rounds (default 1000 ms). */
  roundMs?: number;
  /** Between two polls of one job (default: the executor's). */
  pollIntervalMs?: number;
  /** The sweep of untold changes (default: every 60 s, changes older than 60 s). */
  sweep?: SweeperOptions;
  /** How long a card redraw or a message outside a turn may take (default 30 s; runs/notice-deadline.ts). */
  noticeDeadlineMs?: number;
}

export interface RemoteWiring extends RemoteSetup {
  /** The executor remote runs use (the configured one through its adapter, or the one given). */
  executor: RunbookExecutor;
  notifier: PlatformNotifier;
  timers: TimerRunner;
  /** Starts the job poller, the expiry timers and the sweep (which runs once right away). */
  start(): void;
  stop(): Promise<void>;
}

export async function wireRemote(
  config: Config,
  storage: Storage,
  kb: KnowledgeBase,
  log: RemoteLog,
  options: RemoteWiringOptions = {},
): Promise<RemoteWiring> {
  const executor =
    options.executor ??
    runbookExecutorOf(
      await createExecutor(config.executor, {
        log: (line) => log.info(line),
        ...options.executorDeps,
      }),
    );
  const notifier = new PlatformNotifier(log);
  const remote = createRemoteRuns(
    {
      approvals: storage.approvals,
      jobs: storage.jobs,
      enrollments: storage.enrollments,
      audit: storage.audit,
      executor,
      notifier,
      kb,
      clock: storage.clock,
      log,
      ...(options.noticeDeadlineMs ? { noticeDeadlineMs: options.noticeDeadlineMs } : {}),
      policy: {
        ...config.remote,
        technicianConversations: {
          teams: config.remote.teamsTechnicianConversation,
          slack: config.slack.technicianChannel,
        },
      },
    },
    { intervalMs: options.roundMs, pollIntervalMs: options.pollIntervalMs },
    options.sweep,
  );
  const timers = new TimerRunner({
    timers: storage.timers,
    handlers: {
      [APPROVAL_EXPIRY]: async (timer) => {
        const id = (timer.payload as { approvalId?: unknown } | null)?.approvalId;
        if (typeof id === 'string') await remote.runs.expire(id);
      },
    },
    clock: storage.clock,
    log: storage.log,
    badRows: storage.badRows,
    intervalMs: options.roundMs,
  });
  return {
    ...remote,
    executor,
    notifier,
    timers,
    start() {
      remote.poller.start();
      timers.start();
      remote.sweeper.start();
    },
    async stop() {
      await remote.sweeper.stop();
      await remote.poller.stop();
      await timers.stop();
    },
  };
}
