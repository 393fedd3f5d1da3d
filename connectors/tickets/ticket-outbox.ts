/**
 * Sends the ticket outbox (connectors/storage/ticket-jobs.ts): every instance runs rounds (at start-up,
 * then every few seconds), claims due jobs with a lease and sends each to the ticket system with its
 * idempotency key. Then the employee hears the number (a `ticket` system event through the bot, in
 * their language; messages the platform refuses go to the technicians instead).
 *
 * A failed try is retried with exponential backoff (capped, with jitter). After `maxAttempts`, or at
 * once when the system refuses for good (a 4xx), the job is given up: the audit log records it and the
 * technicians' channel gets the reason and the whole hand-off summary, so that no ticket is lost.
 * A note waits while its case's ticket is still being opened; when that open was given up, the note
 * opens the case's ticket itself.
 *
 * Finished jobs (sent or given up) are deleted once `retentionDays` have passed since they finished, in
 * rounds of their own (hourly, a bounded batch each; decision 0037). The case's ticket stays in
 * `case_tickets`, so a later hand-off of the case still adds its note to that ticket.
 */
import type { Bot } from '../../bot/bot';
import type { Clock } from '../../bot/clock';
import type { Translator } from '../../bot/i18n/translator';
import type { OutgoingMessage } from '../../bot/messages';
import { Rounds } from '../../bot/rounds';
import type { TicketRef, TicketRemoteRun, TicketSystem } from '../../bot/tickets-port';
import type { Locale } from '../../rules/vocabulary';
import type { TicketJob, TicketJobs } from '../storage/ticket-jobs';
import { TicketSystemError } from './errors';
import { DEFAULT_TICKET_RETENTION_DAYS } from './settings';

