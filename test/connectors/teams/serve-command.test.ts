import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { BIN, runCli } from '../../helpers/run-cli';
import { startServe } from '../../helpers/serve';
import { cardOf, cardText, TeamsUser } from '../../helpers/teams-user';

describe('winfix serve', () => {
  let channel: FakeBotConnector;

  beforeEach(async () => {
    channel = new FakeBotConnector();
    await channel.start();
  });

  afterEach(async () => {
    await channel.stop();
    assert.deepEqual(channel.problems, []);
  });

  it('listens on PORT, serves /healthz and /api/messages, says it is anonymous, and stops on abort', async () => {
    const serve = await startServe({ WINFIX_STORAGE: 'memory' });
    assert.equal((await fetch(`${serve.url}/healthz`)).status, 200);
    const r = await new TeamsUser(channel, serve.url, 'a:1serve').say('hello');
    assert.equal(r.status, 200);
    assert.ok(channel.sentTo('a:1serve').length > 0);
    const log = serve.log.join('\n');
    assert.match(
      log,
      /listening on http:\/\/127\.0\.0\.1:\d+ \(POST \/api\/messages, GET \/healthz, GET \/readyz\)/,
    );
    assert.match(log, /auth: ANONYMOUS .*refused when NODE_ENV=production/);
    assert.match(log, /kept in memory \(WINFIX_STORAGE=memory/);
    assert.equal(await serve.stop(), 0);
    assert.match(serve.log.join('\n'), /stopping/);
  });

  it('keeps conversations and references in PGlite: after a restart the step card still answers, in place', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'winfix-serve-'));
    try {
      const env = { WINFIX_STORAGE: 'pglite', WINFIX_DATA_DIR: dataDir };
      let serve = await startServe(env);
      assert.match(serve.log.join('\n'), new RegExp(`kept in PGlite in ${dataDir}`));
      const before = new TeamsUser(channel, serve.url, 'a:1durable');
      await before.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
      const card = before.findButton("Didn't help");
      assert.ok(card);
      const title = cardText(cardOf(before.sent().at(-1)?.activity)).match(/Step 1 of \d+\n(.+)/)?.[1];
      assert.ok(title);
      assert.equal(await serve.stop(), 0);

      serve = await startServe(env);
      const after = new TeamsUser(channel, serve.url, 'a:1durable');
      const r = await after.press("Didn't help");
      assert.equal(r.status, 200);
      assert.deepEqual(channel.updatesOf(card.activityId), [], 'answered in the invoke, no PUT');
      assert.equal(r.activityId, card.activityId, 'the card from before the restart moves on in place');
      const shown = cardText(r.invoke?.value);
      // The record line needs the card's content, which was stored with its activity id.
      assert.equal(shown.split('\n')[0], `${title} — didn't help`, shown);
      assert.match(shown, /\nStep 2 of/);
      assert.equal(await serve.stop(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('runs as a real process and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1'], {
      env: { ...process.env, PORT: '0', NODE_ENV: 'test', WINFIX_STORAGE: 'memory' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line: ${stderr}`)), 15_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
    });
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });

  it('refuses to start anonymously under NODE_ENV=production, saying what to set', async () => {
    const run = await runCli(['serve'], { NODE_ENV: 'production', PORT: '0' });
    assert.equal(run.code, 1);
    assert.match(run.err, /refusing to start: NODE_ENV=production and no WINFIX_TEAMS_APP_ID/);
    assert.match(run.err, /WINFIX_TEAMS_APP_PASSWORD/);
  });

  it('rejects a bad PORT or --port', async () => {
    assert.match((await runCli(['serve'], { PORT: 'http' })).err, /PORT must be a port number/);
    const run = await runCli(['serve', '--port', '70000'], {});
    assert.equal(run.code, 2);
    assert.match(run.err, /--port must be 0–65535/);
  });
});
