import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaseRecord, ConversationState } from '../../bot/conversation-state';
import { newConversation } from '../../bot/conversation-state';
import { openStorage } from '../../connectors/storage';
import { measuredSteps } from '../../connectors/storage/report-queries';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../connectors/storage/test-databases';
import { findChromium, withChromium } from '../helpers/chromium';
import { runCli } from '../helpers/run-cli';

const DAY = 86_400_000;

/** A closed case: steps tried in order; the last one fixed it when `result` is resolved. */
function closed(
  code: string,
  context: string,
  result: CaseRecord['result'],
  steps: [string, 'fixed' | 'didnt-help' | 'skipped'][],
  at: Date,
): CaseRecord {
  const fixed = steps.find(([, o]) => o === 'fixed');
  return {
    code,
    result,
    fixedBy: result === 'resolved' && fixed ? fixed[0] : null,
    outcomes: steps.map(([step, outcome], i) => ({
      step,
      outcome,
      at: new Date(at.getTime() + i).toISOString(),
    })),
    context: context as CaseRecord['context'],
    os: { family: 'windows-11', build: '22631' } as CaseRecord['os'],
    at: at.toISOString(),
  };
}

/** Saves one conversation per case list through the real conversation store. */
async function saveCases(
  database: TestDatabase,
  platform: 'teams' | 'slack',
  user: string,
  cases: CaseRecord[],
) {
  const storage = await openStorage(database.options);
  try {
    const at = new Date(cases[cases.length - 1]?.at ?? Date.now());
    const state: ConversationState = {
      ...newConversation(
        `${platform}:${user}`,
        { platform, userId: user } as ConversationState['who'],
        'en',
        at,
      ),
      history: cases,
      casesClosed: cases.length,
    };
    await storage.conversations.save(state, 0);
  } finally {
    await storage.close();
  }
}

