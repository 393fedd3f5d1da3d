/**
 * Tickets on hand-off in `winfix serve` (WINFIX_TICKETS): the configured ticket system (ServiceNow or
 * the signed webhook) and the outbox worker that sends what hand-offs wrote, on every instance. The
 * employee hears the number through their platform's notifier; failures reach the technicians' channel
 * the same way. Needs durable storage (config-check refuses WINFIX_STORAGE=memory with tickets).
 */
import type { TicketRemoteRun, TicketSystem } from '../bot';
import { createTranslator } from '../bot/i18n/translator';
import type { Storage } from '../connectors/storage';
import {
  createTicketSystem,
  type TicketNotifier,
  TicketOutbox,
  type TicketOutboxOptions,
} from '../connectors/tickets';
import type { FetchLike } from '../connectors/tickets/http';
import type { Config } from './config';

/** Test hooks: the HTTP client, faster rounds and backoff, a fixed jitter, pruning rounds. */
export interface TicketWiringOptions
  extends Partial<
    Pick<
      TicketOutboxOptions,
      | 'intervalMs'
      | 'leaseMs'
      | 'maxAttempts'
      | 'backoff'
      | 'random'
      | 'noteWaitMs'
      | 'owner'
      | 'pruneEveryMs'
      | 'pruneLimit'
    >
  > {
  fetch?: FetchLike;
}

export interface TicketWiring {
  system: TicketSystem;
  outbox: TicketOutbox;
}

/** The conversation's remote runs requested since `since` (newest first), for the ticket. */
async function remoteRuns(
  storage: Storage,
  conversationKey: string,
  since: string,
): Promise<TicketRemoteRun[]> {
  const approvals = (await storage.approvals.forConversation(conversationKey)).filter(
    (a) => a.requestedAt >= since,
  );
  const runs: TicketRemoteRun[] = [];
  for (const a of approvals) {
    const job = await storage.jobs.forApproval(a.id);
    runs.push({
      requestId: a.id,
      runbook: a.runbook,
      computer: a.computerName,
      status: a.status,
      jobStatus: job?.status ?? null,
      requestedAt: a.requestedAt,
    });
  }
  return runs;
}

export function wireTickets(
  config: Config,
  storage: Storage,
  notifier: TicketNotifier,
  log: TicketOutboxOptions['log'],
  options: TicketWiringOptions = {},
): TicketWiring | null {
  const { fetch, ...outboxOptions } = options;
  const system = createTicketSystem(config.tickets, { clock: storage.clock, ...(fetch ? { fetch } : {}) });
  if (!system) return null;
  const outbox = new TicketOutbox({
    jobs: storage.tickets,
    system,
    notifier,
    audit: (entry) => storage.audit.append(entry),
    remoteRuns: (key, since) => remoteRuns(storage, key, since),
    translator: createTranslator(),
    technicianLocale: config.remote.technicianLocale,
    clock: storage.clock,
    log,
    retentionDays: config.tickets.retentionDays,
    ...outboxOptions,
  });
  return { system, outbox };
}
