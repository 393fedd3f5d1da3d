/**
 * infra/enroll/Register-WinfixWorker.ps1, read with tree-sitter-powershell as the runbooks are (PowerShell
 * cannot run here): help, ShouldProcess guards on every change made through ARM, the ARM calls an
 * extension-based Hybrid Runbook Worker needs, and a worker-group name and `winfix enroll add` line that
 * winfix itself accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { parseIdentity } from '../../connectors/storage/enrollment-identity';
import { computerNameProblem, workerGroupProblem } from '../../connectors/storage/enrollments';
import {
  APPROVED_VERBS,
  cmdletBinding,
  commentHelp,
  functionsOf,
  type ParsedScript,
  parametersOf,
  parsePowerShell,
  scriptParamBlock,
  startsWithErrorActionStop,
  stringValue,
  syntaxProblems,
} from '../helpers/powershell-ast';

const SCRIPT = path.resolve(__dirname, '../../infra/enroll/Register-WinfixWorker.ps1');
const source = readFileSync(SCRIPT, 'utf8');

const commands = (root: Node, name: string): Node[] =>
  root
    .descendantsOfType('command')
    .filter(
      (c) => c.children.find((x) => x.type === 'command_name')?.text.toLowerCase() === name.toLowerCase(),
    );

/** Whether the node sits in the then-block of an `if ($PSCmdlet.ShouldProcess(…))`. */
function guarded(node: Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'if_statement' || child.type !== 'statement_block') continue;
    const condition = parent.namedChildren.find((c) => c.type === 'pipeline');
    if (condition && /^\s*\$PSCmdlet\.ShouldProcess\(/i.test(condition.text)) return true;
  }
  return false;
}

/** `Invoke-ArmRequest … -Method PUT|POST|PATCH|DELETE` calls and any direct Invoke-AzRestMethod outside it. */
function armChanges(root: Node): { text: string; guarded: boolean }[] {
  return commands(root, 'Invoke-ArmRequest')
    .filter((c) => /-Method\s+(PUT|POST|PATCH|DELETE)\b/i.test(c.text))
    .map((c) => ({ text: c.text, guarded: guarded(c) }));
}

/** The right-hand string of `$Name = '…'` at the top of the script. */
function assignedString(root: Node, variable: string): string {
  const assignment = root
    .descendantsOfType('assignment_expression')
    .find((a) => a.namedChildren[0]?.text.toLowerCase() === `$${variable.toLowerCase()}`);
  const value = assignment?.namedChildren.at(-1);
  const text = value ? stringValue(value) : null;
  if (text === null) throw new Error(`$${variable} is not assigned a plain string`);
  return text;
}

describe('infra/enroll/Register-WinfixWorker.ps1', () => {
  let script: ParsedScript;
  before(async () => {
    script = await parsePowerShell(source);
  });

  it('parses without syntax errors and follows the runbook conventions', () => {
    assert.deepEqual(syntaxProblems(script.root), []);
    const block = scriptParamBlock(script.root);
    assert.ok(block, 'param() block');
    assert.deepEqual(cmdletBinding(block), { supportsShouldProcess: true });
    assert.ok(startsWithErrorActionStop(script.root), "$ErrorActionPreference = 'Stop' first");
    for (const f of functionsOf(script.root)) {
      const verb = f.name.split('-')[0] ?? '';
      assert.ok(APPROVED_VERBS.has(verb), `${f.name}: ${verb} is an approved verb`);
    }
    const help = commentHelp(script.root);
    assert.ok(help?.sections.get('SYNOPSIS') && help.sections.get('EXAMPLE'));
    const documented = (help?.sections.get('PARAMETER') ?? []).map((p) => p.argument);
    const params = parametersOf(block);
    assert.deepEqual(
      documented,
      params.map((p) => p.name),
    );
    assert.deepEqual(
      params.filter((p) => p.mandatory).map((p) => p.name),
      ['SubscriptionId', 'ResourceGroup', 'AutomationAccount'],
    );
  });

  it('makes the three ARM changes of an extension-based worker, each behind ShouldProcess', () => {
    const changes = armChanges(script.root);
    assert.equal(changes.length, 3);
    assert.deepEqual(
      changes.filter((c) => !c.guarded).map((c) => c.text),
      [],
    );
    assert.match(changes[0]?.text ?? '', /\$groupPath/);
    assert.match(changes[1]?.text ?? '', /hybridRunbookWorkers\/\$\(\$workerId\)/);
    assert.match(changes[2]?.text ?? '', /extensions\/HybridWorkerExtension/);
    assert.match(source, /publisher\s+=\s+'Microsoft\.Azure\.Automation\.HybridWorker'/);
    assert.match(source, /type\s+=\s+'HybridWorkerForWindows'/);
    assert.match(source, /AutomationAccountURL = \$hybridServiceUrl/);
    // Only the wrapper talks to ARM, so the guard check above sees every change.
    assert.equal(commands(script.root, 'Invoke-AzRestMethod').length, 1);
  });

  it('the guard check notices a change without ShouldProcess', async () => {
    const unguarded = source.replace(
      "if ($PSCmdlet.ShouldProcess($group, 'Create the Hybrid Runbook Worker group')) {",
      'if ($true) {',
    );
    assert.notEqual(unguarded, source);
    const parsed = await parsePowerShell(unguarded);
    assert.equal(armChanges(parsed.root).filter((c) => !c.guarded).length, 1);
  });

  it('derives a worker group winfix accepts, one per PC', () => {
    const prefix = assignedString(script.root, 'GroupPrefix');
    const invalid = new RegExp(assignedString(script.root, 'InvalidGroupCharacters'), 'g');
    const groupOf = (computer: string) =>
      prefix + (computer.split('.')[0] ?? '').toLowerCase().replace(invalid, '-');
    const names = ['PC-0042', 'LAPTOP_7', 'DESKTOP-ABC1234', 'pc-0042.corp.example.com', 'KIOSK$1', '123456'];
    for (const name of names) assert.equal(workerGroupProblem(groupOf(name)), null, groupOf(name));
    assert.equal(groupOf('PC-0042'), 'winfix-pc-0042');
    assert.equal(groupOf('pc-0042.corp.example.com'), groupOf('PC-0042'), 'the same PC, the same group');
    assert.notEqual(groupOf('PC-0042'), groupOf('PC-0043'));
  });

  it('prints a winfix enroll add line whose operands winfix enroll add accepts', () => {
    const last = commands(script.root, 'Write-Output').at(-1)?.text ?? '';
    assert.match(last, /^Write-Output "winfix enroll add \$who \$computer \$group"$/);
    // The operands as the script fills them for PC-0042 of alice, checked with enroll add's own rules.
    assert.equal(typeof parseIdentity('alice@contoso.example'), 'object');
    assert.equal(typeof parseIdentity('IDENTITY'), 'string', 'the placeholder is refused until replaced');
    assert.equal(computerNameProblem('PC-0042'), null);
    assert.equal(workerGroupProblem('winfix-pc-0042'), null);
  });
});
