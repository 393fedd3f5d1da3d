/**
 * Errors raised by the ticket connectors. Each has a stable string code (`winfix_ticket_*`). Causes are
 * kept as plain errors (code and message): never an HTTP client's object, which carries the
 * Authorization header.
 */

export abstract class WinfixTicketError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** WINFIX_TICKETS and its variables are malformed (a value that is not a URL, an unknown system). */
export class TicketConfigError extends WinfixTicketError {
  readonly code = 'winfix_ticket_config';
}

/**
 * The ticket system did not take a ticket or a note. `permanent`: retrying the same request cannot help
 * (ServiceNow's 400/401/403/404, a webhook's 4xx): the job is given up and the technicians are told at
 * once. Otherwise (5xx, 429, 408, a timeout, a dropped connection) the outbox retries with backoff.
 */
export class TicketSystemError extends WinfixTicketError {
  readonly code = 'winfix_ticket_system';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const TICKET_ERROR_CLASSES = [TicketConfigError, TicketSystemError] as const;
