/**
 * Remote runs in Slack, over real signed requests and the fake Web API: "Run it for me" on a step card,
 * the approval card in the technicians' channel (posted, updated in place, the job's output in its
 * thread), a technician's press with a typed reason reaching the core, the presser's answer, and the
 * requester told in their conversation. The RemoteRunsPort here is written for the test (it records
 * what it is asked and answers as the coordinator does, with the core's own approval card); the real
 * coordinator is tested in test/bot.
 */
import assert from 'node:assert/strict';
import { webApi } from '@slack/bolt';
import {
  type ActionInput,
  type Bot,
  InMemoryReferenceStore,
  type OutgoingMessage,
  type RemoteUpdateEvent,
  type Sender,
  type TechnicianAction,
} from '../../../bot';
import { createTranslator } from '../../../bot/i18n/translator';
import { SlackNotifier } from '../../../connectors/slack';
import { createKnowledge, type Knowledge } from '../../../rules/knowledge';
import {
  type ApprovalRecord,
  approvalCard,
  type Computer,
  type RemoteNotifier,
  type RemoteRunsPort,
  type RunRequest,
  type RunRequestResult,
} from '../../../runs';
import { FakeSlackApi, type PostedMessage } from '../../helpers/fake-slack-api';
import { buttonPress, buttonsOf, type SlackPost } from '../../helpers/slack-requests';
import { RecordingLogger, SlackHarness, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

type CardJob = Parameters<typeof approvalCard>[0]['job'];

const USER = 'U0000USER1';
const DM = 'D0000DM001';
const TECH = 'U0000TECH1';
const TECH_CHANNEL = 'C0000TECH1';

/** Answers like the coordinator, over records kept here; every call is recorded. */
class RecordingRemote implements RemoteRunsPort {
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
function pressWithReason(
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

const hasButtons = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'actions'));
const hasInput = (m: PostedMessage | undefined) => Boolean(m?.blocks.some((b) => b.type === 'input'));

describe('Slack connector: remote runs (approval cards, technicians, proactive messages)', function () {
  this.timeout(20000);
  let knowledge: Knowledge;
  let remote: RecordingRemote;
  let slack: SlackHarness;

  before(() => {
    knowledge = createKnowledge();
  });

  async function start(options: { scopes?: string[]; technicianChannel?: string | null } = {}) {
    remote = new RecordingRemote(knowledge);
    slack = await new SlackHarness(knowledge, {
      scopes: options.scopes ?? [...manifestScopes(), 'users:read.email'],
      users: [
        { id: USER, name: 'aiko', real_name: 'Aiko Test', locale: 'en-US', email: 'aiko@example.com' },
        { id: TECH, name: 'kenji', real_name: 'Kenji Sato', locale: 'en-US', email: 'kenji@example.com' },
      ],
      settings: {
        technicianChannel: options.technicianChannel === undefined ? TECH_CHANNEL : options.technicianChannel,
        technicians: [TECH],
      },
      remote,
    }).start();
    const notifier = slack.connector.notifier;
    assert.ok(notifier, 'the connector exposes its notifier');
    remote.attach(slack.bot, notifier);
  }

  afterEach(async () => {
    await slack?.stop();
    assert.deepEqual(slack.api.problems, [], 'every Web API call had the documented shape');
  });

  /**
   * The user's conversation to the diagnostics step, then "Run it for me": the approval card. A code the
   * KB does not describe gets the generic Windows Update plan, whose fourth step (check-disk-space) runs
   * Get-UpdateHealth.
   */
  async function requestRun(): Promise<PostedMessage> {
    await slack.dm(USER, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await slack.press(slack.card(DM), "Didn't help", USER);
    const step = slack.card(DM);
    assert.match(textOf(step), /Step 4 of 8/);
    assert.ok(
      buttonsOf(step).some((b) => b.text.text === 'Run it for me'),
      'the step card offers the run',
    );
    await slack.press(step, 'Run it for me', USER);
    assert.equal(remote.requests.length, 1);
    const cards = slack.posted(TECH_CHANNEL);
    assert.equal(cards.length, 1, 'one approval card in the technicians’ channel');
    return cards[0] as PostedMessage;
  }

  it('"Run it for me" posts the approval card; a rejection with a typed reason reaches the core and updates it in place', async () => {
    await start();
    const card = await requestRun();
    const request = remote.requests[0];
    assert.equal(request?.runbook, 'Get-UpdateHealth');
    assert.equal(request?.conversationKey, `slack:T0001:${DM}`);
    assert.equal(request?.requester.email, 'aiko@example.com', 'the e-mail from users.info is passed on');
    assert.equal(card.thread_ts, undefined, 'the card starts its own thread');
    assert.match(textOf(card), /Remote run requested: Get-UpdateHealth on PC-0042/);
    assert.match(textOf(card), /\*PC \(worker group\)\*\nPC-0042 \(hrw-pc-0042\)/);
    assert.ok(hasInput(card), 'the reason field while pending');
    const values = buttonsOf(card).map((b) => JSON.parse(b.value).action);
    assert.deepEqual(values, [
      { verb: 'approve', request: 'req-1', digest: 'digest-of-req-1' },
      { verb: 'reject', request: 'req-1', digest: 'digest-of-req-1' },
    ]);
    assert.equal(
      await slack.references.getCardMessage('slack', 'approval:req-1'),
      `${TECH_CHANNEL}|${card.ts}`,
      'where the card is survives a restart (reference store)',
    );
    // The user was told, and the step card closed.
    const told = slack.posted(DM).at(-1);
    assert.match(textOf(told), /Requested\* {2}I asked a technician to approve running this on PC-0042/);
    const postsToUser = slack.posted(DM).length;

    const result = await slack.send(pressWithReason(card, 'Reject', TECH, 'I will call Aiko first'));
    assert.equal(result.status, 200);
    assert.equal(remote.presses.length, 1);
    const press = remote.presses[0];
    assert.equal(press?.action.verb, 'reject');
    assert.deepEqual(press?.fields, { reason: 'I will call Aiko first' });
    assert.equal(press?.user.id, TECH);
    assert.equal(press?.user.name, 'Kenji Sato');
    assert.equal(press?.user.email, 'kenji@example.com');

    const updates = slack.api.of('chat.update').filter((c) => c.params.channel === TECH_CHANNEL);
    assert.equal(updates.length, 1, 'the card was updated, not posted again');
    assert.equal(updates[0]?.params.ts, card.ts);
    assert.equal(slack.posted(TECH_CHANNEL).length, 1);
    const updated = slack.posted(TECH_CHANNEL)[0];
    assert.ok(!hasButtons(updated) && !hasInput(updated), 'no buttons, no reason field once decided');
    assert.match(
      textOf(updated),
      /Rejected by Kenji Sato at 2026-03-02 09:05 UTC \(reason: I will call Aiko first\)/,
    );

    assert.equal(slack.api.ephemerals.length, 1, 'the presser’s answer, to the presser only');
    const ephemeral = slack.api.ephemerals[0]?.params ?? {};
    assert.deepEqual(
      [ephemeral.channel, ephemeral.user, ephemeral.thread_ts],
      [TECH_CHANNEL, TECH, undefined],
    );
    assert.equal(ephemeral.text, 'Rejected. The requester has been told.');

    const toUser = slack.posted(DM).slice(postsToUser);
    assert.match(
      textOf(toUser[0]),
      /Rejected\* {2}Kenji Sato declined the remote run\. Reason: I will call Aiko first/,
    );
    const again = slack.card(DM);
    assert.match(textOf(again), /Step 4 of 8/, 'the step card is back, in the user’s DM');
    assert.ok(toUser.every((m) => m.thread_ts === undefined));
    assert.equal(
      (await slack.state(`T0001:${DM}`))?.remote,
      null,
      'the proactive turn moved the user’s conversation',
    );
  });

  it('an approval: the card shows the job with Stop, the output goes to its thread, the user hears each stage', async () => {
    await start();
    const card = await requestRun();
    await slack.send(pressWithReason(card, 'Approve', TECH, null));
    assert.equal(remote.presses[0]?.fields, undefined, 'nothing typed, no fields');
    let shown = slack.posted(TECH_CHANNEL)[0];
    assert.match(textOf(shown), /Approved by Kenji Sato/);
    assert.match(textOf(shown), /Job: Queued/);
    assert.ok(!hasInput(shown));
    assert.deepEqual(
      buttonsOf(shown as PostedMessage).map((b) => JSON.parse(b.value).action),
      [{ verb: 'stop-job', request: 'req-1' }],
    );
    assert.match(textOf(slack.posted(DM).at(-1)), /Kenji Sato approved it\. It will start on PC-0042/);

    // Stop: the core answers the presser; the card stays as it is.
    await slack.press(shown as PostedMessage, 'Stop the job', TECH);
    assert.equal(remote.presses.at(-1)?.action.verb, 'stop-job');
    assert.equal(slack.api.ephemerals.at(-1)?.params.text, 'Asked Azure Automation to stop the job.');

    // The job ends (as the poller would report it, outside any Slack request).
    const output = 'Events: 3\nLast error: 0x80070002 <KB5034441> & more';
    await remote.finish('req-1', output);
    await slack.connector.idle();
    shown = slack.posted(TECH_CHANNEL)[0];
    assert.ok(!hasButtons(shown), 'a finished job has no Stop');
    assert.match(textOf(shown), /Job: Completed — ok/);
    const thread = slack.posted(TECH_CHANNEL, card.ts);
    assert.equal(thread.length, 1, 'the output as a reply in the card’s thread');
    assert.match(textOf(thread[0]), /Result of Get-UpdateHealth \(Completed\):/);
    assert.match(textOf(thread[0]), /Last error: 0x80070002 <KB5034441> & more/, 'verbatim');
    assert.equal(slack.api.of('chat.update').filter((c) => c.params.ts === card.ts).length, 2);
    const last = slack.posted(DM).slice(-4).map(textOf);
    // A diagnostics run whose result carries no facts: said so, and the step is left to the user.
    assert.match(
      last[1] ?? '',
      /^:white_check_mark: \*Finished\* {2}The diagnostics ran on PC-0042 but reported nothing I can use/,
    );
    assert.match(last[2] ?? '', /follow the steps on the card yourself/);
    assert.match(last[3] ?? '', /^Step 4 of 8/, 'the step card again, to report how the retry went');
    assert.deepEqual(slack.logger.at('error'), []);
  });

  it('a press from someone the core refuses is answered to them alone, and changes no card', async () => {
    await start();
    const card = await requestRun();
    const forged = structuredClone(card);
    for (const block of forged.blocks)
      if (block.type === 'actions')
        for (const button of block.elements as { value: string }[])
          button.value = button.value.replace('digest-of-req-1', 'forged');
    await slack.send(pressWithReason(forged, 'Approve', TECH, null));
    assert.equal(slack.api.of('chat.update').filter((c) => c.params.channel === TECH_CHANNEL).length, 0);
    assert.equal(slack.api.ephemerals.at(-1)?.params.text, 'Refused: this card does not match.');
    assert.equal(slack.api.ephemerals.at(-1)?.params.user, TECH);
  });

  it('without users:read.email the e-mail is simply absent', async () => {
    await start({ scopes: manifestScopes() });
    const card = await requestRun();
    assert.equal(remote.requests[0]?.requester.email, undefined);
    await slack.send(pressWithReason(card, 'Reject', TECH, 'no'));
    assert.equal(remote.presses[0]?.user.email, undefined);
    assert.equal(remote.presses[0]?.user.name, 'Kenji Sato');
  });

  it('without a technicians’ channel the request is reported once and waits; the user is still answered', async () => {
    await start({ technicianChannel: null });
    await slack.dm(USER, DM, 'Windows Update fails with 0x8007045b on Windows 11 23H2');
    for (let i = 0; i < 3; i++) await slack.press(slack.card(DM), "Didn't help", USER);
    await slack.press(slack.card(DM), 'Run it for me', USER);
    assert.equal(remote.requests.length, 1);
    const errors = slack.logger.at('error');
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /req-1 not posted: SLACK_TECHNICIAN_CHANNEL is not set.*expires/);
    const record = remote.records.get('req-1');
    assert.ok(record);
    const notifier = slack.connector.notifier;
    assert.ok(notifier);
    await notifier.postApproval('slack', remote.card(record));
    await notifier.updateApproval('slack', remote.card({ ...record, status: 'expired' }));
    assert.equal(slack.logger.at('error').length, 1, 'once per request');
    assert.ok(slack.api.messages.every((m) => m.channel === DM));
    assert.match(textOf(slack.posted(DM).at(-1)), /asked a technician to approve/);
  });
});

describe('SlackNotifier on its own (fake Web API)', function () {
  this.timeout(20000);
  let knowledge: Knowledge;
  let api: FakeSlackApi;
  let logger: RecordingLogger;
  let references: InMemoryReferenceStore;

  before(() => {
    knowledge = createKnowledge();
  });

  beforeEach(async () => {
    api = new FakeSlackApi({ scopes: manifestScopes(), notInChannels: ['C0000GONE1'] });
    await api.start();
    logger = new RecordingLogger();
    references = new InMemoryReferenceStore();
  });

  afterEach(async () => {
    await api.stop();
    assert.deepEqual(api.problems, []);
  });

  async function notifierFor(technicianChannel: string | null) {
    const client = new webApi.WebClient('xoxb-test-token', {
      slackApiUrl: api.url,
      retryConfig: { retries: 0 },
    });
    return new SlackNotifier({ client, references, technicianChannel, logger });
  }

  function record(extra: Partial<ApprovalRecord> = {}): ApprovalRecord {
    return {
      id: 'req-9',
      conversationKey: 'slack:T0001:C0000USERS:1712100000.000001',
      requester: 'slack:U0000USER1',
      stepId: 'check-update-history',
      runbook: 'Get-UpdateHealth',
      parameters: { EventDays: '30' },
      computerName: 'PC-0042',
      workerGroup: 'hrw-pc-0042',
      status: 'pending',
      requestedAt: '2026-03-02T09:00:00.000Z',
      expiresAt: '2026-03-02T09:30:00.000Z',
      decidedBy: null,
      decidedAt: null,
      note: null,
      digest: 'dg',
      context: { requesterId: 'U0000USER1', requesterName: 'Aiko', code: '0x80070002', tried: [] },
      ...extra,
    };
  }

  const card = (r: ApprovalRecord, job: CardJob | null = null) => new RecordingRemote(knowledge).card(r, job);

  it('posts, then updates the same message after a restart (new notifier, same reference store)', async () => {
    const first = await notifierFor(TECH_CHANNEL);
    await first.postApproval('slack', card(record()));
    assert.equal(api.messages.length, 1);
    const posted = api.messages[0];
    assert.ok(posted && hasInput(posted) && hasButtons(posted));
    assert.deepEqual(await first.cardMessage('req-9'), { channel: TECH_CHANNEL, ts: posted.ts });

    const second = await notifierFor(TECH_CHANNEL);
    await second.updateApproval(
      'slack',
      card(record({ status: 'expired', decidedAt: '2026-03-02T09:30:00Z' })),
    );
    assert.equal(api.of('chat.update').length, 1);
    assert.equal(api.messages.length, 1);
    assert.ok(!hasInput(api.messages[0]) && !hasButtons(api.messages[0]));
    assert.match(textOf(api.messages[0]), /Expired at 2026-03-02 09:30 UTC with no decision/);
    await second.toTechnicians('slack', 'req-9', 'Result:\nnothing');
    assert.equal(api.messages.at(-1)?.thread_ts, posted.ts);
  });

  it('ignores other platforms, and logs (never throws) what Slack refuses', async () => {
    const notifier = await notifierFor('C0000GONE1');
    await notifier.postApproval('teams', card(record()));
    await notifier.updateApproval('teams', card(record()));
    await notifier.toTechnicians('teams', 'req-9', 'x');
    await notifier.toConversation('teams:a:b', [{ kind: 'text', id: 't', text: 'hi' }]);
    assert.deepEqual(api.calls, []);

    await notifier.postApproval('slack', card(record()));
    assert.match(
      logger.at('error').join('\n'),
      /posting approval request req-9 to C0000GONE1 failed: not_in_channel/,
    );
    await notifier.updateApproval('slack', card(record()));
    assert.match(logger.at('warn').join('\n'), /no card known for approval request req-9/);
    await references.saveCardMessage('slack', 'approval:req-9', `${TECH_CHANNEL}|1712000000.999999`);
    await notifier.updateApproval('slack', card(record()));
    assert.match(
      logger.at('warn').join('\n'),
      /chat\.update of approval request req-9 failed: message_not_found/,
    );
    assert.deepEqual(api.problems.splice(0), [
      `chat.update: no message 1712000000.999999 in ${TECH_CHANNEL}`,
    ]);
  });

  it('delivers proactive messages to a thread conversation, even with no reference kept', async () => {
    const notifier = await notifierFor(TECH_CHANNEL);
    await notifier.toConversation('slack:T0001:C0000USERS:1712100000.000001', [
      { kind: 'text', id: 'm1', text: 'Kenji approved it.' },
      {
        kind: 'job-status',
        id: 'm2',
        requestId: 'req-9',
        stage: 'approved',
        ok: null,
        status: 'Approved',
        text: 'It will start shortly.',
      },
    ]);
    await notifier.idle();
    assert.deepEqual(
      api.messages.map((m) => [m.channel, m.thread_ts]),
      [
        ['C0000USERS', '1712100000.000001'],
        ['C0000USERS', '1712100000.000001'],
      ],
    );
    assert.match(textOf(api.messages[1]), /Approved\* {2}It will start shortly\./);
    await assert.rejects(
      notifier.toConversation('slack:nonsense', [{ kind: 'text', id: 'm3', text: 'x' }]),
      /cannot tell where conversation nonsense is/,
    );
    assert.match(logger.at('error').join('\n'), /cannot tell where conversation nonsense is/);
  });
});
