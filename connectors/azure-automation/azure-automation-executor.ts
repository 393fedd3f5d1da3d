/**
 * Runs runbook jobs through Azure Automation's ARM REST API, api-version 2024-10-23 (job.json in
 * shared/specs): PUT …/jobs/{jobName} to create, GET to read, GET …/output and …/streams, POST …/stop.
 *
 * Creating a job is not idempotent (a second PUT with the same name is refused, and a lost answer does
 * not say whether the job exists). So the caller picks the job name (a GUID) and stores it first, and
 * `start` reads the job by name before any PUT that is not the very first, after any answer whose
 * outcome is unknown (timeout, dropped connection, 5xx), and after an "already exists" answer.
 */
import type { TokenCredential } from '@azure/identity';
import type { AxiosInstance } from 'axios';
import { type Clock, systemClock } from '../../bot';
import { ArmClient, type ArmRetryOptions, type Outcome } from './arm-client';
import { AutomationJobConflictError, AutomationJobNotFoundError, AutomationUnavailableError } from './errors';
import {
  type CallOptions,
  checkStartRequest,
  type Executor,
  type FollowOptions,
  type FollowResult,
  followJob,
  isFinished,
  type JobSnapshot,
  realSleep,
  type Sleep,
  type StartRequest,
  type StartResult,
  type StreamRecord,
} from './executor';
import { DEFAULT_ARM_ENDPOINT_URL, DEFAULT_POLL_SECONDS } from './settings';

export const API_VERSION = '2024-10-23';
export const DEFAULT_POLL_MS = DEFAULT_POLL_SECONDS * 1000;

export interface AzureAutomationExecutorOptions extends ArmRetryOptions {
  subscriptionId: string;
  resourceGroup: string;
  automationAccount: string;
  /** Default https://management.azure.com. */
  armEndpoint?: string;
  credential: TokenCredential;
  /** Between polls in follow() (default 20 s; the settings allow 15–30 s, tests pass a few ms). */
  pollIntervalMs?: number;
  http?: AxiosInstance;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Retries and waits, one line each (never a token). */
  log?: (message: string) => void;
  /** Pages of streams read at most (default 20). */
  maxStreamPages?: number;
}

type Obj = Record<string, unknown>;
type Response = Extract<Outcome, { kind: 'response' }>;

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;

/** ARM 404 codes that mean the account (not the job) is missing: an error, not "no such job". */
const PARENT_MISSING =
  /^(ResourceGroupNotFound|ParentResourceNotFound|SubscriptionNotFound|InvalidSubscriptionId)$/i;

export class AzureAutomationExecutor implements Executor {
  readonly kind = 'azure' as const;
  readonly dryRun = false;
  readonly pollIntervalMs: number;
  private readonly arm: ArmClient;
  private readonly base: string;
  private readonly sleep: Sleep;
  private readonly maxStreamPages: number;

  constructor(options: AzureAutomationExecutorOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.maxStreamPages = options.maxStreamPages ?? 20;
    this.arm = new ArmClient({
      ...options,
      endpoint: options.armEndpoint ?? DEFAULT_ARM_ENDPOINT_URL,
      clock: options.clock ?? systemClock,
      sleep: this.sleep,
    });
    const e = encodeURIComponent;
    this.base =
      `/subscriptions/${e(options.subscriptionId)}/resourceGroups/${e(options.resourceGroup)}` +
      `/providers/Microsoft.Automation/automationAccounts/${e(options.automationAccount)}/jobs`;
  }

  private path(jobName: string, suffix = ''): string {
    return `${this.base}/${encodeURIComponent(jobName)}${suffix}?api-version=${API_VERSION}`;
  }

  private snapshot(jobName: string, body: unknown): JobSnapshot | null {
    if (typeof obj(body).properties !== 'object') return null;
    const p = obj(obj(body).properties);
    // An open enum: a missing or new value is simply "not finished".
    const status = strOrNull(p.status) || 'Unknown';
    return {
      jobName,
      jobId: strOrNull(p.jobId),
      runbook: strOrNull(obj(p.runbook).name),
      runOn: strOrNull(p.runOn),
      status,
      statusDetails: strOrNull(p.statusDetails),
      provisioningState: strOrNull(p.provisioningState),
      creationTime: strOrNull(p.creationTime),
      startTime: strOrNull(p.startTime),
      endTime: strOrNull(p.endTime),
      lastModifiedTime: strOrNull(p.lastModifiedTime),
      lastStatusModifiedTime: strOrNull(p.lastStatusModifiedTime),
      exception: strOrNull(p.exception),
      finished: isFinished(status),
      dryRun: false,
    };
  }

  private notFound(response: Response, what: string): boolean {
    if (response.status !== 404) return false;
    const error = this.arm.failure(response, what);
    if (error.armCode && PARENT_MISSING.test(error.armCode)) throw error;
    return true;
  }

  private ok(response: Response, what: string, jobName: string): Response {
    if (response.status >= 200 && response.status < 300) return response;
    if (this.notFound(response, what))
      throw new AutomationJobNotFoundError(`${what}: no job named ${jobName} in the automation account`);
    throw this.arm.failure(response, what);
  }

  async get(jobName: string, options: CallOptions = {}): Promise<JobSnapshot | null> {
    const what = `GET job ${jobName}`;
    const response = await this.arm.call({ method: 'GET', path: this.path(jobName), what, ...options });
    if (this.notFound(response, what)) return null;
    this.ok(response, what, jobName);
    const snapshot = this.snapshot(jobName, response.body);
    if (!snapshot) throw this.arm.failure({ ...response, body: { message: 'unreadable job' } }, what);
    return snapshot;
  }

