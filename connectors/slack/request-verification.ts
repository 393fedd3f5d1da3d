/**
 * Checks that a request to the events endpoint comes from Slack: a `v0` HMAC-SHA256 signature of
 * `v0:<timestamp>:<body>` with the signing secret, and a timestamp within 5 minutes of our clock in
 * either direction (Bolt's own check only refuses old requests; a future timestamp is refused here too).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import type { Clock } from '../../bot';
import { SlackRequestVerificationError } from './errors';

/** How far a request's timestamp may be from our clock, either way. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function verifySignedRequest(args: {
  signingSecret: string;
  headers: IncomingHttpHeaders;
  body: string;
  clock: Clock;
}): void {
  const signature = header(args.headers, 'x-slack-signature');
  const timestamp = header(args.headers, 'x-slack-request-timestamp');
  if (!signature || !timestamp) throw new SlackRequestVerificationError('the request is not signed');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new SlackRequestVerificationError(`bad x-slack-request-timestamp "${timestamp.slice(0, 20)}"`);
  const nowMs = args.clock.now().getTime();
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > SIGNATURE_WINDOW_SECONDS)
    throw new SlackRequestVerificationError(
      `the request timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'} (over ${SIGNATURE_WINDOW_SECONDS} s)`,
    );
  try {
    verifySlackRequest({
      signingSecret: args.signingSecret,
      body: args.body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
  } catch (error) {
    throw new SlackRequestVerificationError('the request signature does not match', { cause: error });
  }
}
