/**
 * The weekly summary (issue 17): with WINFIX_WEEKLY_SUMMARY set, `winfix serve` sends last week's
 * figures to the technicians' channels in Teams (fake Bot Connector) and Slack (fake Web API) once
 * the scheduled moment has come (an injected clock), in the technicians' language, and only once per
 * week however many instances share the database.
 */
import assert from 'node:assert/strict';
import type { CaseRecord, ConversationState } from '../../bot/conversation-state';
import { newConversation } from '../../bot/conversation-state';
import { openStorage } from '../../connectors/storage';
import {
  lastScheduled,
  parseWeeklySchedule,
  type WeeklySchedule,
  WeeklySummary,
} from '../../connectors/storage/weekly-summary';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { FakeSlackApi } from '../helpers/fake-slack-api';
import { startServe } from '../helpers/serve';

const TECHS_TEAMS = '19:technicians@thread.tacv2';
const TECHS_SLACK = 'C0000TECHS';
const SCHEDULE = parseWeeklySchedule('mon 09:00') as WeeklySchedule;
const DAY = 86_400_000;

/** Waits (polling, with a deadline) until `ready` holds. */
async function waitUntil(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function closed(
  code: string,
  result: CaseRecord['result'],
  steps: [string, 'fixed' | 'didnt-help'][],
  at: Date,
): CaseRecord {
  return {
    code,
    result,
    fixedBy: result === 'resolved' ? (steps.find(([, o]) => o === 'fixed')?.[0] ?? null) : null,
    outcomes: steps.map(([step, outcome], i) => ({
      step,
      outcome,
      at: new Date(at.getTime() + i).toISOString(),
    })),
    context: 'windows-update',
    os: { family: 'windows-11', version: '23H2', build: null },
    at: at.toISOString(),
  };
}

/** Three cases in the week before `due`: two resolved by the bot, one handed off. */
async function seed(database: TestDatabase, due: Date): Promise<void> {
  const storage = await openStorage(database.options);
  try {
    const at = (days: number) => new Date(due.getTime() - days * DAY);
    const history = [
      closed(
        '0x80070002',
        'resolved',
        [
          ['restart-and-retry', 'didnt-help'],
          ['sync-clock', 'fixed'],
        ],
        at(3),
      ),
      closed('0x80070002', 'resolved', [['sync-clock', 'fixed']], at(2)),
      closed('0x800f081f', 'handed-off', [['restart-and-retry', 'didnt-help']], at(1)),
    ];
    const state: ConversationState = {
      ...newConversation(
        'teams:a:aiko',
        { platform: 'teams', userId: 'aiko', displayName: null },
        'en',
        at(1),
      ),
      history,
      casesClosed: history.length,
    };
    await storage.conversations.save(state, 0);
  } finally {
    await storage.close();
  }
}

describe('weekly summary: the schedule', () => {
  it('reads "mon 09:00" and finds the latest such moment (UTC)', () => {
    assert.deepEqual(SCHEDULE, { day: 1, minute: 540 });
    assert.equal(parseWeeklySchedule('monday 9'), null);
    assert.equal(parseWeeklySchedule('sun 24:00'), null);
    // Wednesday 2026-12-02 → Monday 2026-11-30 09:00; Monday 08:59 → the Monday before.
    assert.equal(
      lastScheduled(new Date('2026-12-02T12:00:00Z'), SCHEDULE).toISOString(),
      '2026-11-30T09:00:00.000Z',
    );
    assert.equal(
      lastScheduled(new Date('2026-11-30T08:59:00Z'), SCHEDULE).toISOString(),
      '2026-11-23T09:00:00.000Z',
    );
    assert.equal(
      lastScheduled(new Date('2026-11-30T09:00:00Z'), SCHEDULE).toISOString(),
      '2026-11-30T09:00:00.000Z',
    );
  });
});

for (const backend of BACKENDS) {
  describe(`weekly summary: once per week (${backend})`, function () {
    this.timeout(60_000);
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.drop());

    it('two instances racing for the same week send it once; a failed send is tried again', async () => {
      const storage = await openStorage(database.options);
      try {
        const clock = { at: new Date('2026-11-30T09:01:00Z'), now: () => clock.at };
        const sent: string[] = [];
        const make = (name: string, ok = true) =>
          new WeeklySummary({
            db: storage.db,
            schedule: SCHEDULE,
            clock,
            log: storage.log,
            send: async (f) => {
              sent.push(`${name}:${f.from}..${f.to}`);
              return ok;
            },
          });
        const failing = make('broken', false);
        assert.equal(await failing.round(), 'failed');
        const rounds = await Promise.all([make('a').round(), make('b').round(), make('c').round()]);
        assert.deepEqual([...rounds].sort(), ['sent', 'taken', 'taken']);
        assert.equal(sent.length, 2, 'the failed try, then one send');
        assert.match(sent[1] ?? '', /:2026-11-23\.\.2026-11-29$/);
        clock.at = new Date('2026-12-03T09:01:00Z');
        assert.equal(await make('late').round(), 'not-due', 'more than a day late: skipped');
        clock.at = new Date('2026-12-07T09:00:30Z');
        assert.equal(await make('next').round(), 'sent', 'the next week is its own');
      } finally {
        await storage.close();
      }
    });
  });
}