for (const backend of BACKENDS) {
  describe(`winfix report [${backend}]`, () => {
    let database: TestDatabase;
    const now = Date.now();
    before(async () => {
      database = await createTestDatabase(backend);
      const recent = (d: number) => new Date(now - d * DAY);
      await saveCases(database, 'teams', 'aiko', [
        closed(
          '0x80070005',
          'windows-update',
          'resolved',
          [
            ['restart', 'didnt-help'],
            ['wu-reset', 'fixed'],
          ],
          recent(3),
        ),
        closed('0x80070005', 'windows-update', 'resolved', [['restart', 'fixed']], recent(2)),
        closed(
          '0x80070005',
          'windows-update',
          'handed-off',
          [
            ['restart', 'didnt-help'],
            ['wu-reset', 'skipped'],
          ],
          recent(1),
        ),
      ]);
      await saveCases(database, 'slack', 'U1', [
        closed('0x800f081f', 'windows-update', 'abandoned', [['dism', 'didnt-help']], recent(4)),
        // Older than 30 days: outside the default window.
        closed('0x800f081f', 'windows-update', 'resolved', [['dism', 'fixed']], recent(45)),
      ]);
    });
    after(() => database.drop());

    it('counts cases, resolution per code, step outcomes and platforms in the last 30 days', async () => {
      const run = await runCli(['report', '--json'], database.env);
      assert.equal(run.code, 0, run.err);
      const r = JSON.parse(run.out);
      assert.deepEqual(r.cases, { opened: 4, resolved: 2, handedOff: 1, abandoned: 1 });
      const wu = r.codes.find((c: { code: string }) => c.code === '0x80070005');
      assert.deepEqual(
        [wu.context, wu.cases, wu.resolved, Math.round(wu.resolutionRate * 100), wu.medianSteps],
        ['windows-update', 3, 2, 67, 1.5],
      );
      const restart = r.steps.find((s: { stepId: string }) => s.stepId === 'restart');
      assert.deepEqual([restart.shown, restart.fixed, restart.didntHelp, restart.skipped], [3, 1, 2, 0]);
      const reset = r.steps.find((s: { stepId: string }) => s.stepId === 'wu-reset');
      assert.deepEqual([reset.shown, reset.fixed, reset.skipped], [2, 1, 1]);
      assert.deepEqual(r.platforms, [
        { platform: 'teams', cases: 3, resolved: 2 },
        { platform: 'slack', cases: 1, resolved: 0 },
      ]);
      assert.deepEqual(r.remoteRuns, {
        requested: 0,
        approved: 0,
        rejected: 0,
        expired: 0,
        succeeded: 0,
        failed: 0,
      });
    });

    it('widens the window with --since and prints text', async () => {
      const all = JSON.parse((await runCli(['report', '--json', '--since', '8w'], database.env)).out);
      assert.equal(all.cases.opened, 5);
      assert.equal(all.steps.find((s: { stepId: string }) => s.stepId === 'dism').fixed, 1);
      const text = await runCli(['report'], database.env);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /Cases: 4 closed — resolved by the bot 2, handed off 1, abandoned 1/);
      assert.match(text.out, /0x80070005 windows-update {2}3 {2}2 {2}67% {2}1\.5/);
    });

    it('writes a self-contained HTML page whose charts draw the report in headless Chromium', async function () {
      this.timeout(60_000);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'winfix-report-')), 'report.html');
      const run = await runCli(['report', '--json', '--html', file], database.env);
      assert.equal(run.code, 0, run.err);
      const report = JSON.parse(run.out);
      const html = readFileSync(file, 'utf8');
      assert.doesNotMatch(
        html,
        /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)[^\s"')]*\.(js|css)/i,
      );
      const executable = findChromium();
      if (!executable) {
        console.log(
          '      (skipped the browser check: no chromium found at /usr/bin/chromium or CHROMIUM_PATH)',
        );
        return;
      }
      const drawn = await withChromium(executable, async (browser) => {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) requests.push(r.url());
        });
        await page.goto(`file://${file}`);
        await page.waitForSelector('body[data-drawn="yes"]');
        if (backend === 'pglite')
          await page.screenshot({ path: path.join(path.dirname(file), 'report.png'), fullPage: true });
        const charts = (await page.evaluate(`(() => {
          const blank = (id) => {
            const c = document.getElementById(id);
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return !px.some((v, i) => i % 4 === 3 && v !== 0);
          };
          const w = window.winfixCharts;
          return {
            funnel: w.funnel.data.datasets[0].data,
            codes: w.codes.data.datasets.map((d) => d.data),
            steps: w.steps.data.datasets.map((d) => d.data),
            blank: ['funnel', 'codes', 'steps'].filter(blank),
          };
        })()`)) as { funnel: number[]; codes: number[][]; steps: number[][]; blank: string[] };
        return { charts, requests };
      });
      assert.deepEqual(drawn.requests, [], 'the page fetches nothing');
      assert.deepEqual(drawn.charts.funnel, [4, 2, 1, 1]);
      assert.deepEqual(drawn.charts.funnel, [
        report.cases.opened,
        report.cases.resolved,
        report.cases.handedOff,
        report.cases.abandoned,
      ]);
      assert.deepEqual(drawn.charts.codes, [
        report.codes.map((c: { cases: number }) => c.cases),
        report.codes.map((c: { resolved: number }) => c.resolved),
      ]);
      assert.deepEqual(
        drawn.charts.steps?.[0],
        report.steps.map((s: { fixed: number }) => s.fixed),
      );
      assert.deepEqual(drawn.charts.blank, [], 'every canvas has drawn pixels');
    });

    it('counts tries and fixes per step for one code, context and OS family (what plans learn from)', async () => {
      const storage = await openStorage(database.options);
      try {
        const m = await measuredSteps(storage.db, {
          code: '0x80070005',
          context: 'windows-update',
          osFamily: 'windows-11',
        });
        assert.deepEqual(Object.fromEntries(m), {
          restart: { tried: 3, fixed: 1 },
          'wu-reset': { tried: 2, fixed: 1 },
        });
        const other = await measuredSteps(storage.db, {
          code: '0x80070005',
          context: 'windows-update',
          osFamily: 'windows-10',
        });
        assert.equal(other.size, 0);
      } finally {
        await storage.close();
      }
    });

    it('refuses a bad --since with a clear message', async () => {
      const bad = await runCli(['report', '--since', 'lately'], database.env);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--since takes an ISO date\/time or 30m, 2h, 7d, 1w \(got "lately"\)/);
    });
  });
}
