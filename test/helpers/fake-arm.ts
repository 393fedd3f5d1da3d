/**
 * A fake Azure Resource Manager for Azure Automation jobs, on a local port: PUT/GET …/jobs/{jobName},
 * GET …/output, GET …/streams and POST …/stop. Requests are checked against the spec itself
 * (shared/specs/…/2024-10-23/job.json with common/v1/definitions.json and the ARM common types,
 * compiled with ajv): the path template, path and query parameters (api-version must be the spec's),
 * the bearer token, and the create body (JobCreateParameters, plus the fields winfix must always send:
 * properties.runbook.name, properties.parameters, properties.runOn). Every JSON body the fake answers
 * with is validated against the operation's response schema too. Departures land in `problems`.
 *
 * Scriptable: a status sequence per job (each GET shows the next), output, exception and streams;
 * queued faults (a status such as 429 with Retry-After or 500, a dropped connection before or after the
 * PUT was applied, a hang after applying); "already exists" (400 or 409) on a repeat PUT.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { armSpec, type Operation } from '../connectors/azure-automation/arm-spec';

type Json = Record<string, unknown>;

export interface JobScript {
  /** Statuses shown: the create answer shows the first, each GET the next (the last one sticks). */
  statuses?: string[];
  output?: string;
  exception?: string | null;
  /** The nextLink the stream list answers with (default null). */
  streamsNextLink?: string;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; body?: Json }
  /** The request is applied (a PUT creates the job), then the connection is dropped: outcome unknown. */
  | { kind: 'drop-after-apply' }
  /** The connection is dropped before anything is applied. */
  | { kind: 'drop' }
  /** The request is applied and never answered (the client times out). */
  | { kind: 'hang-after-apply' };

export interface FakeJob {
  name: string;
  jobId: string;
  runbook: string;
  parameters: Record<string, string>;
  runOn: string;
  created: string;
  statuses: string[];
  shown: number;
  output: string;
  exception: string | null;
}

export interface ArmRequestLog {
  method: string;
  op: string;
  jobName: string | null;
  outcome: number | 'dropped' | 'hung';
}

export interface FakeArmOptions {
  subscriptionId?: string;
  resourceGroup?: string;
  automationAccount?: string;
  /** Bearer tokens accepted (default ["fake-arm-token"]). */
  tokens?: string[];
  /** The answer to a PUT for a job name that exists (default 409). */
  alreadyExistsStatus?: 400 | 409;
}

export const DEFAULT_OUTPUT =
  'Starting\n{"runbook":"Sync-SystemClock","computer":"PC-0042","ok":true,"changed":true,"rebootRequired":false,' +
  '"actions":["w32tm /resync: the clock was resynchronised"],"errors":[]}\n';

export class FakeArm {
  readonly problems: string[] = [];
  readonly requests: ArmRequestLog[] = [];
  readonly jobs = new Map<string, FakeJob>();
  readonly tokens: Set<string>;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly automationAccount: string;
  private readonly scripts = new Map<string, JobScript>();
  private readonly faults: { op: string; fault: Fault }[] = [];
  private readonly createCounts = new Map<string, number>();
  private readonly server: Server;
  url = '';

