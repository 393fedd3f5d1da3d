/**
 * The technicians' Teams channel over HTTP (real server, real bot, fake Bot Connector channel): a
 * hand-off is copied there with who asked and from where; a channel the bot has not heard from is
 * reached with a reference built from the settings; a post the channel refuses (403/404: the bot is not
 * in the team yet) is kept and posted once the bot is added (conversationUpdate) or someone writes
 * there; /readyz says "technicians' channel unreachable" meanwhile.
 */
import assert from 'node:assert/strict';
import type { ApprovalMessage } from '../../../bot';
import { PLATFORM, TeamsNotifier, TeamsTechniciansUnreachableError } from '../../../connectors/teams';
import { cardOf, cardText, submitActions, type TeamsUser } from '../../helpers/teams-user';
import { type Harness, startHarness } from './harness';

const TECHS = '19:technicians@thread.tacv2';
const AIKO = 'a:aiko-handoff';

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("Teams connector: the technicians' channel", () => {
  let h: Harness;
  const techsCards = () => h.channel.sentTo(TECHS).map((c) => cardText(cardOf(c.activity)));

  const start = (serviceUrl?: string) =>
    startHarness((channel) => ({
      technicians: {
        conversationId: TECHS,
        tenantId: 'tenant-1',
        serviceUrl: serviceUrl ?? channel.serviceUrl,
      },
    }));
  const aiko = () => h.user(AIKO, { userId: '29:aiko', name: 'Aiko Tanaka', aadObjectId: 'aad-aiko' });
  const kenji = (conversationId = TECHS) =>
    h.user(conversationId, { userId: '29:kenji', name: 'Kenji Sato', conversationType: 'channel' });
  /** Teams tells the bot it was added to the team: a conversationUpdate in the team's channel. */
  const botAdded = (user: TeamsUser) =>
    user.post(
      user.activity({
        type: 'conversationUpdate',
        membersAdded: [{ id: '28:winfix-bot' }],
        channelData: {
          tenant: { id: 'tenant-1' },
          team: { id: '19:team@thread.tacv2' },
          eventType: 'teamMemberAdded',
        },
      }),
    );
  const askForTechnician = async (user: TeamsUser) => {
    await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    const r = await user.say('担当者と話したい');
    assert.equal(r.status, 200);
    assert.ok(
      user
        .sent()
        .some((s) => cardOf(s.activity) && /handed|technician|担当/i.test(cardText(cardOf(s.activity)))),
      `the employee got the hand-off: ${user
        .sent()
        .map((s) => cardText(cardOf(s.activity)) || s.activity.text)
        .join('\n---\n')}`,
    );
  };

  afterEach(async () => {
    await h.close();
    assert.deepEqual(
      h.channel.problems,
      [],
      'everything sent matches the Bot Framework spec and Adaptive Cards',
    );
  });

  it('copies a hand-off to the technicians with who asked and from which conversation', async () => {
    h = await start();
    await kenji().say('hello');
    const user = aiko();
    await askForTechnician(user);
    await h.service.connector.idle();
    const posted = h.channel.sentTo(TECHS).filter((c) => c.kind === 'send');
    assert.equal(posted.length, 1, 'one new message in the technicians channel');
    const text = cardText(cardOf(posted[0]?.activity));
    assert.match(
      text,
      /^🆘 Hand-off from Aiko Tanaka in a personal chat with the bot · asked for a technician\n/,
    );
    assert.match(text, /Conversation a:aiko-handoff · Entra object id aad-aiko/);
    assert.match(text, /0x80070002/);
    assert.match(text, /担当者と話したい/, "the employee's words are in the summary");
    assert.equal(
      posted[0]?.activity.summary,
      '🆘 Hand-off from Aiko Tanaka in a personal chat with the bot · asked for a technician',
    );
    assert.deepEqual(h.log.of('error'), []);
  });

  it('reaches a channel it has never heard from with a reference built from the id, tenant and service URL, and keeps it', async () => {
    h = await start();
    assert.equal(await h.references.getReference(PLATFORM, TECHS), null);
    await askForTechnician(aiko());
    await h.service.connector.idle();
    const [call] = h.channel.sentTo(TECHS);
    assert.ok(call, 'posted to the channel conversation id');
    assert.equal(call.kind, 'send');
    assert.deepEqual(call.activity.conversation, {
      id: TECHS,
      isGroup: true,
      conversationType: 'channel',
      tenantId: 'tenant-1',
    });
    const stored = (await h.references.getReference(PLATFORM, TECHS)) as { serviceUrl: string } | null;
    assert.equal(stored?.serviceUrl, h.channel.serviceUrl, 'the reference that worked is stored');
    assert.equal((await readyz(h.url)).status, 200);
  });

  it('a channel that refuses (403: the bot is not in the team): the turn goes on, the hand-off is kept, /readyz says unreachable; the bot is added → posted', async () => {
    h = await start();
    h.channel.failure = { status: 403, conversationId: TECHS };
    const user = aiko();
    await askForTechnician(user);
    await h.service.connector.idle();
    assert.equal(h.channel.sentTo(TECHS).length, 0);
    assert.ok(
      h.log
        .of('error')
        .some((l) =>
          /winfix_teams_technicians_unreachable: the hand-off from Aiko Tanaka.*winfix_teams_conversation_gone/.test(
            l,
          ),
        ),
      h.log.of('error').join('\n'),
    );
    let ready = await readyz(h.url);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'unready');
    assert.equal(ready.body.code, 'winfix_teams_technicians_unreachable');
    assert.match(String(ready.body.reason), /^technicians' channel unreachable/);
    assert.deepEqual(ready.body.technicians, {
      conversationId: TECHS,
      pending: 1,
      error: 'winfix_teams_conversation_gone',
      status: 'unreachable',
    });
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200, 'the process itself is alive');

    // Still not in the team: another employee's turn does not post it either, and nothing is lost.
    h.channel.failure = { status: 404, conversationId: TECHS };
    await h.service.connector.technicians?.flush();
    assert.equal(h.channel.sentTo(TECHS).length, 0);

    // The bot is added to the technicians' team: Teams sends a conversationUpdate there.
    h.channel.failure = null;
    const added = await botAdded(kenji());
    assert.equal(added.status, 200);
    await h.service.connector.idle();
    assert.equal(techsCards().length, 1, 'the kept hand-off was posted once');
    assert.match(techsCards()[0] ?? '', /^🆘 Hand-off from Aiko Tanaka/);
    ready = await readyz(h.url);
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal((ready.body.technicians as { status: string }).status, 'reachable');
  });

  it('learns the service URL from the bot being added to a team, and posts what was kept there', async () => {
    // A wrong service URL (nothing listens there): the first post cannot reach anything.
    h = await start('http://127.0.0.1:9/');
    await askForTechnician(aiko());
    await h.service.connector.idle();
    assert.equal(h.channel.sentTo(TECHS).length, 0);
    assert.ok(
      h.log
        .of('error')
        .some((l) => /winfix_teams_technicians_unreachable.*winfix_teams_delivery_failed/.test(l)),
    );
    // Added to the team; Teams' update comes from the team's General channel, not the technicians' one.
    await botAdded(kenji('19:general@thread.tacv2'));
    await h.service.connector.idle();
    assert.equal(techsCards().length, 1);
    assert.match(techsCards()[0] ?? '', /^🆘 Hand-off from Aiko Tanaka/);
  });

  it("stores the channel's reference from a message in one of its threads, under the channel's id", async () => {
    h = await start('http://127.0.0.1:9/');
    await kenji(`${TECHS};messageid=1700000000000`).say('hello');
    await h.service.connector.idle();
    const stored = (await h.references.getReference(PLATFORM, TECHS)) as {
      serviceUrl: string;
      conversation: { id: string };
    } | null;
    assert.equal(stored?.conversation.id, TECHS);
    assert.equal(stored?.serviceUrl, h.channel.serviceUrl);
    assert.equal((await readyz(h.url)).status, 200);
    await askForTechnician(aiko());
    await h.service.connector.idle();
    assert.equal(
      h.channel.sentTo(TECHS).filter((c) => c.kind === 'send').length,
      1,
      'a new post in the channel, not in the thread',
    );
  });

  it('/readyz: 503 while configured with no reference and nothing delivered; 200 once the bot hears from the channel; 200 when not configured', async () => {
    h = await start();
    const before = await readyz(h.url);
    assert.equal(before.status, 503);
    assert.equal((before.body.technicians as { status: string }).status, 'no-reference');
    assert.match(String(before.body.reason), /add the bot to the technicians' team/);
    await kenji().say('hello');
    await h.service.connector.idle();
    assert.equal((await readyz(h.url)).status, 200);
    await h.close();
    h = await startHarness();
    const off = await readyz(h.url);
    assert.equal(off.status, 200);
    assert.deepEqual(off.body, { status: 'ready', technicians: 'not configured' });
  });

  it('the notifier: postApproval throws winfix_teams_technicians_unreachable (kept); a redraw meanwhile replaces the kept card; posted once reachable, then updated in place', async () => {
    h = await start();
    const connector = h.service.connector;
    const notifier = new TeamsNotifier({ connector, technicians: connector.technicians, log: h.log });
    const approval = (status: ApprovalMessage['status'], decision: string | null): ApprovalMessage => ({
      kind: 'approval',
      id: 'approval-r1',
      requestId: 'r1',
      status,
      heading: 'Remote run requested: Get-UpdateHealth on PC-0042',
      facts: [{ label: 'Requested by', value: 'Aiko Tanaka' }],
      tried: [],
      triedLabel: 'Tried',
      decision,
      job: null,
      dryRunNotice: null,
      reasonInput: null,
      choices:
        status === 'pending'
          ? [{ label: 'Approve', style: 'primary', action: { verb: 'approve', request: 'r1' } as never }]
          : [],
      text: `Remote run requested (${status})`,
    });
    h.channel.failure = { status: 403, conversationId: TECHS };
    await assert.rejects(notifier.postApproval('teams', approval('pending', null)), (error: unknown) => {
      assert.ok(error instanceof TeamsTechniciansUnreachableError);
      assert.equal(error.code, 'winfix_teams_technicians_unreachable');
      assert.equal(error.queued, true);
      assert.equal(error.conversationId, TECHS);
      return true;
    });
    // The request lapses before anyone could see it: the kept card becomes the lapsed one (no throw).
    await notifier.updateApproval('teams', approval('expired', 'Expired at 10:30 UTC'));
    await notifier.toTechnicians('teams', 'r1', 'a note about r1');
    assert.equal(h.channel.sentTo(TECHS).length, 0);
    assert.equal((await readyz(h.url)).status, 503);

    h.channel.failure = null;
    await botAdded(kenji());
    await h.service.connector.idle();
    const posted = h.channel.sentTo(TECHS).filter((c) => c.kind === 'send');
    assert.equal(posted.length, 2, 'the card, then the note, in order');
    assert.match(cardText(cardOf(posted[0]?.activity)), /Expired at 10:30 UTC/);
    assert.deepEqual(submitActions(cardOf(posted[0]?.activity)), [], 'the lapsed card has nothing to press');
    assert.equal(posted[1]?.activity.text, 'a note about r1');

    // Posted now: a later redraw is an in-place update of that activity.
    await notifier.updateApproval('teams', approval('expired', 'Expired at 10:30 UTC (redrawn)'));
    const updates = h.channel.updatesOf(posted[0]?.id as string);
    assert.equal(updates.length, 1);
    assert.match(cardText(cardOf(updates[0]?.activity)), /redrawn/);
  });

  it('the notifier without a technicians channel: postApproval throws (not queued)', async () => {
    h = await startHarness();
    const notifier = new TeamsNotifier({ connector: h.service.connector, technicians: null, log: h.log });
    await assert.rejects(
      notifier.postApproval('teams', { kind: 'approval', requestId: 'r2' } as ApprovalMessage),
      (error: unknown) => error instanceof TeamsTechniciansUnreachableError && !error.queued,
    );
    assert.ok(h.log.of('error').some((l) => /WINFIX_TEAMS_TECHNICIAN_CONVERSATION is not set/.test(l)));
  });
});
