/**
 * infra/azure: compiled with the Bicep CLI when it is on the PATH (skipped, saying so, otherwise), and the
 * deployment rules checked on the text: every parameter described, secure parameters without defaults,
 * names from the prefix, role assignments scoped to one resource (Automation: the account, nothing at
 * subscription scope), every runbook file published, every resource of issue 16 declared.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const AZURE = path.join(ROOT, 'infra/azure');
const files = [
  'main.bicep',
  ...readdirSync(path.join(AZURE, 'modules'))
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => `modules/${f}`),
];
const text = (file: string) => readFileSync(path.join(AZURE, file), 'utf8');
const all = files.map(text).join('\n');

interface Param {
  file: string;
  name: string;
  decorators: string[];
  hasDefault: boolean;
}

/** `param` declarations with the decorators on the lines right above them (one decorator a line). */
function paramsOf(file: string, source: string): Param[] {
  const lines = source.split('\n');
  const params: Param[] = [];
  lines.forEach((line, i) => {
    const match = /^param\s+(\w+)\s+\w+(\s*=.*)?$/.exec(line.trim());
    if (!match?.[1]) return;
    const decorators: string[] = [];
    for (let j = i - 1; j >= 0 && lines[j]?.trim().startsWith('@'); j--)
      decorators.push(lines[j]?.trim() ?? '');
    params.push({ file, name: match[1], decorators, hasDefault: Boolean(match[2]) });
  });
  return params;
}

/** Each `resource sym 'Type@version' = … {` block: symbol, type and the text up to the next top-level statement. */
function resourcesOf(source: string): { symbol: string; type: string; body: string }[] {
  const blocks = source.split(/\n(?=resource |module |output |param |var |@)/);
  return blocks
    .map((block) => ({ block, m: /^resource\s+(\w+)\s+'([^'@]+)@[^']+'/.exec(block) }))
    .filter((x) => x.m)
    .map(({ block, m }) => ({ symbol: m?.[1] ?? '', type: m?.[2] ?? '', body: block }));
}

function paramProblems(params: Param[]): string[] {
  const problems: string[] = [];
  for (const p of params) {
    if (!p.decorators.some((d) => /^@description\('.+'\)$/.test(d)))
      problems.push(`${p.file}: param ${p.name} has no @description`);
    if (p.decorators.includes('@secure()') && p.hasDefault)
      problems.push(`${p.file}: @secure() param ${p.name} has a default`);
  }
  return problems;
}

