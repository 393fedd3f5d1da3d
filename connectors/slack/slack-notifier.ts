/**
 * Remote runs in Slack (the core's `RemoteNotifier` for platform "slack"): approval cards posted to the
 * technicians' channel (SLACK_TECHNICIAN_CHANNEL) and updated in place for everyone, a job's output as a
 * reply in the card's thread, and proactive messages to the requester's conversation. Which message
 * shows which request is kept in the reference store (`approval:<requestId>` → `<channel>|<ts>`), so
 * cards are still updated after a restart. Delivery failures are logged; `toConversation` also rejects
 * (the core then tells the technicians and audits it), and `postApproval` answers 'failed' (Slack keeps nothing to post later), so the core withdraws the
 * request and tells the employee that no technician could be reached.
 *
 * Without a technicians' channel nothing can be posted: each request's card is reported once as an
 * error.
 */
import type { webApi } from '@slack/bolt';
import type { ApprovalMessage, OutgoingMessage, ReferenceStore } from '../../bot';
import type { Delivery, RemoteNotifier } from '../../runs';
import { ConversationQueue } from '../chat/conversation-queue';
import { escapeMrkdwn, renderMessage, technicianNote } from './block-kit';
import type { ConnectorLogger } from './connector-logger';
import { SlackDeliveryError } from './errors';
import { isReference, PLATFORM, placeOf } from './slack-inputs';
import { SlackReplies, webApiError } from './slack-replies';

export interface SlackNotifierOptions {
  /** A Web API client with the bot token (the connector passes its own). */
  client: webApi.WebClient;
  /** The connector's reference store: conversation references and where each approval card is. */
  references: ReferenceStore;
  /** SLACK_TECHNICIAN_CHANNEL: where approval cards go (a channel id; the bot must be a member). */
  technicianChannel: string | null;
  /** Default: the console. */
  logger?: ConnectorLogger;
  /** Delivers messages to a conversation. Default: a `SlackReplies` over `references`. */
  replies?: SlackReplies;
  /**
   * Orders proactive messages with the conversation's own turns. The connector passes its queue;
   * default: a queue of the notifier's own.
   */
  work?: ConversationQueue;
}

/** Where an approval card was posted. */
export interface ApprovalCardMessage {
  channel: string;
  ts: string;
}

/** The reference store's key for the message showing a request's approval card. */
export function approvalCardKey(requestId: string): string {
  return `approval:${requestId}`;
}

