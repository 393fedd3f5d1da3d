/**
 * A button press's `response_url`: where the connector may POST, and what Slack's answer means. The URL
 * comes inside the press's payload; the request was signature-checked, but the connector still POSTs
 * only to Slack's own host for it, so a payload can never make the bot call an arbitrary host:
 * - `https://hooks.slack.com/actions/…` (Slack's documented form for block_actions), default port, no
 *   credentials in the URL;
 * - the same origin as SLACK_API_URL when that is a loopback address (a local fake Slack: the tests and
 *   local development); never loopback otherwise.
 * Slack lets an app use one response_url up to 5 times within 30 minutes of the press; the connector
 * uses each once, in the turn of its press.
 */

export const RESPONSE_URL_HOST = 'hooks.slack.com';
const RESPONSE_URL_PATH = '/actions/';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export type ResponseUrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Decides which response_url values the connector may POST to (see the file's comment). */
export class ResponseUrlPolicy {
  private readonly localSlack: URL | null;

  /** `apiUrl`: SLACK_API_URL; a loopback one (a local fake Slack) allows its own origin too. */
  constructor(apiUrl: string) {
    const api = parse(apiUrl);
    this.localSlack = api && LOOPBACK_HOSTS.has(api.hostname) ? api : null;
  }

  check(responseUrl: string): ResponseUrlVerdict {
    const url = parse(responseUrl);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      return { ok: false, reason: 'not an http(s) URL' };
    if (url.username || url.password) return { ok: false, reason: 'the URL carries credentials' };
    if (!url.pathname.startsWith(RESPONSE_URL_PATH))
      return { ok: false, reason: `the path is not under ${RESPONSE_URL_PATH}` };
    const slack = url.protocol === 'https:' && url.port === '' && url.hostname === RESPONSE_URL_HOST;
    if (slack || (this.localSlack && url.origin === this.localSlack.origin)) return { ok: true, url };
    return { ok: false, reason: `not ${RESPONSE_URL_HOST}` };
  }
}

/** Where a response_url points, for log lines: its origin only (the path is a credential of sorts). */
export function originOf(responseUrl: string): string {
  return parse(responseUrl)?.origin ?? 'an unparsable URL';
}

/**
 * Slack's answer to a POST on a response_url: 200 with `ok` (text) or `{"ok":true}` when it worked;
 * another status, or `{"ok":false,"error":…}`, when not (`expired_url`, `used_url`, `invalid_blocks`…).
 * Null when it worked, else the reason (at most 100 characters of what Slack said).
 */
export function responseUrlFailure(status: number, body: string): string | null {
  const said = body.trim().slice(0, 100);
  let error: string | null = null;
  try {
    const parsed = JSON.parse(said) as { ok?: unknown; error?: unknown } | null;
    if (parsed && typeof parsed === 'object' && parsed.ok === false)
      error = typeof parsed.error === 'string' ? parsed.error : 'ok: false';
  } catch {
    // Not JSON: Slack answers text ("ok", or the error's name).
  }
  if (status >= 200 && status < 300 && !error) return null;
  return `HTTP ${status}${error || said ? `: ${error ?? said}` : ''}`;
}