export interface TicketOutboxLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Where the employee and the technicians are reached (the remote runs' PlatformNotifier). */
export interface TicketNotifier {
  toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void>;
  toTechnicians(platform: string, subject: string, text: string): Promise<void>;
}

export interface TicketOutboxOptions {
  jobs: TicketJobs;
  system: TicketSystem;
  notifier: TicketNotifier;
  /** Appends an audit entry (storage.audit). */
  audit: (entry: {
    actor: string;
    action: string;
    subject: string;
    targetUser: string;
    data: Record<string, unknown>;
  }) => Promise<void>;
  /** The conversation's remote runs since a time (runs/ in storage); default none. */
  remoteRuns?: (conversationKey: string, since: string) => Promise<TicketRemoteRun[]>;
  translator: Translator;
  technicianLocale: Locale;
  clock: Clock;
  log: TicketOutboxLog;
  /** This process's name in leases (default: pid and a random suffix). */
  owner?: string;
  /** Between rounds (default 5 s). */
  intervalMs?: number;
  /** How long a claim holds (default 2 min: longer than a request's timeout). */
  leaseMs?: number;
  /** Tries before a job is given up (default 8). */
  maxAttempts?: number;
  /** Backoff: base × 2^(tries − 1), at most `capMs`, times a jitter in [0.5, 1) (default 5 s, 15 min). */
  backoff?: { baseMs: number; capMs: number };
  /** Default Math.random (the jitter). */
  random?: () => number;
  /** A note whose ticket is still being opened waits this long (default 5 s). */
  noteWaitMs?: number;
  /** Finished jobs are deleted this many days after they finished (default 30; WINFIX_TICKET_RETENTION_DAYS). */
  retentionDays?: number;
  /** Between pruning rounds (default 1 hour). */
  pruneEveryMs?: number;
  /** Finished jobs deleted per pruning round at most (default 500). */
  pruneLimit?: number;
}

export interface OutboxRound {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
  told: number;
}

const DAY_MS = 86_400_000;

const splitKey = (key: string): [string, string] => {
  const at = key.indexOf(':');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
};

export class TicketOutbox {
  readonly owner: string;
  private bot: Pick<Bot, 'handle'> | null = null;
  private readonly rounds: Rounds;
  private readonly pruneRounds: Rounds;

  constructor(private readonly options: TicketOutboxOptions) {
    this.owner = options.owner ?? `pid${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.rounds = new Rounds(
      () => this.runOnce(),
      this.options.intervalMs ?? 5_000,
      (error) => this.options.log.error(`ticket outbox round failed: ${error.message}`),
    );
    this.pruneRounds = new Rounds(
      () => this.pruneOnce(),
      this.options.pruneEveryMs ?? 60 * 60_000,
      (error) => this.options.log.error(`ticket outbox pruning failed: ${error.message}`),
    );
  }

  /** The bot that turns a `ticket` event into the employee's words. */
  attach(bot: Pick<Bot, 'handle'>): void {
    this.bot = bot;
  }

  private t(key: Parameters<Translator['t']>[1], vars?: Record<string, string | number>): string {
    return this.options.translator.t(this.options.technicianLocale, key, vars);
  }

  /** The wait before try `attempts + 1`. */
  backoffMs(attempts: number): number {
    const { baseMs, capMs } = this.options.backoff ?? { baseMs: 5_000, capMs: 15 * 60_000 };
    const plain = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(plain * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
  }

  /** One round: send what is due, then tell employees a crashed sender left untold. */
  async runOnce(): Promise<OutboxRound> {
    const o = this.options;
    const round: OutboxRound = { sent: 0, retried: 0, failed: 0, deferred: 0, told: 0 };
    const claimed = await o.jobs.claimDue(this.owner, 10, o.leaseMs ?? 120_000);
    for (const job of claimed) await this.process(job, round);
    const stale = new Date(o.clock.now().getTime() - (o.leaseMs ?? 120_000));
    for (const job of await o.jobs.untold(stale)) {
      const ticket = await o.jobs.caseTicket(job.caseId);
      if (ticket && (await this.tell(job, ticket.ref, job.kind === 'open'))) round.told++;
    }
    return round;
  }

  /** One pruning round: deletes up to `pruneLimit` jobs finished before the retention period; how many. */
  async pruneOnce(): Promise<number> {
    const o = this.options;
    const days = o.retentionDays ?? DEFAULT_TICKET_RETENTION_DAYS;
    const before = new Date(o.clock.now().getTime() - days * DAY_MS);
    const deleted = await o.jobs.prune(before, o.pruneLimit ?? 500);
    if (deleted > 0)
      o.log.info(`ticket outbox: deleted ${deleted} finished job(s) older than ${days} day(s)`);
    return deleted;
  }

  private async process(job: TicketJob, round: OutboxRound): Promise<void> {
    const o = this.options;
    try {
      const ticket = { ...job.ticket, remoteRuns: await this.runsOf(job) };
      if (ticket.remoteRuns.length > 0)
        ticket.summary = `${ticket.summary}\n\n${this.runsText(ticket.remoteRuns)}`;
      const existing = job.kind === 'note' ? await o.jobs.caseTicket(job.caseId) : null;
      if (job.kind === 'note' && !existing && (await o.jobs.openStatus(job.caseId)) === 'pending') {
        await o.jobs.defer(job.id, this.owner, new Date(o.clock.now().getTime() + (o.noteWaitMs ?? 5_000)));
        round.deferred++;
        return;
      }
      // A note whose ticket never opened (that job was given up) opens the case's ticket itself.
      const opened = !existing;
      let ref: TicketRef;
      if (existing) {
        ref = existing.ref;
        await o.system.addNote(ref, ticket, job.id);
      } else ref = await o.system.open(ticket, job.id);
      if (!(await o.jobs.sent(job, this.owner, ref, opened))) {
        o.log.warn(`ticket job ${job.id}: sent, but another instance had taken it over meanwhile`);
        return;
      }
      round.sent++;
      o.log.info(`ticket job ${job.id}: ${opened ? 'opened' : 'noted'} ${ref.number} (${o.system.kind})`);
      // The receipt is recorded; the employee is told (a crash here leaves it to the untold sweep).
      if (await this.tell(job, ref, opened)) round.told++;
    } catch (error) {
      await this.failed(job, error, round);
    }
  }

  private async failed(job: TicketJob, error: unknown, round: OutboxRound): Promise<void> {
    const o = this.options;
    const message = (error as Error)?.message ?? String(error);
    const permanent = error instanceof TicketSystemError && error.permanent;
    const max = o.maxAttempts ?? 8;
    if (!permanent && job.attempts < max) {
      const wait = this.backoffMs(job.attempts);
      await o.jobs.retry(job.id, this.owner, message, new Date(o.clock.now().getTime() + wait));
      o.log.warn(
        `ticket job ${job.id}: try ${job.attempts} of ${max} failed, again in ${wait} ms: ${message}`,
      );
      round.retried++;
      return;
    }
    if (!(await o.jobs.giveUp(job, this.owner, message))) return;
    round.failed++;
    o.log.error(`ticket job ${job.id}: given up after ${job.attempts} tries: ${message}`);
    const t = job.ticket;
    const text = this.t('ticket.failed', {
      name: t.caller.name ?? t.caller.userId,
      what: t.code ?? this.t('ticket.no-code'),
      action: this.t(job.kind === 'open' ? 'ticket.failed.open' : 'ticket.failed.note'),
      system: o.system.kind,
      attempts: job.attempts,
      error: message.slice(0, 300),
    });
    try {
      await o.notifier.toTechnicians(
        splitKey(job.conversationKey)[0],
        `ticket:${job.caseId}`,
        `${text}\n\n${t.summary}`,
      );
    } catch (notifyError) {
      o.log.error(`ticket job ${job.id}: the technicians were not told: ${(notifyError as Error).message}`);
    }
  }

  /** Tells the employee the number through the bot; true when they were told (or had been). */
  private async tell(job: TicketJob, ref: TicketRef, opened: boolean): Promise<boolean> {
    const o = this.options;
    if (!this.bot) return false;
    const [platform, conversationId] = splitKey(job.conversationKey);
    let messages: OutgoingMessage[];
    try {
      messages = await this.bot.handle({
        kind: 'system',
        platform,
        conversationId,
        user: { id: job.ticket.caller.userId },
        event: {
          type: 'ticket',
          caseId: job.caseId,
          stage: opened ? 'opened' : 'noted',
          handoff: job.ticket.handoff,
          number: ref.number,
          url: ref.url,
        },
      });
    } catch (error) {
      // Left untold: the next rounds try again.
      o.log.error(
        `ticket job ${job.id}: the employee's conversation could not take the number: ${(error as Error).message}`,
      );
      return false;
    }
    try {
      if (messages.length > 0) await o.notifier.toConversation(job.conversationKey, messages);
    } catch (error) {
      await this.notifyFailed(job, ref, error);
    }
    await o.jobs.markTold(job.id);
    return true;
  }

  private async notifyFailed(job: TicketJob, ref: TicketRef, error: unknown): Promise<void> {
    const o = this.options;
    const detail = String((error as Error)?.message ?? error).slice(0, 300);
    const [platform] = splitKey(job.conversationKey);
    o.log.warn(`ticket job ${job.id}: the employee was not told ${ref.number}: ${detail}`);
    try {
      await o.audit({
        actor: 'system',
        action: 'notify.failed',
        subject: job.caseId,
        targetUser: `${job.ticket.caller.platform}:${job.ticket.caller.userId}`,
        data: { platform, stage: 'ticket', number: ref.number, detail },
      });
      await o.notifier.toTechnicians(
        platform,
        `ticket:${job.caseId}`,
        this.t('ticket.notify-failed', {
          name: job.ticket.caller.name ?? job.ticket.caller.userId,
          number: ref.number,
          error: detail,
        }),
      );
    } catch (again) {
      o.log.error(`ticket job ${job.id}: the failed notice was not reported: ${(again as Error).message}`);
    }
  }

  private async runsOf(job: TicketJob): Promise<TicketRemoteRun[]> {
    if (!this.options.remoteRuns) return [];
    try {
      return await this.options.remoteRuns(job.conversationKey, job.ticket.startedAt);
    } catch (error) {
      this.options.log.warn(`ticket job ${job.id}: remote runs not listed: ${(error as Error).message}`);
      return [];
    }
  }

  private runsText(runs: TicketRemoteRun[]): string {
    return [
      `${this.t('ticket.runs')}:`,
      ...runs.map(
        (r) =>
          `- ${r.runbook} on ${r.computer}: ${r.status}${r.jobStatus ? ` / ${r.jobStatus}` : ''} (${r.requestedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.requestId})`,
      ),
    ].join('\n');
  }

  /**
   * Runs a round now and then every `intervalMs` until `stop()`, and a pruning round now and then every
   * `pruneEveryMs`; a failed round is logged.
   */
  start(): void {
    this.rounds.start();
    this.pruneRounds.start();
  }

  /** Stops after the rounds in progress. */
  async stop(): Promise<void> {
    await Promise.all([this.rounds.stop(), this.pruneRounds.stop()]);
  }
}
