import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, runCli } from '../helpers/run-cli';

/** Every case keeps nothing on disk unless it says so, and would otherwise start (port 0). */
const BASE = { WINFIX_STORAGE: 'memory', PORT: '0' };
const APP = {
  WINFIX_TEAMS_APP_ID: '00000000-0000-4000-8000-00000000a001',
  WINFIX_TEAMS_APP_PASSWORD: 'not-a-real-password',
  WINFIX_TEAMS_TENANT_ID: '00000000-0000-4000-8000-00000000a002',
};

/** `winfix serve` refuses with exit 1 and an error line naming `names`; `config check` agrees. */
async function refused(env: NodeJS.ProcessEnv, ...names: RegExp[]) {
  const serve = await runCli(['serve'], { ...BASE, ...env });
  assert.equal(serve.code, 1, serve.err);
  assert.doesNotMatch(serve.err, /listening on/);
  for (const name of names) assert.match(serve.err, name);
  const check = await runCli(['config', 'check'], { ...BASE, ...env });
  assert.equal(check.code, 1, check.out);
  for (const name of names) assert.match(check.out + check.err, name);
}

describe('winfix serve refuses an incomplete or contradictory configuration', () => {
  it('production without Teams credentials', async () => {
    await refused({ NODE_ENV: 'production' }, /NODE_ENV=production and no WINFIX_TEAMS_APP_ID/);
  });

  it('a Teams app id without its password, and a password or tenant without an app id', async () => {
    await refused(
      { WINFIX_TEAMS_APP_ID: APP.WINFIX_TEAMS_APP_ID },
      /WINFIX_TEAMS_APP_ID is set but WINFIX_TEAMS_APP_PASSWORD is not/,
    );
    await refused(
      { WINFIX_TEAMS_APP_PASSWORD: 'x', WINFIX_TEAMS_TENANT_ID: 't' },
      /WINFIX_TEAMS_APP_PASSWORD is set but WINFIX_TEAMS_APP_ID is not/,
      /WINFIX_TEAMS_TENANT_ID is set but WINFIX_TEAMS_APP_ID is not/,
    );
  });

  it('the Azure executor without an account', async () => {
    await refused(
      { WINFIX_EXECUTOR: 'azure', AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001' },
      /AZURE_RESOURCE_GROUP is missing/,
      /AZURE_AUTOMATION_ACCOUNT is missing/,
    );
  });

  it('Slack half configured', async () => {
    await refused({ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN/);
    await refused({ SLACK_SIGNING_SECRET: 's' }, /SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not/);
    await refused({ SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not/);
    await refused({ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_APP_TOKEN: 'xapp-1' }, /must be a bot token \(xoxb-/);
    await refused(
      { SLACK_TECHNICIAN_CHANNEL: 'C0000TECH1' },
      /SLACK_TECHNICIAN_CHANNEL is set but Slack is off/,
    );
  });

  it("a technicians' channel without technicians, on Teams and on Slack", async () => {
    await refused(
      { ...APP, WINFIX_TEAMS_TECHNICIAN_CONVERSATION: '19:techs@thread.tacv2' },
      /WINFIX_TEAMS_TECHNICIAN_CONVERSATION is set but WINFIX_TEAMS_TECHNICIANS is empty/,
    );
    await refused(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_TECHNICIAN_CHANNEL: 'C0000TECH1' },
      /SLACK_TECHNICIAN_CHANNEL is set but SLACK_TECHNICIANS is empty/,
    );
  });

  it('the Azure executor behind anonymous Teams with no Slack beside it (decision 0014)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'winfix-anon-check-'));
    const azure = {
      WINFIX_EXECUTOR: 'azure',
      AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001',
      AZURE_RESOURCE_GROUP: 'rg-winfix',
      AZURE_AUTOMATION_ACCOUNT: 'aa-winfix',
      WINFIX_STORAGE: 'pglite',
      WINFIX_DATA_DIR: path.join(dir, 'data'),
    };
    try {
      await refused(azure, /WINFIX_EXECUTOR=azure runs real jobs/, /without WINFIX_TEAMS_APP_ID/);
      // With an app id, or as a dry run, or with memory storage (no runs at all), nothing is refused.
      for (const fine of [
        { ...azure, ...APP },
        { ...azure, WINFIX_EXECUTOR: 'dry-run' },
        { ...azure, WINFIX_STORAGE: 'memory' },
      ]) {
        const check = await runCli(['config', 'check'], { ...BASE, ...fine });
        assert.doesNotMatch(check.out + check.err, /runs real jobs/);
        assert.equal(check.code, 0, check.out + check.err);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an invalid WINFIX_TEAMS_SERVICE_URLS', async () => {
    await refused(
      { WINFIX_TEAMS_SERVICE_URLS: 'ftp://x.example' },
      /WINFIX_TEAMS_SERVICE_URLS must list http\(s\) URLs/,
    );
  });

  it('tickets half configured: ServiceNow without instance or credentials, both kinds of credentials, plain http', async () => {
    await refused(
      { WINFIX_TICKETS: 'servicenow' },
      /WINFIX_TICKETS=servicenow needs WINFIX_SERVICENOW_INSTANCE/,
      /WINFIX_TICKETS=servicenow needs credentials/,
      /WINFIX_TICKETS=servicenow needs durable storage/,
    );
    await refused(
      {
        WINFIX_STORAGE: 'pglite',
        WINFIX_DATA_DIR: path.join(tmpdir(), 'winfix-tickets-never-opened'),
        WINFIX_TICKETS: 'servicenow',
        WINFIX_SERVICENOW_INSTANCE: 'http://acme.service-now.com',
        WINFIX_SERVICENOW_USER: 'winfix',
        WINFIX_SERVICENOW_PASSWORD: 'secret-sn-password',
        WINFIX_SERVICENOW_TOKEN: 'secret-sn-token',
      },
      /WINFIX_SERVICENOW_INSTANCE must be https/,
      /WINFIX_SERVICENOW_TOKEN and WINFIX_SERVICENOW_USER\/PASSWORD are both set/,
    );
  });

  it('the ticket webhook without a secret, with a short one, or a malformed URL; an unknown system', async () => {
    await refused(
      { WINFIX_TICKETS: 'webhook', WINFIX_TICKET_WEBHOOK_URL: 'https://helpdesk.example/hook' },
      /WINFIX_TICKETS=webhook needs WINFIX_TICKET_WEBHOOK_SECRET/,
    );
    await refused(
      { WINFIX_TICKETS: 'webhook', WINFIX_TICKET_WEBHOOK_SECRET: 'tiny-key-7' },
      /WINFIX_TICKETS=webhook needs WINFIX_TICKET_WEBHOOK_URL/,
      /WINFIX_TICKET_WEBHOOK_SECRET is too short/,
    );
    await refused(
      { WINFIX_TICKET_WEBHOOK_URL: 'not a url' },
      /WINFIX_TICKET_WEBHOOK_URL must be an https URL/,
    );
    await refused({ WINFIX_TICKETS: 'jira' }, /WINFIX_TICKETS must be servicenow, webhook or off/);
  });

  it('lists every problem at once, not only the first', async () => {
    const check = await runCli(['config', 'check'], {
      ...BASE,
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: 'xoxb-1',
    });
    assert.equal(check.code, 1);
    assert.match(check.out, /2 problem\(s\)/);
  });

  describe('PGlite opened by a second process', () => {
    let dir: string;
    let first: ChildProcess | null = null;

    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'winfix-lock-'));
    });

    afterEach(async () => {
      if (first && first.exitCode === null) {
        const exited = new Promise((resolve) => first?.once('exit', resolve));
        first.kill('SIGTERM');
        await exited;
      }
      first = null;
      rmSync(dir, { recursive: true, force: true });
    });

    it('the second serve on the same WINFIX_DATA_DIR refuses, naming the first process', async function () {
      this.timeout(60_000);
      const env = { ...process.env, WINFIX_STORAGE: 'pglite', WINFIX_DATA_DIR: dir, PORT: '0' };
      const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      first = child;
      await new Promise<void>((resolve, reject) => {
        let err = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          err += chunk.toString();
          if (/listening on/.test(err)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`first serve exited ${code}: ${err}`)));
      });
      const pid = String(child.pid);
      await refused(
        { WINFIX_STORAGE: 'pglite', WINFIX_DATA_DIR: dir },
        new RegExp(`already open in process ${pid}`),
        /PGlite allows one process per folder/,
      );
    });
  });
});

