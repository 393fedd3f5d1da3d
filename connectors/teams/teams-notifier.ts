/**
 * Remote-run messages for Teams: approval cards to the technicians' channel, redrawn in place as the
 * request moves on, the job's output next to them, and proactive messages to the requester's
 * conversation. The channel is reached through its stored reference, or one built from the settings
 * before the bot has seen it (TechniciansChannel).
 *
 * An approval card that cannot be posted is NOT swallowed: it is kept (posted as soon as the channel
 * becomes reachable, redrawn to its latest state meanwhile) and `postApproval` throws a
 * TeamsTechniciansUnreachableError (`winfix_teams_technicians_unreachable`, `queued: true`), so the
 * core can tell the employee that no technician has seen the request yet. Messages to the requester
 * that the channel refuses are thrown too (the core posts them to the technicians and audits them).
 * Everything else (updates, job output) is logged, never thrown: a chat that is gone must not stop a
 * job from being recorded.
 */
import type { ApprovalMessage, OutgoingMessage } from '../../bot';
import type { Delivery, RemoteNotifier } from '../../runs';
import { TeamsTechniciansUnreachableError } from './errors';
import { PLATFORM } from './incoming';
import type { TeamsLog } from './log';
import type { TeamsConnector } from './teams-connector';
import type { TechniciansChannel } from './technicians-channel';

export interface TeamsNotifierOptions {
  connector: Pick<TeamsConnector, 'sendProactive'>;
  /** The technicians' channel (the connector's `technicians`), or null when none is configured. */
  technicians: TechniciansChannel | null;
  log: TeamsLog;
}

const approvalKey = (requestId: string) => `approval:${requestId}`;

export class TeamsNotifier implements RemoteNotifier {
  private warned = false;
  private notes = 0;

  constructor(private readonly options: TeamsNotifierOptions) {}

  private channel(): TechniciansChannel | null {
    const channel = this.options.technicians;
    if (!channel && !this.warned) {
      this.warned = true;
      this.options.log.error(
        'remote runs: WINFIX_TEAMS_TECHNICIAN_CONVERSATION is not set, so approval cards have nowhere to go; requests will lapse',
      );
    }
    return channel;
  }

  async postApproval(_platform: string, card: ApprovalMessage): Promise<Delivery> {
    const channel = this.channel();
    if (!channel) throw new TeamsTechniciansUnreachableError(null, false);
    const error = await channel.post({
      key: approvalKey(card.requestId),
      kind: 'messages',
      what: `the approval card of request ${card.requestId}`,
      messages: [card],
    });
    if (error) throw new TeamsTechniciansUnreachableError(channel.conversationId, true, { cause: error });
    return 'delivered';
  }

  async updateApproval(_platform: string, card: ApprovalMessage): Promise<void> {
    const channel = this.channel();
    if (!channel) return;
    // Never posted yet: what will be posted is this newer version (a lapsed request shows it lapsed).
    if (channel.isKept(approvalKey(card.requestId))) {
      await channel.post({
        key: approvalKey(card.requestId),
        kind: 'messages',
        what: `the approval card of request ${card.requestId}`,
        messages: [card],
      });
      return;
    }
    const result = await this.options.connector.sendProactive(channel.conversationId, [
      { kind: 'card-update', id: `${card.id}-update`, cardId: card.id, answer: card.decision ?? '', card },
    ]);
    channel.noteOutcome(result.ok ? null : result.error);
  }

  async toTechnicians(_platform: string, requestId: string, text: string): Promise<void> {
    const channel = this.channel();
    if (!channel) return;
    this.notes++;
    await channel.post({
      key: `note:${requestId}:${this.notes}`,
      kind: 'messages',
      what: `a message about request ${requestId}`,
      messages: [{ kind: 'text', id: 'job-output', text }],
    });
  }

  async toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void> {
    const prefix = `${PLATFORM}:`;
    if (!conversationKey.startsWith(prefix)) return;
    const result = await this.options.connector.sendProactive(conversationKey.slice(prefix.length), messages);
    // The core tells the technicians and the audit log (a 403/404 is a TeamsConversationGoneError).
    if (!result.ok) throw result.error;
  }
}
