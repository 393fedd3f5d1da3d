/**
 * Reads the body of a POST to /api/messages with a size limit. A body over the limit is read on and
 * thrown away (up to a cap) so that the client gets its 413 answer instead of a connection reset; a
 * client that declares or sends more than the cap is cut off after the answer.
 */
import type { IncomingMessage } from 'node:http';
import { TeamsBadRequestError } from './errors';

/** How much of a body over the limit is read and thrown away before the connection is cut. */
const DRAIN_CAP_BYTES = 16 * 1024 * 1024;

export function tooLarge(limit: number): TeamsBadRequestError {
  return new TeamsBadRequestError(`request body exceeds ${limit} bytes`, 413);
}

/** The body, or a TeamsBadRequestError with status 413 when it is over `limit` bytes. */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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
    req.on('aborted', () => reject(new TeamsBadRequestError('the client aborted the request')));
  });
}
