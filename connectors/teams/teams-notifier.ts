/**
 * Remote-run messages for Teams: approval cards to the technicians' channel (a Teams conversation the
 * bot is in, so its reference is stored), redrawn in place as the request moves on, the job's output
 * next to them, and proactive messages to the requester's conversation. Deliveries that fail are
 * logged by the connector and never thrown: a channel that is gone must not stop a job being recorded.
 */
import type { ApprovalMessage, OutgoingMessage } from '../../bot';
import type { RemoteNotifier } from '../../bot/remote';
import { PLATFORM } from './incoming';
import type { TeamsLog } from './log';
import type { TeamsConnector } from './teams-connector';

export interface TeamsNotifierOptions {
  connector: Pick<TeamsConnector, 'sendProactive'>;
  /** The technicians' channel conversation id (WINFIX_TEAMS_TECHNICIAN_CONVERSATION), or null. */
  technicianConversation: string | null;
  log: TeamsLog;
}

export class TeamsNotifier implements RemoteNotifier {
  private warned = false;

  constructor(private readonly options: TeamsNotifierOptions) {}

  private channel(): string | null {
    const id = this.options.technicianConversation;
    if (!id && !this.warned) {
      this.warned = true;
      this.options.log.error(
        'remote runs: WINFIX_TEAMS_TECHNICIAN_CONVERSATION is not set, so approval cards have nowhere to go; requests will lapse',
      );
    }
    return id;
  }

  async postApproval(_platform: string, card: ApprovalMessage): Promise<void> {
    const channel = this.channel();
    if (channel) await this.options.connector.sendProactive(channel, [card]);
  }

  async updateApproval(_platform: string, card: ApprovalMessage): Promise<void> {
    const channel = this.channel();
    if (!channel) return;
    await this.options.connector.sendProactive(channel, [
      { kind: 'card-update', id: `${card.id}-update`, cardId: card.id, answer: card.decision ?? '', card },
    ]);
  }

  async toTechnicians(_platform: string, _requestId: string, text: string): Promise<void> {
    const channel = this.channel();
    if (channel)
      await this.options.connector.sendProactive(channel, [{ kind: 'text', id: 'job-output', text }]);
  }

  async toConversation(conversationKey: string, messages: OutgoingMessage[]): Promise<void> {
    const prefix = `${PLATFORM}:`;
    if (!conversationKey.startsWith(prefix)) return;
    await this.options.connector.sendProactive(conversationKey.slice(prefix.length), messages);
  }
}
