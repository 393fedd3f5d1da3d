/**
 * HTTP mode: a Bolt receiver whose `requestListener` serves `POST /slack/events` on whatever node:http
 * server it is mounted on (no server of its own). It reads the body, verifies Slack's signature with the
 * injected clock, answers `url_verification` and `ssl_check`, and hands the rest to the Bolt app with
 * Bolt's own HTTP acknowledgement (the response goes out when a listener calls `ack()`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, HTTPResponseAck, type Logger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Clock } from '../../bot';
import type { ConversationQueue } from '../chat/conversation-queue';
import { BodyAlreadyRead, parseBody, readBody, SlackBadRequestError, type SlackBody } from './request-body';
import { verifySignedRequest } from './request-verification';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  logger: Logger;
  work: ConversationQueue;
  /** The path served. Default `/slack/events`. */
  path?: string;
  /** The largest body read, in bytes. Default 1 MiB (Slack's payloads are far smaller). */
  bodyLimit?: number;
}

function reply(
  res: ServerResponse,
  status: number,
  body?: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** A refused request: `{ code, message }` as JSON, so the sender can tell what was wrong. */
function replyError(res: ServerResponse, error: SlackBadRequestError): void {
  reply(res, error.status, JSON.stringify({ code: error.code, message: error.message }), {
    'content-type': 'application/json; charset=utf-8',
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private started = false;
  private readonly path: string;
  private readonly bodyLimit: number;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.path = options.path ?? '/slack/events';
    this.bodyLimit = options.bodyLimit ?? 1024 * 1024;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  /** The node:http listener to mount at `/slack/events` (no body parser in front, or one that keeps `rawBody`). */
  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res).catch((error: unknown) => {
      this.options.logger.error('Slack: a request to the events endpoint failed', error);
      if (!res.headersSent) reply(res, 500);
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== this.path) return reply(res, 404);
    if (req.method !== 'POST') return reply(res, 405, undefined, { allow: 'POST' });
    const app = this.app;
    if (!app || !this.started) return reply(res, 503, undefined, { 'retry-after': '5' });

    let raw: string;
    try {
      raw = (await readBody(req, this.bodyLimit)).toString('utf8');
    } catch (error) {
      if (error instanceof SlackBadRequestError) {
        this.options.logger.warn(`Slack: refused a request to ${this.path}: ${error.message}`);
        return replyError(res, error);
      }
      if (error instanceof BodyAlreadyRead) {
        this.options.logger.error(
          `Slack: the body of ${this.path} was read before the listener; mount it without a body parser`,
        );
        return reply(res, 500);
      }
      throw error;
    }
    try {
      verifySignedRequest({
        signingSecret: this.options.signingSecret,
        headers: req.headers,
        body: raw,
        clock: this.options.clock,
      });
    } catch (error) {
      this.options.logger.warn(`Slack: refused a request to ${this.path}: ${(error as Error).message}`);
      return reply(res, 401);
    }
    let body: SlackBody;
    try {
      body = parseBody(raw, req.headers['content-type']);
    } catch (error) {
      if (!(error instanceof SlackBadRequestError)) throw error;
      this.options.logger.warn(`Slack: refused a request to ${this.path}: ${error.message}`);
      return replyError(res, error);
    }
    if (body.ssl_check === '1') return reply(res, 200);
    if (body.type === 'url_verification')
      return reply(res, 200, JSON.stringify({ challenge: body.challenge }), {
        'content-type': 'application/json',
      });

    const ack = new HTTPResponseAck({
      logger: this.options.logger,
      processBeforeResponse: false,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    });
    const retry = firstHeader(req.headers['x-slack-retry-num']);
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: retry === undefined ? undefined : Number.parseInt(retry, 10),
      retryReason: firstHeader(req.headers['x-slack-retry-reason']),
    };
    try {
      await this.options.work.track(app.processEvent(event));
    } catch (error) {
      this.options.logger.error('Slack: Bolt could not process a request', error);
      if (!res.headersSent) reply(res, 500);
      ack.ack(); // stops Bolt's 3-second "not acknowledged" timer
    }
  }
}
