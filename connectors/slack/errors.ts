/** Errors raised by the Slack connector. Each has a stable string code (`winfix_slack_*`) and keeps its cause. */

export abstract class WinfixSlackError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The Slack settings are half there or malformed (a bot token without a way to receive events …). */
export class SlackConfigError extends WinfixSlackError {
  readonly code = 'winfix_slack_config';
}

/** A request to the events endpoint is not signed by Slack, badly signed, or outside the 5-minute window. */
export class SlackRequestVerificationError extends WinfixSlackError {
  readonly code = 'winfix_slack_request_unverified';
}

/** A button value or payload that this connector did not make (or can no longer read). */
export class SlackPayloadError extends WinfixSlackError {
  readonly code = 'winfix_slack_payload';
}

/** Sending or updating a message through the Web API failed (the cause is the Web API error). */
export class SlackDeliveryError extends WinfixSlackError {
  readonly code = 'winfix_slack_delivery';
}

/** A Web API call's failure as a SlackDeliveryError: what was tried, and Slack's error code. */
export function webApiError(what: string, error: unknown): SlackDeliveryError {
  const code = (error as { data?: { error?: string } } | null)?.data?.error;
  const detail = code ?? (error instanceof Error ? error.message : null);
  return new SlackDeliveryError(`${what} failed${detail ? `: ${detail}` : ''}`, { cause: error });
}

/** A request the events endpoint cannot take: a malformed body (400) or one over the limit (413). */
export class SlackBadRequestError extends WinfixSlackError {
  readonly code: 'winfix_slack_bad_request' | 'winfix_slack_body_too_large';
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.code = status === 413 ? 'winfix_slack_body_too_large' : 'winfix_slack_bad_request';
  }
}

export const SLACK_ERROR_CLASSES = [
  SlackConfigError,
  SlackRequestVerificationError,
  SlackPayloadError,
  SlackDeliveryError,
  SlackBadRequestError,
] as const;
