/** Tickets on hand-off: ServiceNow (Table API) or a signed webhook, and the outbox that sends them. */
import type { Clock } from '../../bot/clock';
import type { TicketSystem } from '../../bot/tickets-port';
import { TicketConfigError } from './errors';
import type { FetchLike } from './http';
import { ServiceNowTickets } from './servicenow';
import type { TicketSettings } from './settings';
import { WebhookTickets } from './webhook';

export * from './errors';
export { correlationId, type ServiceNowOptions, ServiceNowTickets } from './servicenow';
export { isLoopback, readTicketSettings, type TicketSettings, ticketProblems } from './settings';
export {
  type OutboxRound,
  type TicketNotifier,
  TicketOutbox,
  type TicketOutboxOptions,
} from './ticket-outbox';
export { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, WebhookTickets } from './webhook';

/** The configured ticket system, or null when tickets are off. Call after `ticketProblems` found none. */
export function createTicketSystem(
  settings: TicketSettings,
  deps: { clock?: Clock; fetch?: FetchLike } = {},
): TicketSystem | null {
  const { system, servicenow: sn, webhook } = settings;
  if (!system) return null;
  if (system === 'servicenow') {
    if (!sn.instance) throw new TicketConfigError('WINFIX_SERVICENOW_INSTANCE is not set');
    const auth = sn.token
      ? ({ kind: 'bearer', token: sn.token } as const)
      : sn.user && sn.password
        ? ({ kind: 'basic', user: sn.user, password: sn.password } as const)
        : null;
    if (!auth) throw new TicketConfigError('ServiceNow credentials are not set');
    return new ServiceNowTickets({
      instance: sn.instance,
      auth,
      category: sn.category,
      assignmentGroup: sn.assignmentGroup,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }
  if (!webhook.url || !webhook.secret) throw new TicketConfigError('the ticket webhook is not configured');
  return new WebhookTickets({
    url: webhook.url,
    secret: webhook.secret,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}