describe('winfix config check', () => {
  it('prints the effective configuration with secrets as set/unset only, exit 0 when complete', async () => {
    const check = await runCli(['config', 'check'], {
      ...BASE,
      ...APP,
      WINFIX_TEAMS_TECHNICIANS: 'kenji@contoso.example',
      WINFIX_TEAMS_TECHNICIAN_CONVERSATION: '19:techs@thread.tacv2',
      SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
      SLACK_SIGNING_SECRET: 'secret-signing',
      SLACK_TECHNICIANS: 'U0000TECH1',
      SLACK_TECHNICIAN_CHANNEL: 'C0000TECH1',
      DATABASE_URL: 'postgres://winfix:secret-db-password@db:5432/winfix',
      WINFIX_STORAGE: 'postgres',
      WINFIX_TICKETS: 'webhook',
      WINFIX_TICKET_WEBHOOK_URL: 'https://helpdesk.example/hooks/winfix',
      WINFIX_TICKET_WEBHOOK_SECRET: 'secret-webhook-key-0123',
    });
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, /^WINFIX_TICKETS\s+webhook$/m);
    assert.match(check.out, /^WINFIX_TICKET_WEBHOOK_SECRET\s+set$/m);
    assert.match(check.out, /^WINFIX_TEAMS_APP_PASSWORD\s+set$/m);
    assert.match(check.out, /^SLACK_BOT_TOKEN\s+set$/m);
    assert.match(check.out, /^SLACK_APP_TOKEN\s+unset$/m);
    assert.match(check.out, /^DATABASE_URL\s+set$/m);
    assert.match(check.out, /^WINFIX_TEAMS_TECHNICIANS\s+kenji@contoso\.example$/m);
    assert.match(check.out, /no problems/);
    for (const secret of [
      'not-a-real-password',
      'xoxb-secret',
      'secret-signing',
      'secret-db-password',
      'secret-webhook',
    ])
      assert.ok(!check.out.includes(secret), `${secret} is not printed`);
  });

  it('--json gives ok, settings and problems; a variable that cannot be read is a problem, not a crash', async () => {
    const check = await runCli(['config', 'check', '--json'], { ...BASE, WINFIX_LOCALE: 'fr' });
    assert.equal(check.code, 1);
    const report = JSON.parse(check.out) as { ok: boolean; settings: unknown; problems: string[] };
    assert.equal(report.ok, false);
    assert.equal(report.settings, null);
    assert.match(report.problems[0] ?? '', /WINFIX_LOCALE must be ja, en or ru/);
  });

  it('rejects anything but "check"', async () => {
    assert.equal((await runCli(['config'], BASE)).code, 2);
    assert.equal((await runCli(['config', 'show'], BASE)).code, 2);
  });
});
