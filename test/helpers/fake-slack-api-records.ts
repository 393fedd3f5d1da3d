/**
 * What the fake Slack Web API records: every call, every departure from Slack's contract (`problems`),
 * the messages it holds and the ephemeral messages shown; and the queries tests make over them.
 */

export type Obj = Record<string, unknown>;

export interface SlackCall {
  method: string;
  token: string | null;
  params: Record<string, unknown>;
  /** For `response_url` calls: what the fake answered (`ok` or the error's name). */
  answer?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  locale: string;
  /** Returned as `profile.email` only to apps with the `users:read.email` scope. */
  email?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  thread_ts?: string;
}

/** Records `problem` (when given) against `method`, and returns Slack's error answer. */
export function failure(problems: string[], method: string, error: string, problem?: string): Obj {
  if (problem) problems.push(`${method}: ${problem}`);
  return { ok: false, error };
}

export class SlackRecords {
  readonly calls: SlackCall[] = [];
  readonly problems: string[] = [];
  readonly messages: PostedMessage[] = [];
  readonly ephemerals: SlackCall[] = [];

  /** The response_url calls that replaced a message in `channel` (and were answered `ok`). */
  replacedThroughResponseUrl(channel?: string): SlackCall[] {
    return this.of('response_url').filter(
      (c) =>
        c.answer === 'ok' &&
        c.params.replace_original !== undefined &&
        (channel === undefined || c.params.channel === channel),
    );
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls other than auth.test (what a request changed in Slack). */
  get effects(): SlackCall[] {
    return this.calls.filter((c) => c.method !== 'auth.test');
  }

  async waitFor(method: string, count: number, timeoutMs = 5000): Promise<SlackCall[]> {
    const until = Date.now() + timeoutMs;
    while (this.of(method).length < count) {
      if (Date.now() > until)
        throw new Error(`waited for ${count} ${method} calls, saw ${this.of(method).length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.of(method);
  }
}