describe('Azure templates (infra/azure)', () => {
  it('compile with the Bicep CLI', function () {
    const probe = spawnSync('bicep', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      if (this.test) this.test.title += ' (skipped: bicep is not on the PATH)';
      this.skip();
    }
    const build = spawnSync('bicep', ['build', path.join(AZURE, 'main.bicep'), '--stdout'], {
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
    assert.match(build.stdout, /"Microsoft\.Automation\/automationAccounts/);
  });

  it('every parameter has @description, and no @secure() parameter has a default', () => {
    const params = files.flatMap((f) => paramsOf(f, text(f)));
    assert.ok(params.length >= 20, `${params.length} params found`);
    assert.deepEqual(paramProblems(params), []);
    const secure = params.filter((p) => p.decorators.includes('@secure()')).map((p) => p.name);
    assert.ok(secure.includes('teamsAppPassword') && secure.includes('postgresAdminPassword'), secure.join());
  });

  it('the parameter checks catch a missing description and a secure default', () => {
    const source = "@secure()\nparam a string = 'x'\n\n@description('b')\nparam b int\nparam c string\n";
    assert.deepEqual(paramProblems(paramsOf('x.bicep', source)), [
      'x.bicep: param a has no @description',
      'x.bicep: @secure() param a has a default',
      'x.bicep: param c has no @description',
    ]);
  });

  it('declares every resource the deployment needs', () => {
    const types = new Set(files.flatMap((f) => resourcesOf(text(f)).map((r) => r.type)));
    for (const type of [
      'Microsoft.App/managedEnvironments',
      'Microsoft.App/containerApps',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.KeyVault/vaults',
      'Microsoft.KeyVault/vaults/secrets',
      'Microsoft.DBforPostgreSQL/flexibleServers',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
      'Microsoft.Automation/automationAccounts',
      'Microsoft.Automation/automationAccounts/runbooks',
    ])
      assert.ok(types.has(type), `${type} is declared`);
    assert.match(text('modules/bot.bicep'), /channelName: 'MsTeamsChannel'/);
  });

  it('top-level resource names derive from the prefix', () => {
    for (const f of files)
      for (const r of resourcesOf(text(f))) {
        if (/\bparent:|\bexisting\b/.test(r.body) || r.type === 'Microsoft.Authorization/roleAssignments')
          continue;
        assert.match(r.body, /\n\s+name: '\$\{prefix\}-/, `${f}: ${r.symbol} is named from the prefix`);
      }
  });

  it('role assignments: scoped to one resource, Automation roles to the account, nothing at subscription scope', () => {
    assert.doesNotMatch(all, /targetScope\s*=/);
    assert.doesNotMatch(all, /scope:\s*(subscription|managementGroup|tenant)\(/);
    const assignments = files.flatMap((f) =>
      resourcesOf(text(f))
        .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
        .map((r) => ({ ...r, f })),
    );
    assert.equal(assignments.length, 4);
    const automation = text('modules/automation.bicep');
    const accountSymbol = /resource\s+(\w+)\s+'Microsoft\.Automation\/automationAccounts@/.exec(
      automation,
    )?.[1];
    for (const a of assignments) {
      const scope = /\n\s+scope: (\w+)\n/.exec(a.body)?.[1];
      assert.ok(scope, `${a.f}: ${a.symbol} has a scope`);
      const role = /roleDefinitions', (\w+)\)/.exec(a.body)?.[1] ?? '';
      const roleId = new RegExp(`var ${role} = '([0-9a-f-]+)'`).exec(text(a.f))?.[1];
      if (a.f === 'modules/automation.bicep') {
        assert.equal(scope, accountSymbol, `${a.symbol} is scoped to the Automation account`);
        assert.ok(
          ['4fe576fe-1146-4730-92eb-48519fa6bf9f', '5fb5aef8-1081-4b8e-bb16-9d5d0385bab5'].includes(
            roleId ?? '',
          ),
          `${a.symbol}: Automation Job Operator or Automation Runbook Operator (${roleId})`,
        );
      } else if (a.f === 'modules/keyvault.bicep') {
        assert.equal(scope, 'vault');
        assert.equal(roleId, '4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User');
      } else {
        assert.equal(a.f, 'modules/container-app.bicep');
        assert.equal(scope, 'registry');
        assert.equal(roleId, '7f951dda-4ed3-4680-a7ca-43fe172d538d', 'AcrPull');
      }
    }
  });

  it('every runbook file of infra/runbooks is published, and nothing else', () => {
    const onDisk = readdirSync(path.join(ROOT, 'infra/runbooks'))
      .filter((f) => f.endsWith('.ps1'))
      .map((f) => f.replace(/\.ps1$/, ''))
      .sort();
    const automation = text('modules/automation.bicep');
    const list = /var runbooks = \[([^\]]*)\]/.exec(automation)?.[1] ?? '';
    const declared = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
    assert.deepEqual(declared, onDisk);
    assert.match(automation, /runbookType: 'PowerShell'/);
    assert.match(automation, /publishContentLink: \{\s+uri: '\$\{runbookContentBaseUrl\}\/\$\{name\}\.ps1/);
  });

  it('secrets reach the app through Key Vault, never as plain values', () => {
    const app = text('modules/container-app.bicep');
    assert.match(app, /name: 'WINFIX_TEAMS_APP_PASSWORD', secretRef: 'teams-app-password'/);
    assert.match(app, /name: 'DATABASE_URL', secretRef: 'database-url'/);
    assert.match(app, /keyVaultUrl: teamsAppPasswordSecretUri/);
    assert.doesNotMatch(all, /output \w+ string = .*(Password|databaseUrl)\b/);
  });
});
