import assert from 'node:assert/strict';
import { createKnowledge, factsFrom } from '../../../rules/knowledge';
import { spawnCli } from '../../helpers/run-cli';

const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

describe('winfix chat (piped stdin)', () => {
  let titles: string[] = [];

  before(async () => {
    const knowledge = createKnowledge();
    const understanding = knowledge.understand(MESSAGE);
    const plan = await knowledge.planner.plan(
      factsFrom(understanding, understanding.codes[0] ?? null, understanding.context),
    );
    titles = plan.steps.map((s) => s.title.en);
    assert.ok(titles.length >= 3, 'a plan with a few steps');
  });

  it('walks through steps: the first step appears, typing "2" (Didn\'t help) shows the second', () => {
    const run = spawnCli(['chat', '--locale', 'en'], `${MESSAGE}\n2\n/quit\nnever read\n`);
    assert.equal(run.code, 0, run.err);
    assert.equal(run.err, '');
    assert.match(run.out, /\[0x80070002 — ERROR_FILE_NOT_FOUND \(WIN32\)\]/);
    const first = run.out.indexOf(`── Step 1 of ${titles.length}: ${titles[0]} ──`);
    const second = run.out.indexOf(`── Step 2 of ${titles.length}: ${titles[1]} ──`);
    assert.ok(first >= 0, `first step in:\n${run.out}`);
    assert.ok(second > first, `second step after the first in:\n${run.out}`);
    assert.match(run.out, / {2}1\) Fixed it\n {2}2\) Didn't help\n {2}3\) Skip/);
    assert.match(run.out, /Risk: (low|medium|high) · /);
    assert.doesNotMatch(run.out, /never read/);
  });

  it('does not send a number that is not a button', () => {
    const run = spawnCli(['chat', '--locale', 'en'], `${MESSAGE}\n9\n`);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^\(1–3\)$/m);
    assert.doesNotMatch(run.out, /Tell me how the step went/);
  });

  it('answers questions by number and ends at end of input', () => {
    const run = spawnCli(['chat', '--locale', 'en'], 'hello\n0x80070002\n');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /I'm winfix/);
    assert.match(run.out, /Where did the error appear\?\n(?: {2}\d+\) .+\n)+/);
    const numbered = spawnCli(['chat'], '0x80070002\n1\n');
    assert.equal(numbered.code, 0, numbered.err);
    assert.match(numbered.out, /Which Windows version/, 'choosing 1 answers the context question');
  });

  it('starts in the --locale language and refuses an unknown one', () => {
    const run = spawnCli(['chat', '--locale', 'ja'], '0x80070002\n');
    assert.match(run.out, /エラーはどこで表示されましたか/);
    const bad = spawnCli(['chat', '--locale', 'de'], '');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--locale must be ja, en or ru/);
  });
});
