/**
 * The body of a request to the Slack events endpoint: read with a size limit (a body over it is drained,
 * up to a cap, so the client gets a 413 instead of a connection reset), parsed as Slack sends it (JSON
 * events, or a form whose `payload` is the JSON of an interaction), and checked for what the connector
 * needs before Bolt sees it (an interaction names the user who acted). Errors carry the HTTP status and
 * are answered as `{ code, message }` JSON.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { SlackBadRequestError } from './errors';

export { SlackBadRequestError };

/** The body was read before the listener (a body parser in front that keeps no raw body). */
export class BodyAlreadyRead extends Error {}

/** How much of a body over the limit is read and thrown away before the connection is cut. */
const DRAIN_CAP_BYTES = 16 * 1024 * 1024;

function tooLarge(limit: number): SlackBadRequestError {
  return new SlackBadRequestError(`request body exceeds ${limit} bytes`, 413);
}

/**
 * Reads the body (at most `limit` bytes). Over the limit: reads on and discards the rest, so the 413
 * reaches the client, unless the client sends more than the drain cap (then the request is cut off).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // A body parser in front (restify's bodyParser …) may have read the stream already; use what it kept.
  const kept = (req as IncomingMessage & { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(kept))
    return kept.length > limit ? Promise.reject(tooLarge(limit)) : Promise.resolve(kept);
  if (typeof kept === 'string') return Promise.resolve(Buffer.from(kept, 'utf8'));
  if (req.readableEnded) return Promise.reject(new BodyAlreadyRead());
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_CAP_BYTES) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_CAP_BYTES) {
        req.destroy();
        reject(tooLarge(limit));
        return;
      }
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

// biome-ignore lint/suspicious/noExplicitAny: Slack bodies are any JSON; Bolt types them as StringIndexed
export type SlackBody = Record<string, any>;

const isObject = (value: unknown): value is SlackBody =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Payload types that come from a person acting on the app: each names that person in `user.id`. */
const INTERACTIONS = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
]);

/** Events come as JSON; interactivity as a form with the JSON in `payload` (as Bolt parses them). */
export function parseBody(raw: string, contentType: string | undefined): SlackBody {
  const form = (contentType ?? '').split(';')[0]?.trim() === 'application/x-www-form-urlencoded';
  let parsed: unknown;
  try {
    if (form) {
      const fields = parseQuery(raw);
      parsed = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    } else parsed = JSON.parse(raw);
  } catch (error) {
    throw new SlackBadRequestError(
      `${form ? 'the form field "payload"' : 'the body'} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!isObject(parsed)) throw new SlackBadRequestError('the body is not a JSON object');
  if (INTERACTIONS.has(parsed.type)) {
    const user: unknown = parsed.user;
    if (!isObject(user) || typeof user.id !== 'string' || user.id.trim() === '')
      throw new SlackBadRequestError(`a ${parsed.type} payload must name the user who acted ("user.id")`);
  }
  return parsed;
}
