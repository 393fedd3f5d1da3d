/**
 * What particular PowerShell runbooks do, read from their syntax trees (PowerShell cannot run here): the
 * facts Get-UpdateHealth reports, the order Reset-UpdateComponents stops services and renames the cache in,
 * its guarded sc.exe sdset, the services Repair-UpdateServices restores, and how a restart happens.
 */
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { parametersOf, scriptParamBlock, stringValue } from '../helpers/powershell-ast';
import { bindings, parseRunbooks, script, scripts } from './runbook-catalog';

/** The right-hand side of the script's `$Name = …`. */
function assigned(root: Node, variable: string): Node {
  const assignment = root
    .descendantsOfType('assignment_expression')
    .find((a) => a.namedChildren[0]?.text.toLowerCase() === `$${variable.toLowerCase()}`);
  const value = assignment?.namedChildren.at(-1);
  if (!value) throw new Error(`no assignment to $${variable}`);
  return value;
}

/** The plain string literals under a node, in order. */
const strings = (node: Node): string[] =>
  node
    .descendantsOfType('string_literal')
    .map((n) => stringValue(n))
    .filter((v): v is string => v !== null);

/** `@{ key = 'value' }` entries whose value is a plain string. */
function hashEntries(node: Node): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of node.descendantsOfType('hash_entry')) {
    const [key, value] = entry.namedChildren;
    const text = value ? stringValue(value) : null;
    if (key && text !== null) entries[key.text] = text;
  }
  return entries;
}

const commandsNamed = (root: Node, name: string): Node[] =>
  root
    .descendantsOfType('command')
    .filter((c) => c.namedChildren[0]?.text.toLowerCase() === name.toLowerCase());

function ancestors(node: Node): Node[] {
  const list: Node[] = [];
  for (let current = node.parent; current; current = current.parent) list.push(current);
  return list;
}

