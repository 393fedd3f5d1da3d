import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_PATH, manifestList, manifestScopes, manifestValue } from './slack-manifest';

const CONNECTOR = path.resolve(__dirname, '..', '..', '..', 'connectors', 'slack');
const source = (file: string) => readFileSync(path.join(CONNECTOR, file), 'utf8');

describe('Slack app manifest (infra/slack/manifest.yml)', () => {
  it('asks for exactly the scopes the code uses', () => {
    // app_mentions:read → app_mention events; im:history → message.im events; chat:write →
    // chat.postMessage/update/postEphemeral; users:read → users.info (locale). The HTTP and Socket Mode
    // tests run the fake Web API with these scopes only, so a method needing another one fails there.
    // users:read.email (the e-mail in users.info, for enrollments and technicians listed by e-mail) is
    // optional and left out: the README says when to add it.
    assert.deepEqual(manifestScopes().sort(), [
      'app_mentions:read',
      'chat:write',
      'im:history',
      'users:read',
    ]);
    const code = ['slack-connector.ts', 'slack-replies.ts', 'slack-notifier.ts', 'user-profile.ts']
      .map(source)
      .join('\n');
    for (const call of ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'users.info'])
      assert.ok(code.includes(call), `${call} is used`);
    for (const unused of ['conversations.open', 'chat.postMessage({ channel: user'])
      assert.ok(!code.includes(unused), `${unused} is not used (no im:write needed)`);
  });

  it('subscribes to the events the connector listens to, and nothing more', () => {
    assert.deepEqual(manifestList(['settings', 'event_subscriptions', 'bot_events']).sort(), [
      'app_mention',
      'message.im',
    ]);
    const code = source('slack-connector.ts');
    assert.ok(code.includes("app.event('message'") && code.includes("channel_type !== 'im'"));
    assert.ok(code.includes("app.event('app_mention'"));
    assert.equal((code.match(/app\.event\(/g) ?? []).length, 2);
  });

  it('turns on interactivity, Socket Mode and the Messages tab', () => {
    assert.equal(manifestValue(['settings', 'interactivity', 'is_enabled']), 'true');
    assert.equal(manifestValue(['settings', 'socket_mode_enabled']), 'true');
    assert.equal(manifestValue(['features', 'app_home', 'messages_tab_enabled']), 'true');
    assert.equal(manifestValue(['features', 'app_home', 'messages_tab_read_only_enabled']), 'false');
    assert.equal(manifestValue(['settings', 'token_rotation_enabled']), 'false');
    assert.match(readFileSync(MANIFEST_PATH, 'utf8'), /# request_url: https:\/\/[^\s]+\/slack\/events/);
  });
});
