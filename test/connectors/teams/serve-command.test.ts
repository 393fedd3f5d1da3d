import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readConfig } from '../../../cli/config';
import { serveCommand } from '../../../cli/serve-command';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { BIN, runCli } from '../../helpers/run-cli';
import { TeamsUser } from '../../helpers/teams-user';

describe('winfix serve', () => {
  it('listens on PORT, serves /healthz and /api/messages, says it is anonymous, and stops on abort', async () => {
    const channel = new FakeBotConnector();
    await channel.start();
    const stop = new AbortController();
    const err: string[] = [];
    let url = '';
    let listening: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const done = serveCommand(
      [],
      readConfig({ PORT: '0' }),
      { out: () => {}, err: (t) => err.push(t) },
      {
        signal: stop.signal,
        onListening: (u) => {
          url = u;
          listening();
        },
      },
    );
    await started;
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const r = await new TeamsUser(channel, url, 'a:1serve').say('hello');
      assert.equal(r.status, 200);
      assert.ok(channel.sentTo('a:1serve').length > 0);
      const log = err.join('\n');
      assert.match(log, /listening on http:\/\/127\.0\.0\.1:\d+ \(POST \/api\/messages, GET \/healthz\)/);
      assert.match(log, /auth: ANONYMOUS .*refused when NODE_ENV=production/);
    } finally {
      stop.abort();
      await channel.stop();
    }
    assert.equal(await done, 0);
    assert.match(err.join('\n'), /stopping/);
    assert.deepEqual(channel.problems, []);
  });

  it('runs as a real process and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1'], {
      env: { ...process.env, PORT: '0', NODE_ENV: 'test' },
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
