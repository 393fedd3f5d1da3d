/**
 * The executor: starts a runbook job on one PC's Hybrid Runbook Worker group and follows it. Two
 * implementations: `AzureAutomationExecutor` (ARM REST) and `DryRunExecutor` (the embedded default,
 * runs nothing). A pure client: it stores nothing; the caller chooses and stores the job name first.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  AutomationInvalidRequestError,
  AutomationJobNotFoundError,
  AutomationThrottledError,
  AutomationUnavailableError,
} from './errors';
import { parseRunbookOutput, type RunbookSummary } from './runbook-output';

/** Azure Automation's job statuses (an open enum: other values may appear and mean "not finished"). */
export const JOB_STATUSES = [
  'New',
  'Activating',
  'Running',
  'Completed',
  'Failed',
  'Stopped',
  'Blocked',
  'Suspended',
  'Disconnected',
  'Suspending',
  'Stopping',
  'Resuming',
  'Removing',
] as const;

/**
 * Statuses after which there is something to report and nothing more to wait for. Suspended is counted
 * here (a suspended job waits for a person to resume it; the employee should hear so now).
 */
export const FINISHED_STATUSES = ['Completed', 'Failed', 'Stopped', 'Suspended'] as const;

/** True for Completed, Failed, Stopped, Suspended; any other value, known or not, is "not finished". */
export function isFinished(status: string): boolean {
  return (FINISHED_STATUSES as readonly string[]).includes(status);
}

export interface StartRequest {
  /** A GUID the caller chose and stored before calling: the job's name, and what makes retries safe. */
  jobName: string;
  /** The published runbook's name (rules/kb/runbooks.json). */
  runbook: string;
  /** Runbook parameters, as strings. */
  parameters: Record<string, string>;
  /** The PC's own Hybrid Runbook Worker group (never empty: an empty runOn means an Azure sandbox). */
  runOn: string;
}

export interface JobSnapshot {
  jobName: string;
  /** Azure's job id (a GUID, not the name), once known. */
  jobId: string | null;
  runbook: string | null;
  runOn: string | null;
  /** As Azure reports it; see JOB_STATUSES. */
  status: string;
  statusDetails: string | null;
  provisioningState: string | null;
  creationTime: string | null;
  startTime: string | null;
  endTime: string | null;
  lastModifiedTime: string | null;
  lastStatusModifiedTime: string | null;
  /** Why a job failed or was suspended, as Azure words it. */
  exception: string | null;
  /** isFinished(status). */
  finished: boolean;
  /** True when nothing ran: the dry-run executor made this up. Say so in every message. */
  dryRun: boolean;
}

export interface StartResult {
  jobName: string;
  status: string;
  /** "create": this call's create was answered; "read-back": the job was found existing (a retry). */
  confirmedBy: 'create' | 'read-back';
  dryRun: boolean;
  snapshot: JobSnapshot;
}