  constructor(private readonly options: FakeArmOptions = {}) {
    this.subscriptionId = options.subscriptionId ?? '51766542-3ed7-4a72-a187-0c8ab644ddab';
    this.resourceGroup = options.resourceGroup ?? 'rg-winfix';
    this.automationAccount = options.automationAccount ?? 'aa-winfix-helpdesk';
    this.tokens = new Set(options.tokens ?? ['fake-arm-token']);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.problems.push(`fake crashed: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  static async start(options: FakeArmOptions = {}): Promise<FakeArm> {
    const fake = new FakeArm(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  /** What a job (existing or future) shows and outputs; "*" scripts every job not scripted by name. */
  script(jobName: string, script: JobScript): void {
    this.scripts.set(jobName, script);
    const job = this.jobs.get(jobName);
    if (job) {
      if (script.statuses) Object.assign(job, { statuses: script.statuses, shown: 0 });
      if (script.output !== undefined) job.output = script.output;
      if (script.exception !== undefined) job.exception = script.exception;
    }
  }

  /** Queues a fault for the next request of operation `op` (Job_Create, Job_Get, Job_GetOutput …). */
  inject(op: string, fault: Fault): void {
    this.faults.push({ op, fault });
  }

  /** How many times a job of this name was created (a correct client: never more than once). */
  creates(jobName: string): number {
    return this.createCounts.get(jobName) ?? 0;
  }

  // writeHead(…).end(…) is never chained here: restify, loaded by other tests in the same process,
  // replaces ServerResponse.prototype.writeHead with one that does not return the response.
  private send(res: ServerResponse, op: Operation, status: number, body: Json, headers: Json = {}): void {
    const schema = (op.responses[String(status)] ?? op.responses.default) as Json | undefined;
    const ref = (schema?.schema as Json | undefined)?.$ref;
    if (typeof ref === 'string')
      for (const p of armSpec().check(ref.replace(/^\.\//, ''), body))
        this.problems.push(`fake answered ${op.id} ${status} off-spec: ${p}`);
    else if (!schema) this.problems.push(`fake answered ${op.id} with ${status}, not in the spec`);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  private error(res: ServerResponse, op: Operation, status: number, code: string, message: string): void {
    this.send(res, op, status, { code, message }, { 'x-ms-request-id': randomUUID() });
  }

  private jobBody(job: FakeJob): Json {
    const status = job.statuses[Math.min(job.shown, job.statuses.length - 1)] ?? 'New';
    const finished = ['Completed', 'Failed', 'Stopped', 'Suspended'].includes(status);
    const now = new Date().toISOString();
    return {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${this.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${this.automationAccount}/jobs/${job.name}`,
      name: job.name,
      type: 'Microsoft.Automation/AutomationAccounts/Jobs',
      properties: {
        jobId: job.jobId,
        runbook: { name: job.runbook },
        provisioningState: finished ? 'Succeeded' : 'Processing',
        creationTime: job.created,
        endTime: finished ? now : null,
        exception: status === 'Failed' || status === 'Suspended' ? job.exception : null,
        lastModifiedTime: now,
        lastStatusModifiedTime: now,
        startTime: status === 'New' ? null : job.created,
        status,
        statusDetails: 'None',
        parameters: job.parameters,
        runOn: job.runOn,
      },
    };
  }

  private create(name: string, body: Json): FakeJob {
    const p = body.properties as Json;
    const script = this.scripts.get(name) ?? this.scripts.get('*') ?? {};
    const job: FakeJob = {
      name,
      jobId: randomUUID(),
      runbook: String((p.runbook as Json).name),
      parameters: p.parameters as Record<string, string>,
      runOn: String(p.runOn),
      created: new Date().toISOString(),
      statuses: script.statuses ?? ['New', 'Activating', 'Running', 'Completed'],
      shown: 0,
      output: script.output ?? DEFAULT_OUTPUT,
      exception: script.exception ?? null,
    };
    this.jobs.set(name, job);
    this.createCounts.set(name, this.creates(name) + 1);
    return job;
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private createProblems(
    text: string,
    contentType: string | undefined,
  ): { body: Json | null; problems: string[] } {
    const problems: string[] = [];
    if (!/^application\/json\b/.test(contentType ?? '')) problems.push(`Content-Type is "${contentType}"`);
    let body: Json | null = null;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      return { body: null, problems: [...problems, 'body is not JSON'] };
    }
    problems.push(...armSpec().check('#/definitions/JobCreateParameters', body));
    const p = (body?.properties ?? {}) as Json;
    const runbook = (p.runbook ?? {}) as Json;
    if (typeof runbook.name !== 'string' || !runbook.name)
      problems.push('properties.runbook.name is required');
    if (typeof p.parameters !== 'object' || p.parameters === null)
      problems.push('properties.parameters is required');
    if (typeof p.runOn !== 'string' || !p.runOn)
      problems.push('properties.runOn (the worker group) is required');
    return { body, problems };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake');
    const text = await this.readBody(req);
    const found = armSpec().match(req.method ?? '', u.pathname);
    if (!found) {
      this.problems.push(`${req.method} ${u.pathname} is not an operation of job.json`);
      res.writeHead(404);
      res.end();
      return;
    }
    const { op, params } = found;
    const jobName = params.jobName ?? null;
    const log: ArmRequestLog = { method: op.method, op: op.id, jobName, outcome: 0 };
    this.requests.push(log);
    const problems: string[] = [];
    const declared = new Set<string>();
    for (const param of op.parameters) {
      const name = String(param.name);
      if (param.in === 'query') declared.add(name);
      if (param.in !== 'path' && param.in !== 'query') continue;
      const value = param.in === 'path' ? params[name] : u.searchParams.get(name);
      if (value === undefined || value === null) {
        if (param.required) problems.push(`${name} is required`);
      } else problems.push(...armSpec().parameterProblems(param, value));
    }
    for (const key of u.searchParams.keys())
      if (!declared.has(key)) problems.push(`query ${key} is not declared`);
    const version = u.searchParams.get('api-version');
    if (version !== armSpec().version) problems.push(`api-version is "${version}", not ${armSpec().version}`);
    if (op.id === 'Job_Create')
      problems.push(...this.createProblems(text, req.headers['content-type']).problems);
    if (problems.length) {
      this.problems.push(...problems.map((p) => `${op.method} ${op.id}: ${p}`));
      log.outcome = 400;
      return this.error(res, op, 400, 'BadRequest', problems.join('; '));
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) this.problems.push(`${op.id}: no bearer token`);
    if (!this.tokens.has(auth.slice('Bearer '.length))) {
      log.outcome = 401;
      return this.error(
        res,
        op,
        401,
        'AuthenticationFailed',
        'The access token is missing, invalid or expired.',
      );
    }
    if (
      params.subscriptionId !== this.subscriptionId ||
      params.resourceGroupName !== this.resourceGroup ||
      params.automationAccountName !== this.automationAccount
    ) {
      log.outcome = 404;
      return this.error(res, op, 404, 'ParentResourceNotFound', 'The automation account does not exist.');
    }

    const index = this.faults.findIndex((f) => f.op === op.id);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0]?.fault : undefined;
    if (fault?.kind === 'status') {
      log.outcome = fault.status;
      const headers = fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
      const body = fault.body ?? {
        code: fault.status === 429 ? 'TooManyRequests' : 'InternalServerError',
        message: 'scripted',
      };
      return this.send(res, op, fault.status, body, headers);
    }
    if (fault?.kind === 'drop') {
      log.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    const answer = this.apply(op, jobName ?? '', text);
    if (fault?.kind === 'drop-after-apply') {
      log.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'hang-after-apply') {
      log.outcome = 'hung';
      return;
    }
    log.outcome = answer.status;
    if (answer.text !== undefined) {
      res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(answer.text);
      return;
    }
    if (answer.body === undefined) {
      res.writeHead(answer.status);
      res.end();
      return;
    }
    this.send(res, op, answer.status, answer.body);
  }

