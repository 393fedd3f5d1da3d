/**
 * A RemoteRunsPort written for the Slack approval tests: it records what it is asked and answers as the
 * coordinator does, with the core's own approval card (the real coordinator is tested in test/bot); and
 * a press as Slack sends it with a reason typed into the card.
 */
import assert from 'node:assert/strict';
import type {
  ActionInput,
  Bot,
  OutgoingMessage,
  RemoteUpdateEvent,
  Sender,
  TechnicianAction,
} from '../../../bot';
import { createTranslator } from '../../../bot/i18n/translator';
import type { Knowledge } from '../../../rules/knowledge';
import {
  type ApprovalRecord,
  approvalCard,
  type Computer,
  type RemoteNotifier,
  type RemoteRunsPort,
  type RunRequest,
  type RunRequestResult,
} from '../../../runs';
import type { PostedMessage } from '../../helpers/fake-slack-api';
import { buttonPress, type SlackPost } from '../../helpers/slack-requests';

export type CardJob = Parameters<typeof approvalCard>[0]['job'];

export const TECH_CHANNEL = 'C0000TECH1';

/** Answers like the coordinator, over records kept here; every call is recorded. */
export class RecordingRemote implements RemoteRunsPort {
  readonly dryRun = false;
  readonly approvalMinutes = 30;
  readonly requests: RunRequest[] = [];
  readonly presses: (ActionInput & { action: TechnicianAction })[] = [];
  readonly computersAskedFor: Sender[] = [];
  readonly records = new Map<string, ApprovalRecord>();
  private readonly translator = createTranslator();
  private bot: Bot | null = null;
  private notifier: RemoteNotifier | null = null;

  constructor(private readonly knowledge: Knowledge) {}

  attach(bot: Bot, notifier: RemoteNotifier): void {
    this.bot = bot;
    this.notifier = notifier;
  }

  async computersOf(_platform: string, user: Sender): Promise<Computer[]> {
    this.computersAskedFor.push(user);
    return [{ name: 'PC-0042', workerGroup: 'hrw-pc-0042' }];
  }

  allows(): boolean {
    return true;
  }

  card(record: ApprovalRecord, job: CardJob | null = null, deciderName: string | null = null) {
    return approvalCard({
      approval: record,
      kb: this.knowledge.kb,
      translator: this.translator,
      locale: 'en',
      dryRun: this.dryRun,
      job,
      deciderName,
    });
  }

  async request(request: RunRequest): Promise<RunRequestResult> {
    this.requests.push(request);
    const id = `req-${this.requests.length}`;
    const record: ApprovalRecord = {
      id,
      conversationKey: request.conversationKey,
      requester: `${request.platform}:${request.requester.id}`,
      stepId: request.stepId,
      runbook: request.runbook,
      parameters: request.parameters,
      computerName: request.computer.name,
      workerGroup: request.computer.workerGroup,
      status: 'pending',
      requestedAt: '2026-03-02T09:00:00.000Z',
      expiresAt: '2026-03-02T09:30:00.000Z',
      decidedBy: null,
      decidedAt: null,
      note: null,
      digest: `digest-of-${id}`,
      context: {
        ...request.case,
        platform: request.platform,
        requesterId: request.requester.id,
        requesterDirectoryId: null,
        requesterEmail: request.requester.email ?? null,
        kind: 'diagnostic',
      },
    };
    this.records.set(id, record);
    await this.notifier?.postApproval(request.platform, this.card(record));
    return { kind: 'requested', requestId: id, expiresAt: record.expiresAt, approvedByPolicy: false };
  }

  async onTechnicianAction(input: ActionInput & { action: TechnicianAction }): Promise<OutgoingMessage[]> {
    this.presses.push(structuredClone(input));
    const reply = (text: string): OutgoingMessage[] => [{ kind: 'text', id: 'reply', text }];
    const record = this.records.get(input.action.request);
    if (!record) return reply('That request does not exist.');
    if (input.action.verb === 'stop-job') return reply('Asked Azure Automation to stop the job.');
    if (record.status !== 'pending') return reply('That request was already decided.');
    if (input.action.digest !== record.digest) return reply('Refused: this card does not match.');
    const approve = input.action.verb === 'approve';
    const reason = input.fields?.reason?.trim() || null;
    record.status = approve ? 'approved' : 'rejected';
    record.decidedBy = `${input.platform}:${input.user.id}`;
    record.decidedAt = '2026-03-02T09:05:00.000Z';
    record.note = approve ? null : reason;
    const name = input.user.name ?? input.user.id;
    const job = approve ? { status: 'Queued', summary: null, finished: false } : null;
    await this.notifier?.updateApproval(input.platform, this.card(record, job, name));
    await this.tell(record, { stage: approve ? 'approved' : 'rejected', by: name, reason });
    return reply(
      approve ? 'Approved. The job starts on PC-0042 shortly.' : 'Rejected. The requester has been told.',
    );
  }

  /** What the job poller does when the job ends: the card, the output for the technicians, the user. */
  async finish(requestId: string, output: string): Promise<void> {
    const record = this.records.get(requestId);
    assert.ok(record);
    const job = { status: 'Completed', summary: 'ok', finished: true };
    await this.notifier?.updateApproval('slack', this.card(record, job, 'Kenji'));
    await this.notifier?.toTechnicians(
      'slack',
      requestId,
      `Result of ${record.runbook} (Completed):\n${output}`,
    );
    await this.tell(record, {
      stage: 'finished',
      result: {
        status: 'Completed',
        ok: true,
        actions: ['read 30 days of update events'],
        errors: [],
        rebootRequired: false,
        facts: null,
        dryRun: false,
      },
    });
  }

  private async tell(
    record: ApprovalRecord,
    event: Omit<RemoteUpdateEvent, 'type' | 'requestId'>,
  ): Promise<void> {
    assert.ok(this.bot && this.notifier);
    const at = record.conversationKey.indexOf(':');
    const out = await this.bot.handle({
      kind: 'system',
      platform: record.conversationKey.slice(0, at),
      conversationId: record.conversationKey.slice(at + 1),
      user: { id: String(record.context.requesterId) },
      event: { type: 'remote-update', requestId: record.id, ...event },
    });
    await this.notifier.toConversation(record.conversationKey, out);
  }
}

/** A press as Slack sends it when text was typed into the card's reason field first. */
export function pressWithReason(
  message: PostedMessage,
  label: string,
  user: string,
  reason: string | null,
): SlackPost {
  const post = buttonPress(message, label, user);
  const payload = JSON.parse(new URLSearchParams(post.body).get('payload') ?? '{}');
  payload.state = { values: { winfix_reason: { reason: { type: 'plain_text_input', value: reason } } } };
  payload.channel = { id: message.channel, name: 'it-helpdesk' };
  return { ...post, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
}
