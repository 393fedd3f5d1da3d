/**
 * Errors raised by the Azure Automation executor. Each has a stable string code (`winfix_automation_*`).
 * Causes are kept, but never an HTTP client's error object: those carry the request headers, and with
 * them the bearer token. A transport failure is kept as a plain `Error` with its code and message only.
 */

export abstract class WinfixAutomationError extends Error {
  abstract readonly code: string;
  /**
   * Whether the same call may succeed later (runs/executor.ts `isRetryable`): true for outages,
   * throttling, a token that could not be had and a job not visible yet; false where a retry would be
   * refused the same way.
   */
  readonly retryable: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The executor settings are missing or malformed (WINFIX_EXECUTOR, AZURE_*, WINFIX_POLL_SECONDS). */
export class AutomationConfigError extends WinfixAutomationError {
  readonly code = 'winfix_automation_config';
  override readonly retryable = false;
}

/** A start request this executor refuses before calling anything (job name not a GUID, no worker group …). */
export class AutomationInvalidRequestError extends WinfixAutomationError {
  readonly code = 'winfix_automation_invalid_request';
  override readonly retryable = false;
}

/** No token could be had from the credential (managed identity not there, wrong client secret …). */
export class AutomationAuthError extends WinfixAutomationError {
  readonly code = 'winfix_automation_auth';
}

/** ARM answered with an error that retrying will not fix (400, 403, 404 of the account …). */
export class AutomationRequestError extends WinfixAutomationError {
  readonly code = 'winfix_automation_request';
  override readonly retryable = false;
  constructor(
    message: string,
    /** The HTTP status ARM answered with. */
    readonly status: number,
    /** ARM's error code (`BadRequest`, `AuthorizationFailed` …), when the body had one. */
    readonly armCode: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ARM or the network kept failing (5xx, timeouts, dropped connections) for every attempt allowed. */
export class AutomationUnavailableError extends WinfixAutomationError {
  readonly code = 'winfix_automation_unavailable';
}

/** ARM throttled (429) and asked for a wait longer than this executor waits inside one call. */
export class AutomationThrottledError extends WinfixAutomationError {
  readonly code = 'winfix_automation_throttled';
  constructor(
    message: string,
    /** How long ARM asked to wait, in milliseconds: schedule the next try no earlier. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The job name is unknown to the automation account (GET/stop/output of a job that does not exist). */
export class AutomationJobNotFoundError extends WinfixAutomationError {
  readonly code = 'winfix_automation_job_not_found';
}

/** A job with this name exists but is not the job asked for (another runbook or worker group). */
export class AutomationJobConflictError extends WinfixAutomationError {
  readonly code = 'winfix_automation_job_conflict';
  override readonly retryable = false;
}

export const AUTOMATION_ERROR_CLASSES = [
  AutomationConfigError,
  AutomationInvalidRequestError,
  AutomationAuthError,
  AutomationRequestError,
  AutomationUnavailableError,
  AutomationThrottledError,
  AutomationJobNotFoundError,
  AutomationJobConflictError,
] as const;
