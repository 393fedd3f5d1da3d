/** Errors raised by the Teams connector. Each has a stable string code (`winfix_teams_*`) and keeps its cause. */

export abstract class WinfixTeamsError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An HTTP request to /api/messages the connector cannot take (not JSON, not an activity …). */
export class TeamsBadRequestError extends WinfixTeamsError {
  readonly code = 'winfix_teams_bad_request';
  constructor(
    message: string,
    /** The HTTP status to answer with (400, 413, 415). */
    readonly status: 400 | 413 | 415 = 400,
  ) {
    super(message);
  }
}

/**
 * An activity whose `serviceUrl` (where replies are POSTed) is not allowed: not a Bot Framework or
 * Teams channel host, not in WINFIX_TEAMS_SERVICE_URLS, or (with an app id) not the one in the caller's
 * token. Answered 403; nothing is sent to that URL.
 */
export class TeamsServiceUrlRefusedError extends WinfixTeamsError {
  readonly code = 'winfix_teams_service_url_refused';
  readonly status = 403;
}

/** A proactive message for a conversation the bot has never seen (no stored conversation reference). */
export class TeamsNoReferenceError extends WinfixTeamsError {
  readonly code = 'winfix_teams_no_reference';
  constructor(readonly conversationId: string) {
    super(`no conversation reference stored for Teams conversation ${conversationId}`);
  }
}

/**
 * The channel answered 403 or 404: the bot was removed from the conversation (or the conversation is
 * gone). Retrying will not help; the caller should tell someone and stop messaging this conversation.
 */
export class TeamsConversationGoneError extends WinfixTeamsError {
  readonly code = 'winfix_teams_conversation_gone';
  constructor(
    readonly conversationId: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Teams answered ${status} for conversation ${conversationId}: the bot is no longer in that conversation`,
      options,
    );
  }
}

/** Sending to the channel failed for another reason (network, 5xx, throttling, a token problem). */
export class TeamsDeliveryError extends WinfixTeamsError {
  readonly code = 'winfix_teams_delivery_failed';
  constructor(
    readonly conversationId: string,
    /** The HTTP status from the channel, or null when no response came. */
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      `sending to Teams conversation ${conversationId} failed${status ? ` with HTTP ${status}` : ''}: ${
        (options?.cause as Error | undefined)?.message ?? 'unknown error'
      }`,
      options,
    );
  }
}

/**
 * Something for the technicians (an approval card, a hand-off) could not be delivered to their channel
 * (WINFIX_TEAMS_TECHNICIAN_CONVERSATION): not configured, the bot is not in the team or channel yet
 * (403/404), or the channel failed. With `queued` it is kept and posted as soon as the channel becomes
 * reachable (the bot is added to the team, or someone writes to it there); the caller should tell the
 * employee that no technician has seen it yet.
 */
export class TeamsTechniciansUnreachableError extends WinfixTeamsError {
  readonly code = 'winfix_teams_technicians_unreachable';
  constructor(
    /** The configured conversation id, or null when none is configured. */
    readonly conversationId: string | null,
    /** Kept to be posted again when the channel becomes reachable. */
    readonly queued: boolean,
    options?: { cause?: unknown },
  ) {
    super(
      conversationId
        ? `the technicians' channel ${conversationId} cannot be reached${
            options?.cause instanceof Error
              ? ` (${(options.cause as { code?: string }).code ?? options.cause.message})`
              : ''
          }${queued ? '; kept, and posted as soon as the bot is added there or someone writes to it there' : ''}`
        : "no technicians' channel is configured (WINFIX_TEAMS_TECHNICIAN_CONVERSATION)",
      options,
    );
  }
}

/** The Teams settings cannot work (anonymous mode under NODE_ENV=production, an app id without a secret …). */
export class TeamsConfigError extends WinfixTeamsError {
  readonly code = 'winfix_teams_config';
}

export const TEAMS_ERROR_CLASSES = [
  TeamsBadRequestError,
  TeamsServiceUrlRefusedError,
  TeamsNoReferenceError,
  TeamsConversationGoneError,
  TeamsDeliveryError,
  TeamsTechniciansUnreachableError,
  TeamsConfigError,
] as const;

/** The HTTP status of a failed call to the channel (the SDK's HttpError carries `status`), or null. */
export function httpStatusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** Classifies a failure to send to a conversation: 403/404 mean the bot is gone from it. */
export function deliveryError(conversationId: string, error: unknown): WinfixTeamsError {
  if (error instanceof WinfixTeamsError) return error;
  const status = httpStatusOf(error);
  if (status === 403 || status === 404)
    return new TeamsConversationGoneError(conversationId, status, { cause: error });
  return new TeamsDeliveryError(conversationId, status, { cause: error });
}
