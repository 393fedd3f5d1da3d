/**
 * Plans that learn, wired (issue 17): synthetic outcome histories in PGlite and PostgreSQL re-order the
 * employee's part of a real plan through the bot, `winfix triage --json` and its text; the minimum,
 * the "off" switch, the safety rules, the step card's sentence in three languages and renderers, and
 * the counts' cache.
 */
import assert from 'node:assert/strict';
import { type Clock, createBot } from '../../../bot';
import { renderText } from '../../../connectors/console/render-text';
import { renderMessage } from '../../../connectors/slack/block-kit';
import { openStorage, type Storage } from '../../../connectors/storage';
import { SqlOutcomeCounts } from '../../../connectors/storage/outcome-counts';
import { adaptiveCardFor } from '../../../connectors/teams/adaptive-cards';
import { createKnowledge } from '../../../rules/knowledge';
import type { TriageResult } from '../../../rules/triage';
import { ChatDriver } from '../../bot/chat-driver';
import { runCli } from '../../helpers/run-cli';
import { BACKENDS, createTestDatabase, type TestDatabase } from './test-databases';

const CODE = '0x80070002';
const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';
/** The sources' order for MESSAGE (seed 004): restart, clock, troubleshooter, … */
const SOURCES = ['restart-and-retry', 'sync-clock', 'wu-troubleshooter'];

let serial = 0;

/** Records `tried` outcomes of a step for (CODE, windows-update, family), `fixed` of them fixing it. */
async function history(
  storage: Storage,
  step: string,
  fixed: number,
  tried: number,
  osFamily = 'windows-11',
): Promise<void> {
  for (let i = 0; i < tried; i++) {
    serial += 1;
    await storage.outcomes.record({
      key: `h-${serial}`,
      conversationKey: `test:case-${serial}`,
      code: CODE,
      context: 'windows-update',
      osFamily,
      osBuild: null,
      stepId: step,
      outcome: i < fixed ? 'fixed' : 'didnt-help',
      fixed: i < fixed,
      caseResult: i < fixed ? 'resolved' : 'handed-off',
      at: new Date('2026-11-01T10:00:00Z'),
    });
  }
}

async function triageJson(env: NodeJS.ProcessEnv, ...args: string[]): Promise<TriageResult> {
  const run = await runCli(['triage', '--json', ...args, MESSAGE], env);
  assert.equal(run.code, 0, run.err);
  return JSON.parse(run.out) as TriageResult;
}

const fixedClock = (at: string): Clock & { at: Date } => {
  const c = { at: new Date(at), now: () => c.at };
  return c;
};

