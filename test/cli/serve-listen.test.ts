import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { readConfig } from '../../cli/config';
import { startServe } from '../helpers/serve';

/** A non-loopback IPv4 address of this machine, or null when it has none. */
function outsideAddress(): string | null {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4');
  return found ? found.address : null;
}

async function reachable(address: string, url: string): Promise<boolean> {
  const port = new URL(url).port;
  try {
    const r = await fetch(`http://${address}:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

describe('winfix serve: where anonymous Teams mode listens (issue 14 item 3)', () => {
  it('without a Teams app id, listens on 127.0.0.1 only and says so', async function () {
    const address = outsideAddress();
    if (!address) this.skip();
    const serve = await startServe({ WINFIX_STORAGE: 'memory' });
    try {
      assert.equal((await fetch(`${serve.url}/healthz`)).status, 200);
      assert.equal(await reachable(address as string, serve.url), false, `not reachable on ${address}`);
      assert.match(serve.log.join('\n'), /anonymous Teams mode .*listens on 127\.0\.0\.1 only/);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  });

  it('WINFIX_HOST opens it to other interfaces when an administrator asks', async function () {
    const address = outsideAddress();
    if (!address) this.skip();
    const serve = await startServe({ WINFIX_STORAGE: 'memory', WINFIX_HOST: '0.0.0.0' });
    try {
      assert.equal(await reachable(address as string, serve.url), true, `reachable on ${address}`);
      assert.doesNotMatch(serve.log.join('\n'), /listens on 127\.0\.0\.1 only/);
    } finally {
      assert.equal(await serve.stop(), 0);
    }
  });
});

describe('configuration: WINFIX_TEAMS_SERVICE_URLS and WINFIX_HOST', () => {
  it('reads a comma-separated list of service URLs', () => {
    const config = readConfig({ WINFIX_TEAMS_SERVICE_URLS: 'https://a.example/x/, http://127.0.0.1:9/' });
    assert.deepEqual(config.teamsServiceUrls, ['https://a.example/x/', 'http://127.0.0.1:9/']);
    assert.deepEqual(readConfig({}).teamsServiceUrls, []);
  });

  it('refuses a service URL that is not http(s), naming the variable', () => {
    assert.throws(
      () => readConfig({ WINFIX_TEAMS_SERVICE_URLS: 'https://ok.example/,file:///etc/passwd' }),
      /WINFIX_TEAMS_SERVICE_URLS must list http\(s\) URLs.*file:\/\/\/etc\/passwd/,
    );
    assert.throws(() => readConfig({ WINFIX_TEAMS_SERVICE_URLS: 'not a url' }), /WINFIX_TEAMS_SERVICE_URLS/);
  });

  it('WINFIX_HOST is optional', () => {
    assert.equal(readConfig({}).host, null);
    assert.equal(readConfig({ WINFIX_HOST: '0.0.0.0' }).host, '0.0.0.0');
  });
});
