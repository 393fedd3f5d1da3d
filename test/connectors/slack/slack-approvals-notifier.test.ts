/**
 * The SlackNotifier on its own, over the fake Web API: approval cards posted and updated (also after a
 * restart), the job's output in the card's thread, proactive messages, and what Slack refuses logged.
 */
import assert from 'node:assert/strict';
import { webApi } from '@slack/bolt';
import { InMemoryReferenceStore } from '../../../bot';
import { SlackNotifier } from '../../../connectors/slack';
import type { ApprovalRecord } from '../../../runs';
import { FakeSlackApi } from '../../helpers/fake-slack-api';
import { type CardJob, RecordingRemote, TECH_CHANNEL } from './slack-approvals-remote';
import { hasButtons, hasInput, RecordingLogger, slackSuite, textOf } from './slack-harness';
import { manifestScopes } from './slack-manifest';

describe('SlackNotifier on its own (fake Web API)', function () {
  this.timeout(20000);
  const suite = slackSuite();
  let api: FakeSlackApi;
  let logger: RecordingLogger;
  let references: InMemoryReferenceStore;

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

  const card = (r: ApprovalRecord, job: CardJob | null = null) =>
    new RecordingRemote(suite.knowledge).card(r, job);

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