for (const backend of BACKENDS) {
  describe(`plans that learn, wired (${backend})`, function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let sources: TriageResult;

    before(async () => {
      database = await createTestDatabase(backend);
      const storage = await openStorage(database.options);
      try {
        // The troubleshooter fixed it for 14 of 20 colleagues; restarting for 1 of 20. The clock step
        // has 19 outcomes only: below the minimum, it keeps its place.
        await history(storage, 'wu-troubleshooter', 14, 20);
        await history(storage, 'restart-and-retry', 1, 20);
        await history(storage, 'sync-clock', 19, 19);
        // Plenty of success for a technician's destructive step: it must not move forward.
        await history(storage, 'clean-install', 30, 30);
        // Windows 10 has another history, which must not count for Windows 11.
        await history(storage, 'restart-and-retry', 25, 25, 'windows-10');
      } finally {
        await storage.close();
      }
      sources = await triageJson({ ...database.env, WINFIX_LEARN_MINIMUM: 'off' });
    });
    after(() => database.drop());

    it('triage --json: measured steps swap places, each says where its position came from', async () => {
      assert.deepEqual(
        sources.plan.slice(0, 3).map((p) => [p.id, p.order]),
        SOURCES.map((id) => [id, 'sources']),
        'learning off: the sources order',
      );
      const learned = await triageJson(database.env);
      assert.deepEqual(
        learned.plan.slice(0, 3).map((p) => [p.id, p.order, p.measured]),
        [
          ['wu-troubleshooter', 'outcomes', { tried: 20, fixed: 14 }],
          ['sync-clock', 'sources', null],
          ['restart-and-retry', 'outcomes', { tried: 20, fixed: 1 }],
        ],
      );
      assert.deepEqual(
        learned.plan.slice(3).map((p) => [p.id, p.order]),
        sources.plan.slice(3).map((p) => [p.id, 'sources']),
        'the rest of the part stands',
      );
      assert.deepEqual(
        [...learned.plan.map((p) => p.id)].sort(),
        [...sources.plan.map((p) => p.id)].sort(),
        'no step dropped or added',
      );
      assert.deepEqual(
        learned.technician.map((p) => [p.id, p.order]),
        sources.technician.map((p) => [p.id, 'sources']),
        "the technician's part (and its destructive steps) never moves",
      );
      assert.ok(learned.technician.some((p) => p.id === 'clean-install'));
    });

    it('triage: a minimum above the counts keeps the sources order; the text marks moved steps', async () => {
      const high = await triageJson({ ...database.env, WINFIX_LEARN_MINIMUM: '21' });
      assert.deepEqual(
        high.plan.map((p) => p.id),
        sources.plan.map((p) => p.id),
      );
      assert.ok(high.plan.every((p) => p.order === 'sources'));
      const text = await runCli(['triage', MESSAGE], database.env);
      assert.equal(text.code, 0, text.err);
      const lines = text.out.split('\n');
      const first = lines.findIndex((l) => /^ 1\. /.test(l));
      assert.match(lines[first + 1] ?? '', /↕ This step fixed it for 14 of 20 colleagues/);
      assert.equal(lines.filter((l) => l.includes('↕')).length, 2, 'two steps moved');
      const bad = await runCli(['triage', MESSAGE], { ...database.env, WINFIX_LEARN_MINIMUM: 'many' });
      assert.notEqual(bad.code, 0);
      assert.match(bad.err, /WINFIX_LEARN_MINIMUM must be a whole number/);
    });

    it('the bot plans in the learned order and its step card says why, in ja, en and ru', async () => {
      const storage = await openStorage(database.options);
      try {
        const knowledge = createKnowledge();
        const counts = new SqlOutcomeCounts(storage.db, { clock: storage.clock, log: storage.log });
        const bot = createBot({ knowledge, learning: { counts, minimum: 20 }, employeesAreAdmins: 'yes' });
        const expected: [string, string, RegExp][] = [
          ['en', MESSAGE, /This step fixed it for 14 of 20 colleagues with the same error/],
          [
            'ja',
            'Windows 11 23H2 の Windows Update で 0x80070002 のエラーです',
            /同僚 20 人中 14 人がこの手順で解決/,
          ],
          [
            'ru',
            'Ошибка 0x80070002 в Центре обновления Windows на Windows 11 23H2',
            /Этот шаг помог 14 из 20 коллег/,
          ],
        ];
        for (const [locale, message, sentence] of expected) {
          const chat = new ChatDriver(bot, `c-${locale}`, { id: `u-${locale}`, locale });
          await chat.say(message);
          const card = chat.step();
          assert.equal(card.stepId, 'wu-troubleshooter', locale);
          assert.match(card.learned ?? '', sentence);
          // Teams, Slack and the terminal all show it.
          assert.match(JSON.stringify(adaptiveCardFor(card)), sentence);
          assert.match(JSON.stringify(renderMessage(card)?.blocks), sentence);
          assert.match(renderText(card).text ?? '', sentence);
          // The next step is where the sources put it: no sentence.
          await chat.press(chat.step().choices[1]?.label ?? '');
          assert.equal(chat.step().stepId, 'sync-clock');
          assert.equal(chat.step().learned, null);
          await chat.press(chat.step().choices[1]?.label ?? '');
          assert.equal(chat.step().stepId, 'restart-and-retry');
          assert.match(chat.step().learned ?? '', /1/);
        }
        // Without learning the same message starts where the sources start.
        const plain = new ChatDriver(createBot({ knowledge, employeesAreAdmins: 'yes' }), 'c-plain');
        await plain.say(MESSAGE);
        assert.equal(plain.step().stepId, 'restart-and-retry');
        assert.equal(plain.step().learned, null);
      } finally {
        await storage.close();
      }
    });

    it('keeps counts for five minutes, then reads them again; a failed query means no counts', async () => {
      const storage = await openStorage(database.options);
      try {
        const clock = fixedClock('2026-12-01T09:00:00Z');
        const warnings: string[] = [];
        const log = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
        const counts = new SqlOutcomeCounts(storage.db, { clock, log });
        const key = { code: CODE, context: 'windows-update', osFamily: 'windows-11' };
        assert.deepEqual((await counts.measured(key)).get('sync-clock'), { tried: 19, fixed: 19 });
        await history(storage, 'sync-clock', 1, 1);
        clock.at = new Date('2026-12-01T09:04:59Z');
        assert.equal((await counts.measured(key)).get('sync-clock')?.tried, 19, 'still the kept answer');
        clock.at = new Date('2026-12-01T09:05:00Z');
        assert.equal((await counts.measured(key)).get('sync-clock')?.tried, 20, 'read again');
        const broken = new SqlOutcomeCounts(
          { query: () => Promise.reject(new Error('connection refused')) } as never,
          { clock, log },
        );
        assert.equal((await broken.measured(key)).size, 0);
        assert.match(warnings.join('\n'), /step outcome counts unavailable: connection refused/);
      } finally {
        await storage.close();
      }
    });
  });
}