  /** The existing job as the answer to `request`; a job of another runbook or group is a conflict. */
  private readBack(request: StartRequest, existing: JobSnapshot): StartResult {
    const mismatch =
      (existing.runbook && !same(existing.runbook, request.runbook)) ||
      (existing.runOn !== null && !same(existing.runOn, request.runOn));
    if (mismatch)
      throw new AutomationJobConflictError(
        `job ${request.jobName} exists for runbook ${existing.runbook ?? '?'} on ${existing.runOn ?? '?'}, ` +
          `not ${request.runbook} on ${request.runOn}: choose a new job name`,
      );
    return {
      jobName: request.jobName,
      status: existing.status,
      confirmedBy: 'read-back',
      dryRun: false,
      snapshot: existing,
    };
  }

  /** GET after an unknown outcome; if even that fails, say that starting again (same name) is the way on. */
  private async lookBeforeRetry(jobName: string, options: CallOptions): Promise<JobSnapshot | null> {
    try {
      return await this.get(jobName, options);
    } catch (error) {
      if (!(error instanceof AutomationUnavailableError)) throw error;
      throw new AutomationUnavailableError(
        `could not tell whether job ${jobName} was created (${error.message}); ` +
          'call start again later with the same job name: it looks before it creates',
      );
    }
  }

  async start(request: StartRequest, options: CallOptions = {}): Promise<StartResult> {
    checkStartRequest(request);
    const { jobName } = request;
    const what = `PUT job ${jobName} (${request.runbook} on ${request.runOn})`;
    const body = {
      properties: {
        runbook: { name: request.runbook },
        parameters: { ...request.parameters },
        runOn: request.runOn,
      },
    };
    let last = '';
    for (let attempt = 1; attempt <= this.arm.maxAttempts; attempt++) {
      if (attempt > 1) {
        // Any retry: an earlier PUT may have created the job though its answer never came.
        const existing = await this.lookBeforeRetry(jobName, options);
        if (existing) return this.readBack(request, existing);
      }
      const outcome = await this.arm.attempt({
        method: 'PUT',
        path: this.path(jobName),
        body,
        what,
        ...options,
      });
      if (outcome.kind === 'response') {
        if (outcome.status === 200 || outcome.status === 201) {
          const snapshot = this.snapshot(jobName, outcome.body) ?? (await this.get(jobName, options));
          if (snapshot)
            return { jobName, status: snapshot.status, confirmedBy: 'create', dryRun: false, snapshot };
        } else if (outcome.status === 409 || outcome.status === 400) {
          // "Already exists" (or a refusal that might mean it): the job answers for itself.
          const existing = await this.get(jobName, options);
          if (existing) return this.readBack(request, existing);
          throw this.arm.failure(outcome, what);
        }
      }
      last = this.arm.describe(outcome, what);
      const ms = this.arm.retryDelay(outcome, attempt, what);
      if (ms === null && outcome.kind === 'response') {
        if (outcome.status >= 200 && outcome.status < 300) continue; // created but unreadable: read it back
        throw this.arm.failure(outcome, what);
      }
      if (attempt < this.arm.maxAttempts) await this.arm.wait(ms ?? 0, last, options.signal);
    }
    // The last PUT's outcome may be unknown too: one more look before giving up.
    const existing = await this.lookBeforeRetry(jobName, options);
    if (existing) return this.readBack(request, existing);
    throw new AutomationUnavailableError(
      `${last}; gave up after ${this.arm.maxAttempts} attempts. The job does not exist: it is safe to start it again with the same name`,
    );
  }

  async output(jobName: string, options: CallOptions = {}): Promise<string> {
    const what = `GET output of job ${jobName}`;
    const path = this.path(jobName, '/output');
    const response = await this.arm.call({ method: 'GET', path, accept: 'text', what, ...options });
    return this.ok(response, what, jobName).text;
  }

  async streams(jobName: string, options: CallOptions = {}): Promise<StreamRecord[]> {
    const what = `GET streams of job ${jobName}`;
    const records: StreamRecord[] = [];
    const origin = new URL(this.arm.endpoint).origin;
    let path: string | null = this.path(jobName, '/streams');
    for (let page = 0; path && page < this.maxStreamPages; page++) {
      const response = this.ok(await this.arm.call({ method: 'GET', path, what, ...options }), what, jobName);
      const body = obj(response.body);
      for (const item of Array.isArray(body.value) ? body.value : []) {
        const p = obj(obj(item).properties);
        records.push({
          id: strOrNull(p.jobStreamId) ?? strOrNull(obj(item).id) ?? '',
          type: strOrNull(p.streamType) ?? 'Any',
          time: strOrNull(p.time),
          summary: strOrNull(p.summary),
          text: strOrNull(p.streamText),
        });
      }
      const next = strOrNull(body.nextLink);
      // Never send the token to another host than ARM's.
      path = next && new URL(next, origin).origin === origin ? new URL(next, origin).href : null;
    }
    return records;
  }

  async stop(jobName: string, options: CallOptions = {}): Promise<void> {
    const what = `POST stop job ${jobName}`;
    const path = this.path(jobName, '/stop');
    this.ok(await this.arm.call({ method: 'POST', path, what, ...options }), what, jobName);
  }

  follow(jobName: string, options: FollowOptions = {}): Promise<FollowResult> {
    return followJob(this, jobName, options, { pollIntervalMs: this.pollIntervalMs, sleep: this.sleep });
  }
}