describe('winfix serve: the weekly summary to Teams and Slack (PostgreSQL, two instances)', function () {
  this.timeout(60_000);
  let channel: FakeBotConnector;
  let slack: FakeSlackApi;
  let database: TestDatabase;

  before(async () => {
    channel = new FakeBotConnector();
    await channel.start();
    slack = new FakeSlackApi();
    await slack.start();
    database = await createTestDatabase('postgres');
  });
  after(async () => {
    await channel.stop();
    await slack.stop();
    await database.drop();
    assert.deepEqual(channel.problems, []);
    assert.deepEqual(slack.problems, []);
  });

  it('sends last week in the technicians’ language, once, to both channels', async () => {
    const due = lastScheduled(new Date(), SCHEDULE);
    await seed(database, due);
    const clock = { now: () => new Date(due.getTime() + 60_000) };
    const env = {
      ...database.env,
      WINFIX_WEEKLY_SUMMARY: 'mon 09:00',
      WINFIX_TECHNICIAN_LOCALE: 'ja',
      WINFIX_TEAMS_TECHNICIAN_CONVERSATION: TECHS_TEAMS,
      WINFIX_TEAMS_SERVICE_URL: channel.serviceUrl,
      SLACK_BOT_TOKEN: 'xoxb-weekly',
      SLACK_SIGNING_SECRET: 'weekly-signing-secret',
      SLACK_API_URL: slack.url,
      SLACK_TECHNICIAN_CHANNEL: TECHS_SLACK,
      WINFIX_TEAMS_TECHNICIANS: 'kenji@example.com',
      SLACK_TECHNICIANS: 'U0000KENJ1',
    };
    const hooks = { weeklySummary: { clock, everyMs: 50 } };
    const one = await startServe(env, hooks);
    const two = await startServe(env, hooks);
    try {
      await waitUntil(
        () => channel.sentTo(TECHS_TEAMS).length > 0 && slack.of('chat.postMessage').length > 0,
        'the summary in both channels',
      );
      // Several more rounds on both instances.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await one.stop();
      await two.stop();
    }
    const teams = channel.sentTo(TECHS_TEAMS);
    assert.equal(teams.length, 1, 'one Teams post');
    const teamsText = JSON.stringify(teams[0]?.activity);
    assert.match(teamsText, /先週の winfix/);
    assert.match(teamsText, /件数: 3 件 · ボットで解決: 2 件 · 担当者へ引き継ぎ: 1 件/);
    assert.match(teamsText, /0x80070002 \(2 件中 2 件解決\)/);
    const posts = slack.of('chat.postMessage');
    assert.equal(posts.length, 1, 'one Slack post');
    const body = JSON.stringify(posts[0]);
    assert.match(body, new RegExp(TECHS_SLACK));
    assert.match(body, /先週の winfix/);
    assert.match(body, /リモート実行: 依頼 0 件/);
  });
});