describe('PowerShell runbooks (infra/runbooks)', () => {
  before(parseRunbooks);

  it('Get-UpdateHealth reports the planner facts under their names', () => {
    const source = script('Get-UpdateHealth').source;
    for (const key of [
      'freeDiskGb',
      'clockSkewMinutes',
      'disabledServices',
      'pendingReboot',
      'thirdPartyAv',
      'osBuild',
    ])
      assert.match(source, new RegExp(`^\\s+${key}\\s+=`, 'm'), `result key ${key}`);
  });

  it('renames the cache to a fresh backup even when an earlier .old is left behind', () => {
    for (const name of ['Reset-UpdateCache', 'Reset-UpdateComponents']) {
      const source = script(name).source;
      assert.match(source, /function Rename-CacheFolder/, name);
      assert.match(source, /rmdir', '\/s', '\/q'/, `${name} removes the earlier backup`);
      assert.match(
        source,
        /\.old-\{1\}' -f \$name, \(Get-Date -Format 'yyyyMMdd-HHmmss'\)/,
        `${name} falls back to a time stamp`,
      );
    }
  });

  it('Reset-UpdateComponents stops usosvc and dosvc with the other services before the renames, and renames only when all stopped', () => {
    const { root } = script('Reset-UpdateComponents');
    assert.deepEqual(strings(assigned(root, 'StopOrder')), [
      'usosvc',
      'dosvc',
      'bits',
      'wuauserv',
      'cryptsvc',
    ]);
    const stopLoop = root
      .descendantsOfType('foreach_statement')
      .find((f) => /^foreach \(\$name in \$StopOrder\)/.test(f.text) && /Stop-WindowsService/.test(f.text));
    assert.ok(stopLoop, 'a loop stops every service of $StopOrder');
    const renames = commandsNamed(root, 'Rename-CacheFolder');
    assert.equal(renames.length, 1);
    const rename = renames[0] as Node;
    assert.ok(stopLoop.endIndex < rename.startIndex, 'the services are stopped before the renames');
    assert.match(rename.text, /-HeldBy \$StopOrder/, 'and stopped again before a retried rename');
    assert.ok(
      ancestors(rename).some((a) => a.type === 'if_statement' && /^if \(\$stopped\)/.test(a.text)),
      'the renames run only when the services stopped',
    );
    // Any service that does not stop (usosvc and dosvc included) keeps the renames from running.
    const [catchClause] = stopLoop.descendantsOfType('catch_clause');
    assert.ok(catchClause);
    const clears = catchClause
      .descendantsOfType('assignment_expression')
      .filter((a) => /^\$stopped\s*=\s*\$false$/.test(a.text));
    assert.equal(clears.length, 1);
    assert.ok(
      !ancestors(clears[0] as Node)
        .slice(0, ancestors(clears[0] as Node).indexOf(catchClause))
        .some((a) => a.type === 'if_statement'),
      'whichever service failed to stop',
    );
  });

  it("Reset-UpdateComponents applies sc.exe sdset only with ResetServiceSecurity Yes (default No), with the step's descriptors", () => {
    const { root } = script('Reset-UpdateComponents');
    const block = scriptParamBlock(root);
    assert.ok(block);
    const param = parametersOf(block).find((p) => p.name === 'ResetServiceSecurity');
    assert.deepEqual(param && { mandatory: param.mandatory, validateSet: param.validateSet }, {
      mandatory: false,
      validateSet: ['No', 'Yes'],
    });
    const declared = block
      .descendantsOfType('script_parameter')
      .find((p) => p.text.includes('$ResetServiceSecurity'));
    const fallback = declared?.descendantsOfType('script_parameter_default')[0];
    assert.equal(fallback ? strings(fallback)[0] : null, 'No', "the default is 'No'");

    const sdsets = root
      .descendantsOfType('command')
      .filter((c) => c.namedChildren[0]?.text === 'Invoke-NativeCommand' && /'sdset'/.test(c.text));
    assert.equal(sdsets.length, 1);
    const guards = ancestors(sdsets[0] as Node).filter((a) => a.type === 'if_statement');
    assert.ok(
      guards.some((g) => /^if \(\$ResetServiceSecurity -eq 'Yes'\)/.test(g.text)),
      'sc.exe sdset runs only with ResetServiceSecurity Yes',
    );
    assert.ok(
      guards.some((g) => /^if \(\$PSCmdlet\.ShouldProcess\(/.test(g.text)),
      'and under ShouldProcess',
    );

    // The descriptors are the ones the knowledge base step shows (its sc.exe sdset block), and no others.
    const step = bindings.find(({ step }) => step.id === 'reset-update-components')?.step;
    assert.ok(step, 'step reset-update-components binds the runbook');
    const fromStep = Object.fromEntries(
      step.commands.flatMap((c) =>
        [...c.code.matchAll(/^sc\.exe sdset (\S+) (D:\S+)$/gm)].map((m) => [m[1], m[2]]),
      ),
    );
    assert.deepEqual(Object.keys(fromStep).sort(), ['bits', 'wuauserv']);
    assert.deepEqual(hashEntries(assigned(root, 'DefaultDacl')), fromStep);
    const sddl = root
      .descendantsOfType('string_literal')
      .map((n) => stringValue(n))
      .filter((v): v is string => !!v && v.startsWith('D:('));
    assert.deepEqual(sddl.sort(), Object.values(fromStep).sort(), 'no other descriptor string in the script');
  });

  it('Repair-UpdateServices restores LanmanWorkstation to Automatic and starts it in the All scope only', () => {
    const { root } = script('Repair-UpdateServices');
    assert.equal(hashEntries(assigned(root, 'DefaultStartType')).lanmanworkstation, 'Automatic');
    const scopes = assigned(root, 'ScopeServices').descendantsOfType('hash_entry');
    const scope = (name: string) =>
      strings(scopes.find((e) => e.namedChildren[0]?.text === name) as Node).map((s) => s.toLowerCase());
    assert.ok(scope('All').includes('lanmanworkstation'));
    assert.ok(!scope('Update').includes('lanmanworkstation'));
    assert.ok(strings(assigned(root, 'StartNow')).includes('lanmanworkstation'));
    const help = script('Repair-UpdateServices').source;
    assert.match(help, /Scope All:[\s\S]*LanmanWorkstation \(Automatic/);
  });

  it('restarts only through shutdown.exe /r /t with a comment, never by itself elsewhere', () => {
    const restart = script('Restart-ManagedComputer').source;
    assert.match(restart, /'shutdown\.exe'\) -ArgumentList '\/r', '\/t', \$delay, '\/d', 'p:4:1', '\/c'/);
    assert.match(restart, /Consent is enforced by the bot/);
    for (const [name, parsed] of scripts) {
      if (name === 'Restart-ManagedComputer') continue;
      assert.doesNotMatch(parsed.source, /shutdown\.exe|Restart-Computer|Stop-Computer/i, name);
    }
  });
});
