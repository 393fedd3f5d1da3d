/**
 * Messages to a Teams conversation outside a turn (job results, approvals, the technicians' channel),
 * through the conversation reference stored when the conversation last wrote to the bot, or for the
 * technicians' channel one built from the settings; and lookups in that channel's roster.
 */
import type { CloudAdapter, ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import type { ReferenceStore } from '../../bot';
import type { DeliveryFailure } from '../chat/contract';
import type { DeliveryFailures } from '../chat/delivery-failures';
import { deliveryError, TeamsNoReferenceError, type WinfixTeamsError } from './errors';
import { PLATFORM } from './incoming';
import type { TeamsLog } from './log';
import { channelOf, type TechniciansChannel } from './technicians-channel';

type ConversationReference = Parameters<CloudAdapter['continueConversation']>[1];
export type BotIdentity = Parameters<CloudAdapter['continueConversation']>[0];

export type ProactiveResult =
  | { ok: true; delivered: number }
  | { ok: false; delivered: number; error: WinfixTeamsError; failure: DeliveryFailure };

export interface TeamsProactiveOptions {
  adapter: CloudAdapter;
  identity: BotIdentity;
  references: ReferenceStore;
  log: TeamsLog;
  failures: DeliveryFailures;
  /** The technicians' channel, when configured (asked on each use: it is built after this). */
  technicians: () => TechniciansChannel | null;
}

export class TeamsProactive {
  private readonly adapter: CloudAdapter;
  private readonly identity: BotIdentity;
  private readonly references: ReferenceStore;
  private readonly log: TeamsLog;
  private readonly failures: DeliveryFailures;
  private readonly channel: () => TechniciansChannel | null;

  constructor(options: TeamsProactiveOptions) {
    this.adapter = options.adapter;
    this.identity = options.identity;
    this.references = options.references;
    this.log = options.log;
    this.failures = options.failures;
    this.channel = options.technicians;
  }

  private get technicians(): TechniciansChannel | null {
    return this.channel();
  }

  /**
   * The stored reference of a conversation; for the technicians' channel without one, a reference
   * built from the settings (saved once a send through it worked).
   */
  private async referenceOf(
    conversationId: string,
  ): Promise<{ reference: ConversationReference; built: boolean }> {
    const stored = (await this.references.getReference(
      PLATFORM,
      conversationId,
    )) as ConversationReference | null;
    if (stored) return { reference: stored, built: false };
    if (this.technicians?.is(conversationId))
      return { reference: this.technicians.reference() as unknown as ConversationReference, built: true };
    throw new TeamsNoReferenceError(conversationId);
  }

  /**
   * Runs `send` in a turn of its own on the conversation. Never throws: a failure comes back as
   * `{ ok: false, error }`, logged and reported; a 403/404 from the channel (the bot was removed from
   * the conversation) is a TeamsConversationGoneError.
   */
  async send(
    conversationId: string,
    send: (context: TurnContext, progress: { count: number }) => Promise<void>,
  ): Promise<ProactiveResult> {
    const progress = { count: 0 };
    let failure: unknown = null;
    let built: ConversationReference | null = null;
    try {
      const found = await this.referenceOf(conversationId);
      const reference = found.reference;
      if (found.built) built = reference;
      await this.adapter.continueConversation(this.identity, reference, async (context) => {
        // The SDK gives the continuation activity a made-up id (a random UUID) and would send every
        // message as a reply to it (POST …/activities/{uuid}); a proactive message is a new message.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        context.onUpdateActivity(async (_context, activity, next) => {
          delete activity.replyToId;
          return next();
        });
        // Caught here: the adapter would hand an error to onTurnError, which only logs.
        try {
          await send(context, progress);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure === null && built) await this.saveBuiltReference(conversationId, built);
    if (failure === null) return { ok: true, delivered: progress.count };
    const error = deliveryError(conversationId, failure);
    this.log.error(`proactive message not delivered (${error.code}): ${error.message}`);
    const reported: DeliveryFailure = {
      platform: PLATFORM,
      conversationId,
      code: error.code,
      message: error.message,
    };
    this.failures.report(reported, true);
    return { ok: false, delivered: progress.count, error, failure: reported };
  }

  private async saveBuiltReference(conversationId: string, reference: ConversationReference): Promise<void> {
    try {
      await this.references.saveReference(PLATFORM, conversationId, reference);
    } catch (error) {
      this.log.warn(`could not store the reference of ${conversationId}: ${(error as Error).message}`);
    }
  }

  /**
   * The Teams user id (29:…) of a member of the technicians' conversation, asked by Entra object id or
   * e-mail (Bot Connector GET /v3/conversations/{id}/members/{member}, which Teams answers for either);
   * null when that person is not a member or the channel cannot be asked now.
   */
  async member(entry: string): Promise<string | null> {
    const channel = this.technicians?.conversationId;
    if (!channel) return null;
    let found: string | null = null;
    let failure: unknown = null;
    try {
      const { reference } = await this.referenceOf(channel);
      await this.adapter.continueConversation(this.identity, reference, async (context) => {
        // Caught here: the adapter would hand an error to onTurnError, which logs it as an error.
        try {
          const client = context.turnState.get<ConnectorClient>(this.adapter.ConnectorClientKey);
          const member = (await client.getConversationMember(entry, channelOf(channel))) as { id?: unknown };
          if (typeof member?.id === 'string') found = member.id;
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    // Not a member (404) or the channel not reachable now: the technician refreshes by hand meanwhile.
    if (failure) this.log.info(`technician ${entry}: not found in the technicians' channel roster`);
    return found;
  }
}