export class SlackNotifier implements RemoteNotifier {
  private readonly logger: ConnectorLogger;
  private readonly replies: SlackReplies;
  private readonly work: ConversationQueue;
  /** Requests whose card could not be posted for want of a channel (reported once each). */
  private readonly unposted = new Set<string>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.logger = options.logger ?? console;
    this.replies =
      options.replies ??
      new SlackReplies({
        references: options.references,
        logger: this.logger,
        technicianChannel: options.technicianChannel,
      });
    this.work = options.work ?? new ConversationQueue();
  }

  /** Resolves when no proactive delivery is under way. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Where the card of `requestId` was posted, or null when it never was. */
  async cardMessage(requestId: string): Promise<ApprovalCardMessage | null> {
    const stored = await this.options.references.getCardMessage(PLATFORM, approvalCardKey(requestId));
    const at = stored?.lastIndexOf('|') ?? -1;
    if (!stored || at <= 0 || at === stored.length - 1) return null;
    return { channel: stored.slice(0, at), ts: stored.slice(at + 1) };
  }

  /** 'delivered' once posted; 'failed' without a channel or when Slack refuses (Slack keeps nothing). */
  async postApproval(platform: string, card: ApprovalMessage): Promise<Delivery> {
    if (platform !== PLATFORM) return 'failed';
    const channel = this.options.technicianChannel;
    if (!channel) {
      if (!this.unposted.has(card.requestId)) {
        this.unposted.add(card.requestId);
        this.logger.error(
          `Slack: approval request ${card.requestId} not posted: SLACK_TECHNICIAN_CHANNEL is not set, so no technician can decide it; the request expires now`,
        );
      }
      return 'failed';
    }
    const rendered = renderMessage(card);
    if (!rendered) return 'failed';
    try {
      const result = await this.options.client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks,
      });
      if (!result.ts) throw new Error('chat.postMessage answered without a ts');
      // Slack answers with the channel's id even when it was given by name (chat.update needs the id).
      const posted = `${result.channel ?? channel}|${result.ts}`;
      await this.options.references.saveCardMessage(PLATFORM, approvalCardKey(card.requestId), posted);
      return 'delivered';
    } catch (error) {
      this.logger.error(
        webApiError(`posting approval request ${card.requestId} to ${channel}`, error).message,
      );
      return 'failed';
    }
  }

  async updateApproval(platform: string, card: ApprovalMessage): Promise<void> {
    if (platform !== PLATFORM) return;
    const rendered = renderMessage(card);
    if (!rendered) return;
    try {
      const at = await this.cardMessage(card.requestId);
      if (!at) {
        const log = this.options.technicianChannel ? this.logger.warn : this.logger.debug;
        log.call(this.logger, `Slack: no card known for approval request ${card.requestId}; not updated`);
        return;
      }
      await this.options.client.chat.update({
        channel: at.channel,
        ts: at.ts,
        text: rendered.text,
        blocks: rendered.blocks,
      });
    } catch (error) {
      this.logger.warn(webApiError(`chat.update of approval request ${card.requestId}`, error).message);
    }
  }

  /**
   * A message of its own to the technicians' channel (the weekly summary): a header line, then the
   * rest. False when there is no channel or Slack refused it (logged).
   */
  async postToTechnicians(heading: string, lines: string[]): Promise<boolean> {
    const channel = this.options.technicianChannel;
    if (!channel) return false;
    try {
      await this.options.client.chat.postMessage({
        channel,
        text: [heading, ...lines].join('\n'),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: heading.slice(0, 150) } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n') },
          },
        ],
      });
      return true;
    } catch (error) {
      this.logger.error(webApiError("posting to the technicians' channel", error).message);
      return false;
    }
  }

  async toTechnicians(platform: string, requestId: string, text: string): Promise<void> {
    if (platform !== PLATFORM) return;
    try {
      const at = await this.cardMessage(requestId);
      const channel = at?.channel ?? this.options.technicianChannel;
      if (!channel) {
        this.logger.debug(`Slack: no technicians' channel; a note on ${requestId} is dropped`);
        return;
      }
      const rendered = technicianNote(text);
      await this.options.client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks,
        ...(at ? { thread_ts: at.ts } : {}),
      });
    } catch (error) {
      this.logger.error(webApiError(`posting a note on approval request ${requestId}`, error).message);
    }
  }

  /**
   * Proactive messages to "slack:<conversationId>" (a DM or a thread), delivered like a turn's replies
   * (cards updated in place, hand-offs copied) and queued behind that conversation's own work.
   */
  async toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void> {
    const prefix = `${PLATFORM}:`;
    if (!conversationKey.startsWith(prefix) || messages.length === 0) return;
    const conversationId = conversationKey.slice(prefix.length);
    let failure: SlackDeliveryError | null = null;
    await this.work.run(
      conversationId,
      async () => {
        const stored = await this.options.references.getReference(PLATFORM, conversationId);
        const reference = isReference(stored) ? stored : null;
        const place = reference
          ? { team: reference.team, channel: reference.channel, threadTs: reference.threadTs }
          : placeOf(conversationId);
        if (!place) throw new SlackDeliveryError(`cannot tell where conversation ${conversationId} is`);
        await this.replies.deliver(
          {
            client: this.options.client,
            conversationId,
            place,
            userId: reference?.userId ?? '',
            fromButton: false,
          },
          messages,
        );
      },
      (error) => {
        const cause = (error as { cause?: unknown }).cause;
        const detail = cause instanceof Error ? ` (${cause.message})` : '';
        this.logger.error(
          `Slack: messages to ${conversationId} not delivered: ${(error as Error).message}${detail}`,
        );
        failure =
          error instanceof SlackDeliveryError
            ? error
            : new SlackDeliveryError(`messages to ${conversationId} not delivered`, { cause: error });
      },
    );
    // The core tells the technicians and the audit log (not_in_channel, channel_not_found …).
    if (failure) throw failure;
  }
}