  /** Does what the operation does; the answer is sent (or not) by the caller. */
  private apply(
    op: Operation,
    jobName: string,
    text: string,
  ): { status: number; body?: Json; text?: string } {
    const job = this.jobs.get(jobName);
    const missing = {
      status: 404,
      body: { code: 'NotFound', message: `The job ${jobName} does not exist.` },
    };
    switch (op.id) {
      case 'Job_Create': {
        if (job) {
          const status = this.options.alreadyExistsStatus ?? 409;
          const code = status === 409 ? 'Conflict' : 'BadRequest';
          return { status, body: { code, message: `A job with the name ${jobName} already exists.` } };
        }
        const created = this.create(jobName, JSON.parse(text) as Json);
        return { status: 201, body: this.jobBody(created) };
      }
      case 'Job_Get': {
        if (!job) return missing;
        job.shown += 1;
        return { status: 200, body: this.jobBody(job) };
      }
      case 'Job_GetOutput':
        return job ? { status: 200, text: job.output } : missing;
      case 'JobStream_ListByJob': {
        if (!job) return missing;
        const lines = job.output.split('\n').filter(Boolean);
        const value = lines.map((line, i) => {
          const id = `${job.jobId}_${String(i + 1).padStart(20, '0')}`;
          return {
            id: `/subscriptions/${this.subscriptionId}/resourcegroups/${this.resourceGroup}/providers/Microsoft.Automation/automationAccounts/${this.automationAccount}/jobs/${jobName}/streams/${id}`,
            properties: {
              jobStreamId: id,
              summary: line.slice(0, 100),
              time: job.created,
              streamType: 'Output',
            },
          };
        });
        return { status: 200, body: { value, nextLink: this.scripts.get(jobName)?.streamsNextLink ?? null } };
      }
      case 'Job_Stop': {
        if (!job) return missing;
        const current = job.statuses[Math.min(job.shown, job.statuses.length - 1)] ?? 'New';
        if (['Completed', 'Failed', 'Stopped'].includes(current))
          return { status: 400, body: { code: 'BadRequest', message: `The job is already ${current}.` } };
        job.statuses = [...job.statuses.slice(0, job.shown + 1), 'Stopping', 'Stopped'];
        return { status: 200 };
      }
      default:
        this.problems.push(`${op.id} is not implemented by the fake`);
        return { status: 501, body: { code: 'NotImplemented', message: op.id } };
    }
  }
}
