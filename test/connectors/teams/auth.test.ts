import assert from 'node:assert/strict';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { fakeConnections } from '../../helpers/fake-connections';
import { newSigningKey, type SigningKey, signJwt } from '../../helpers/jwt';
import { type Harness, startHarness } from './harness';

const APP_ID = '00000000-0000-0000-0000-00000000a99';

describe('Teams connector: tokens when an app id is configured', () => {
  let h: Harness;
  let identity: FakeBotConnector;
  let key: SigningKey;
  let issuer: string;

  before(async () => {
    // The identity provider (its JWKS) is a fake of its own, separate from the channel.
    identity = new FakeBotConnector();
    await identity.start();
    key = newSigningKey('key-1');
    identity.jwks = { keys: [key.jwk] };
    issuer = `${identity.baseUrl}/tenant-1/v2.0`;
    h = await startHarness((channel) => ({
      serviceUrls: [channel.serviceUrl],
      auth: {
        appId: APP_ID,
        appPassword: 'not-used',
        tenantId: 'tenant-1',
        authority: `${identity.baseUrl}/tenant-1`,
      },
      connections: fakeConnections('outbound-token'),
    }));
    h.channel.requiredToken = 'outbound-token';
  });

  after(async () => {
    await h.close();
    await identity.stop();
    assert.deepEqual(h.channel.problems, []);
  });

  const token = (claims: Record<string, unknown> = {}, signer = key) =>
    signJwt(signer, { aud: APP_ID, iss: issuer, serviceurl: h.channel.serviceUrl, ...claims });

  async function post(authorization: string | null) {
    return h.user('a:1auth', { authorization }).say('hello');
  }

  it('rejects a request without a token with 401', async () => {
    const r = await post(null);
    assert.equal(r.status, 401);
    assert.match(r.body, /authorization header not found/);
  });

  it('rejects garbage and non-bearer tokens with 401', async () => {
    for (const header of ['Bearer garbage', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const r = await post(header);
      assert.equal(r.status, 401, header);
    }
  });

  it('rejects a JWT signed with a random local key (same kid, different key) with 401', async () => {
    const r = await post(`Bearer ${token({}, newSigningKey('key-1'))}`);
    assert.equal(r.status, 401);
  });

  it('rejects a JWT whose key the identity provider does not publish with 401', async () => {
    const r = await post(`Bearer ${token({}, newSigningKey('unknown-kid'))}`);
    assert.equal(r.status, 401);
  });

  it('rejects well-signed tokens for another audience, from another issuer, or expired, with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [
      { aud: 'some-other-app' },
      { iss: 'https://evil.example/tenant-1/v2.0' },
      { exp: now - 3600, iat: now - 7200, nbf: now - 7200 },
    ]) {
      const r = await post(`Bearer ${token(claims)}`);
      assert.equal(r.status, 401, JSON.stringify(claims));
    }
    assert.equal(h.channel.calls.length, 0, 'nothing reached the bot');
  });

  it("refuses (403) a serviceUrl that differs from the token's serviceurl claim, and sends nothing", async () => {
    const r = await post(`Bearer ${token({ serviceurl: 'https://smba.trafficmanager.net/emea/' })}`);
    assert.equal(r.status, 403, r.body);
    assert.match(r.body, /winfix_teams_service_url_refused/);
    assert.equal(h.channel.calls.length, 0);
  });

  it('accepts a valid token, and replies to the channel with a bearer token of its own', async () => {
    const r = await post(`Bearer ${token()}`);
    assert.equal(r.status, 200, r.body);
    const replies = h.channel.sentTo('a:1auth');
    assert.ok(replies.length > 0);
    assert.ok(replies.every((c) => c.authorization === 'Bearer outbound-token' && c.status === 201));
  });
});