/** One entry of a job's streams (Output, Verbose, Warning, Error, Progress, Debug …). */
export interface StreamRecord {
  id: string;
  type: string;
  time: string | null;
  summary: string | null;
  /** The full text (the list call gives summaries only; null then). */
  text: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface FollowOptions {
  /** Called with the first snapshot and whenever the status changes. An error thrown here ends follow. */
  onStatus?: (snapshot: JobSnapshot) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface FollowResult {
  jobName: string;
  status: string;
  snapshot: JobSnapshot;
  /** The job's output text; null when it could not be fetched (see outputError). */
  output: string | null;
  outputError: string | null;
  /** The runbook's JSON result; null when the output has none (failed early, garbage, not fetched). */
  summary: RunbookSummary | null;
  /** Completed and the runbook said ok: true. */
  succeeded: boolean;
  dryRun: boolean;
}

export interface Executor {
  readonly kind: 'azure' | 'dry-run';
  /** True when nothing ever runs (every status and result says dryRun: true). */
  readonly dryRun: boolean;
  /** How long follow() waits between polls; a poller that stores jobs can use it for its next poll. */
  readonly pollIntervalMs: number;
  /** Creates the job once; a repeat with the same jobName finds it instead of creating another. */
  start(request: StartRequest, options?: CallOptions): Promise<StartResult>;
  /** The job, or null when no job has that name. */
  get(jobName: string, options?: CallOptions): Promise<JobSnapshot | null>;
  /** The job's output (text/plain). */
  output(jobName: string, options?: CallOptions): Promise<string>;
  streams(jobName: string, options?: CallOptions): Promise<StreamRecord[]>;
  stop(jobName: string, options?: CallOptions): Promise<void>;
  /** Polls until a finished status, then reads the output and the runbook's result. */
  follow(jobName: string, options?: FollowOptions): Promise<FollowResult>;
}

/** Waits; rejects with the signal's reason when it is aborted. Injected so tests do not wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RUNBOOK_NAME = /^[A-Za-z][-\w]{0,62}$/;

/** Refuses a request no executor should send; both implementations call it first. */
export function checkStartRequest(request: StartRequest): void {
  const problems: string[] = [];
  if (!GUID.test(request.jobName)) problems.push(`jobName must be a GUID (got "${request.jobName}")`);
  if (!RUNBOOK_NAME.test(request.runbook))
    problems.push(`runbook "${request.runbook}" is not a runbook name`);
  if (!request.runOn?.trim())
    problems.push(
      'runOn must name the PC’s Hybrid Runbook Worker group (empty would run in an Azure sandbox)',
    );
  for (const [name, value] of Object.entries(request.parameters ?? {}))
    if (typeof value !== 'string') problems.push(`parameter ${name} must be a string`);
  if (problems.length)
    throw new AutomationInvalidRequestError(`cannot start the job: ${problems.join('; ')}`);
}

export interface FollowTiming {
  pollIntervalMs: number;
  sleep: Sleep;
  /** Consecutive "no such job" answers tolerated (ARM can lag just after a create). Default 3. */
  maxMissing?: number;
  /** Consecutive polls that fail (after the executor's own retries) tolerated. Default 3. */
  maxFailedPolls?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What both executors' follow() do. */
export async function followJob(
  executor: Executor,
  jobName: string,
  options: FollowOptions,
  timing: FollowTiming,
): Promise<FollowResult> {
  const { signal, onStatus } = options;
  const maxMissing = timing.maxMissing ?? 3;
  const maxFailed = timing.maxFailedPolls ?? 3;
  let lastStatus: string | null = null;
  let missing = 0;
  let failed = 0;
  for (;;) {
    signal?.throwIfAborted();
    let snapshot: JobSnapshot | null = null;
    let wait = timing.pollIntervalMs;
    try {
      snapshot = await executor.get(jobName, { signal });
      failed = 0;
    } catch (error) {
      signal?.throwIfAborted();
      // ARM kept failing or throttles for long: wait a poll (or what ARM asked), then ask again.
      const transient =
        error instanceof AutomationUnavailableError || error instanceof AutomationThrottledError;
      if (!transient || ++failed >= maxFailed) throw error;
      if (error instanceof AutomationThrottledError) wait = Math.max(wait, error.retryAfterMs);
    }
    if (snapshot) {
      missing = 0;
      if (snapshot.status !== lastStatus) {
        lastStatus = snapshot.status;
        await onStatus?.(snapshot);
      }
      if (snapshot.finished) return finish(executor, snapshot, signal);
    } else if (failed === 0 && ++missing >= maxMissing) {
      throw new AutomationJobNotFoundError(`job ${jobName} does not exist (asked ${missing} times)`);
    }
    await timing.sleep(wait, signal);
  }
}

async function finish(
  executor: Executor,
  snapshot: JobSnapshot,
  signal?: AbortSignal,
): Promise<FollowResult> {
  let output: string | null = null;
  let outputError: string | null = null;
  try {
    output = await executor.output(snapshot.jobName, { signal });
  } catch (error) {
    signal?.throwIfAborted();
    outputError = message(error);
  }
  const summary = parseRunbookOutput(output);
  return {
    jobName: snapshot.jobName,
    status: snapshot.status,
    snapshot,
    output,
    outputError,
    summary,
    succeeded: snapshot.status === 'Completed' && summary?.ok === true,
    dryRun: executor.dryRun,
  };
}
