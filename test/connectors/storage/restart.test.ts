import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { openStorage } from '../../../connectors/storage';
import { createKnowledge, factsFrom } from '../../../rules/knowledge';
import { BIN } from '../../helpers/run-cli';
import { BACKENDS, createTestDatabase, type TestDatabase } from './test-databases';

const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

/** A `winfix chat` child process driven line by line. */
class LiveChat {
  readonly child: ChildProcessWithoutNullStreams;
  out = '';
  err = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: NodeJS.ProcessEnv) {
    // Employees are administrators here (WINFIX_EMPLOYEES_ARE_ADMINS=yes): the chat goes straight to the steps.
    this.child = spawn(process.execPath, [BIN, 'chat', '--locale', 'en', '--session', 'sigkill'], {
      env: { ...env, WINFIX_EMPLOYEES_ARE_ADMINS: 'yes' },
    });
    this.child.stdout.on('data', (chunk) => {
      this.out += chunk;
    });
    this.child.stderr.on('data', (chunk) => {
      this.err += chunk;
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Resolves when stdout matches (the bot answers only after the turn is saved). */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const start = Date.now();
    while (!pattern.test(this.out)) {
      if (Date.now() - start > timeoutMs || this.child.exitCode !== null)
        throw new Error(`no ${pattern} in:\n${this.out}\nstderr:\n${this.err}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

for (const backend of BACKENDS)
  describe(`a chat killed between turns loses nothing [${backend}]`, function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let titles: string[] = [];

    before(async () => {
      database = await createTestDatabase(backend);
      const knowledge = createKnowledge();
      const understanding = knowledge.understand(MESSAGE);
      const plan = await knowledge.planner.plan(
        factsFrom(understanding, understanding.codes[0] ?? null, understanding.context),
      );
      titles = plan.steps.map((s) => s.title.en);
      assert.ok(titles.length >= 3);
    });
    after(() => database.drop());

    const heading = (n: number) =>
      new RegExp(`── Step ${n} of ${titles.length}: ${escapeRegExp(titles[n - 1] ?? '')} ──`);

    it('SIGKILL after two turns, start again: the conversation continues at the same step', async () => {
      const first = new LiveChat(database.env);
      first.send(MESSAGE);
      await first.waitFor(heading(1));
      first.send('2'); // Didn't help
      await first.waitFor(heading(2));
      first.child.kill('SIGKILL');
      assert.deepEqual(await first.exited, { code: null, signal: 'SIGKILL' });

      const second = new LiveChat(database.env);
      await second.waitFor(heading(2)); // the kept conversation shows its open step again
      second.send('2'); // so its numbered buttons work: Didn't help
      await second.waitFor(heading(3));
      assert.doesNotMatch(second.out, /Step 1 of/, 'not started over');
      second.send('/quit');
      assert.deepEqual(await second.exited, { code: 0, signal: null });
      assert.doesNotMatch(second.err, /winfix:|Error/, second.err);

      const storage = await openStorage(database.options);
      try {
        const state = await storage.conversations.get('console:sigkill');
        assert.equal(state?.phase, 'guiding');
        assert.equal(state?.index, 2);
        assert.deepEqual(
          state?.outcomes.map((o) => o.outcome),
          ['didnt-help', 'didnt-help'],
        );
        assert.equal(state?.version, 4, 'three turns and the resume, each saved once');
      } finally {
        await storage.close();
      }
    });
  });

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
