/**
 * The executor port: what remote runs need from whatever runs a runbook on a PC. Platform-neutral on
 * purpose: Azure Automation (connectors/azure-automation/, a Hybrid Runbook Worker group as the
 * target) is one executor; another (Intune remediations, a device id as the target) would be a new
 * connector with its own adapter and no change here. The poller decides on `state`, `finished` and
 * `retryable`; `status` is the executor's own word, stored and shown to technicians as it is.
 */

/** Where a job stands, in words every executor can give. */
export type RunState =
  /** Accepted, not running yet (or between two states the executor reports). */
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  /** Stopped by a person (a technician's "Stop the job"). */
  | 'stopped'
  /** Held by the executor until a person resumes it. */
  | 'suspended';

/** A job as the executor reports it. */
export interface JobView {
  /** The executor's own word for it ("Running", "Completed" in Azure Automation). */
  status: string;
  state: RunState;
  statusDetails: string | null;
  /** Why the job failed or was held, as the executor words it. */
  exception: string | null;
  /** Nothing more to wait for: there is a result to report. */
  finished: boolean;
}

/** A finished job's outcome: its status, its output and the runbook's result. */
export interface JobOutcome {
  status: string;
  output: string | null;
  outputError: string | null;
  summary: {
    ok: boolean;
    changed: boolean;
    rebootRequired: boolean;
    actions: string[];
    errors: string[];
    message: string | null;
    result: Record<string, unknown>;
  } | null;
  succeeded: boolean;
  dryRun: boolean;
  /** The job as last seen; `exception` is why the executor says it failed or was held. */
  snapshot?: { exception: string | null } | null;
}

export interface StartRequest {
  /** A GUID chosen and stored before the call: the job's name, and what makes a retried start safe. */
  jobName: string;
  runbook: string;
  parameters: Record<string, string>;
  /** The enrolled PC as the executor addresses it (stored at enrolment). */
  target: string;
}

export interface RunbookExecutor {
  /** True when nothing ever runs (every message then says so). */
  readonly dryRun: boolean;
  readonly pollIntervalMs: number;
  /** Creates the job once: a repeat with the same jobName finds it instead of creating another. */
  start(request: StartRequest): Promise<{ status: string; snapshot: JobView }>;
  /** The job, or null when none has that name (yet: a create can take a moment to show). */
  get(jobName: string): Promise<JobView | null>;
  stop(jobName: string): Promise<void>;
  /** On a finished job: reads its output and the runbook's result (one look, no waiting). */
  follow(jobName: string): Promise<JobOutcome>;
}

/**
 * Whether trying again later may help. An executor's errors say so with a boolean `retryable`
 * (false: a refused request, a conflicting job; trying again would fail the same way). Anything else
 * (a network failure, an error with no such flag) counts as retryable: the job is polled again later.
 */
export function isRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable !== false;
}
