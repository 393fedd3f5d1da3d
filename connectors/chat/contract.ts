/**
 * The contract every chat platform's connector keeps (Teams, Slack, the console; a new platform such
 * as Webex or Google Chat is one more implementation). A connector does transport and acknowledgement
 * only: it turns an incoming request into the core's input (`IncomingMessage`: who, in which
 * conversation, with the client's locale), renders the core's messages, updates an answered card in
 * place, sends proactively and reports what could not be delivered. What is the same on every
 * platform (order within a conversation, duplicate deliveries, the apology when a turn fails, what a
 * card showed) lives beside this file in connectors/chat/, once; the HTTP server belongs to the app
 * (connectors/app/), which mounts each connector's `routes`.
 */
import type { IncomingMessage, OutgoingMessage } from '../../bot';

/** A request handler on the app's HTTP server (node:http shapes; the app passes restify's). */
export type RouteHandler = (
  request: import('node:http').IncomingMessage,
  response: import('node:http').ServerResponse,
) => void | Promise<void>;

/** One HTTP route a connector serves, e.g. POST /api/messages (Teams) or POST /slack/events (Slack). */
export interface ChatRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Reads the body itself (raw bytes: signatures and size limits are the connector's business). */
  handle: RouteHandler;
}

/** Why a message did not reach its conversation (the platform's error, named and explained). */
export interface DeliveryFailure {
  platform: string;
  conversationId: string;
  /** A stable code, e.g. winfix_teams_conversation_gone or winfix_slack_delivery_failed. */
  code: string;
  message: string;
}

/** The outcome of a proactive send: how many of the core's messages went out, and the failure if any. */
export type DeliveryOutcome =
  | { ok: true; delivered: number }
  | { ok: false; delivered: number; failure: DeliveryFailure };

/** What a connector tells the rest of the bot about messages it could not deliver. */
export type DeliveryFailureListener = (failure: DeliveryFailure) => void;

export interface ChatConnector {
  /** The platform name the core sees in `IncomingMessage.platform` ("msteams", "slack", "console"). */
  readonly platform: string;
  /** The routes the app mounts for this connector; empty when it needs none (Socket Mode, console). */
  readonly routes: readonly ChatRoute[];
  /** Connects (Socket Mode) or checks credentials. */
  start(): Promise<void>;
  /** Takes no more deliveries and waits for the work in progress. */
  stop(): Promise<void>;
  /** Resolves when no delivery is being worked on. */
  idle(): Promise<void>;
  /** Sends the core's messages to a conversation outside a turn. Never throws: see the outcome. */
  sendProactive(conversationId: string, messages: OutgoingMessage[]): Promise<DeliveryOutcome>;
  /** Registers a listener for every delivery failure (turn replies, updates and proactive sends). */
  onDeliveryFailure(listener: DeliveryFailureListener): void;
}

/** The platform's side of one turn, as the shared turn runner (chat-turns.ts) drives it. */
export interface TurnTransport {
  /** The core's input for this delivery (may look the user up first: name, locale, e-mail). */
  input(): Promise<IncomingMessage>;
  /** Renders and sends the core's messages for this turn; card updates are made in place. */
  deliver(messages: OutgoingMessage[]): Promise<void>;
}
