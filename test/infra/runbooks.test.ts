/**
 * The PowerShell runbooks against the runbook catalog (rules/kb/runbooks.json) and the steps bound to them.
 * PowerShell cannot run here, so every script is parsed with tree-sitter-powershell and checked for the
 * conventions in DESIGN.md; the last block shows that the checks catch what they claim to catch.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { Runbook, Step } from '../../rules/kb/schema';
import {
  changes,
  compareParameters,
  functionsOf,
  type ParsedScript,
  parametersOf,
  parsePowerShell,
  runbookProblems,
  scriptParamBlock,
  stringValue,
  syntaxProblems,
} from '../helpers/powershell-ast';

const ROOT = path.resolve(__dirname, '../..');
const RUNBOOK_DIR = path.join(ROOT, 'infra/runbooks');
const KB_DIR = path.join(ROOT, 'rules/kb');
/** Step parameters filled in by the bot from the conversation (as in rules/kb/check.ts). */
const TEMPLATE = /^\{(kb)\}$/;

const catalog = JSON.parse(readFileSync(path.join(KB_DIR, 'runbooks.json'), 'utf8')) as Runbook[];
const scriptFiles = readdirSync(RUNBOOK_DIR).filter((f) => f.toLowerCase().endsWith('.ps1'));
const bindings = readdirSync(path.join(KB_DIR, 'steps'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) =>
    (JSON.parse(readFileSync(path.join(KB_DIR, 'steps', f), 'utf8')) as Step[]).map((step) => ({ f, step })),
  )
  .filter(({ step }) => step.runbook);

const scripts = new Map<string, ParsedScript>();
const script = (name: string): ParsedScript => {
  const parsed = scripts.get(name);
  if (!parsed) throw new Error(`${name}.ps1 was not parsed`);
  return parsed;
};

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

/** A well-formed fix runbook for the negative tests below, with one parameter. */
const sample = (
  param: string,
  body = "if ($PSCmdlet.ShouldProcess('x', 'y')) { Remove-Item -LiteralPath 'C:\\x' }",
) => `<#
.SYNOPSIS
    Sample.
.DESCRIPTION
    Sample runbook.
.PARAMETER Mode
    The mode.
.EXAMPLE
    .\\Reset-Sample.ps1 -Mode Yes
.OUTPUTS
    System.String
#>
[CmdletBinding(SupportsShouldProcess)]
param(
${param}
)

$ErrorActionPreference = 'Stop'
${body}
[pscustomobject]@{ ok = $true } | ConvertTo-Json -Compress -Depth 5
`;
const sampleEntry: Pick<Runbook, 'name' | 'kind' | 'parameters'> = {
  name: 'Reset-Sample',
  kind: 'fix',
  parameters: [{ name: 'Mode', required: true, validateSet: ['Yes', 'No'] }],
};
const goodParam = "    [Parameter(Mandatory)]\n    [ValidateSet('Yes', 'No')]\n    [string]$Mode";

describe('PowerShell runbooks (infra/runbooks)', () => {
  before(async () => {
    for (const file of scriptFiles)
      scripts.set(
        path.basename(file, '.ps1'),
        await parsePowerShell(readFileSync(path.join(RUNBOOK_DIR, file), 'utf8')),
      );
  });

  it('parses every .ps1 without ERROR or MISSING nodes', () => {
    assert.ok(scriptFiles.length > 0, 'no .ps1 files found');
    const problems = scriptFiles.flatMap((file) =>
      syntaxProblems(script(path.basename(file, '.ps1')).root).map((p) => `${file} ${p}`),
    );
    assert.deepEqual(problems, []);
  });

  it('has one .ps1 per catalog entry and none without one', () => {
    const names = catalog.map((r) => r.name).sort();
    assert.deepEqual(scriptFiles.map((f) => path.basename(f, '.ps1')).sort(), names);
    assert.deepEqual(
      scriptFiles.filter((f) => !f.endsWith('.ps1')),
      [],
      'use the lower-case .ps1 extension',
    );
  });

  describe('each catalog runbook follows the conventions', () => {
    for (const runbook of catalog)
      it(`${runbook.name}: param() matches the catalog; help, CmdletBinding, verbs, ShouldProcess, JSON last`, () => {
        assert.deepEqual(runbookProblems(script(runbook.name), runbook), []);
      });
  });

  it("declares exactly the catalog's parameters (names, Mandatory, ValidateSet, ValidatePattern)", () => {
    for (const runbook of catalog) {
      const block = scriptParamBlock(script(runbook.name).root);
      assert.ok(block, `${runbook.name}: no param()`);
      const parameters = parametersOf(block);
      assert.deepEqual(
        parameters.map((p) => p.name),
        runbook.parameters.map((p) => p.name),
        runbook.name,
      );
      for (const want of runbook.parameters) {
        const have = parameters.find((p) => p.name === want.name);
        assert.equal(have?.mandatory, want.required, `${runbook.name} ${want.name} Mandatory`);
        assert.deepEqual(
          have?.validateSet,
          want.validateSet ?? null,
          `${runbook.name} ${want.name} ValidateSet`,
        );
        assert.equal(
          have?.validatePattern,
          want.pattern ?? null,
          `${runbook.name} ${want.name} ValidatePattern`,
        );
      }
    }
  });

  it('binds every step to an existing runbook whose parameters accept the bound values', () => {
    assert.ok(bindings.length > 0, 'no step binds a runbook');
    const problems: string[] = [];
    for (const { f, step } of bindings) {
      const binding = step.runbook;
      if (!binding) continue;
      const where = `${f} ${step.id} → ${binding.name}`;
      if (!scripts.has(binding.name)) {
        problems.push(`${where}: no ${binding.name}.ps1`);
        continue;
      }
      const block = scriptParamBlock(script(binding.name).root);
      const parameters = block ? parametersOf(block) : [];
      for (const [name, value] of Object.entries(binding.parameters)) {
        const param = parameters.find((p) => p.name === name);
        if (!param) problems.push(`${where}: the script has no parameter ${name}`);
        else if (!TEMPLATE.test(value)) {
          if (param.validateSet && !param.validateSet.some((v) => v.toLowerCase() === value.toLowerCase()))
            problems.push(`${where}: ${name}=${value} is not in ValidateSet ${param.validateSet.join(', ')}`);
          // ValidatePattern matches case-insensitively in PowerShell.
          if (param.validatePattern && !new RegExp(param.validatePattern, 'i').test(value))
            problems.push(
              `${where}: ${name}=${value} does not match ValidatePattern ${param.validatePattern}`,
            );
        }
      }
      for (const param of parameters)
        if (param.mandatory && !(param.name in binding.parameters))
          problems.push(`${where}: mandatory parameter ${param.name} is not bound`);
    }
    assert.deepEqual(problems, []);
  });

  it('keeps the helper functions copied between runbooks identical', () => {
    const copies = new Map<string, Map<string, string[]>>();
    for (const [name, parsed] of scripts)
      for (const fn of functionsOf(parsed.root)) {
        const texts = copies.get(fn.name) ?? new Map<string, string[]>();
        texts.set(fn.text, [...(texts.get(fn.text) ?? []), name]);
        copies.set(fn.name, texts);
      }
    const drifted = [...copies]
      .filter(([, texts]) => texts.size > 1)
      .map(([fn, texts]) => `${fn}: ${[...texts.values()].map((owners) => owners.join('+')).join(' vs ')}`);
    assert.deepEqual(drifted, []);
  });

  it('uses every function it defines', () => {
    const unused: string[] = [];
    for (const [name, parsed] of scripts)
      for (const fn of functionsOf(parsed.root)) {
        const calls = parsed.root
          .descendantsOfType('command_name')
          .filter((c) => c.text.toLowerCase() === fn.name.toLowerCase());
        if (calls.length === 0) unused.push(`${name}: ${fn.name}`);
      }
    assert.deepEqual(unused, []);
  });

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

  describe('the checks catch problems', () => {
    it('accepts the well-formed sample', async () => {
      assert.deepEqual(runbookProblems(await parsePowerShell(sample(goodParam)), sampleEntry), []);
    });

    it('reports a syntax error with line and column', async () => {
      const broken = await parsePowerShell(sample(goodParam, "if ($x { Remove-Item 'C:\\x' }"));
      const problems = syntaxProblems(broken.root);
      assert.ok(problems.length > 0, 'no syntax problem reported');
      assert.match(problems[0] ?? '', /^\d+:\d+ (ERROR|MISSING)/);
      assert.ok(runbookProblems(broken, sampleEntry).length > 0);
    });

    it('reports a ValidateSet that differs from the catalog', async () => {
      const wrong = await parsePowerShell(
        sample("    [Parameter(Mandatory)]\n    [ValidateSet('Yes', 'Maybe')]\n    [string]$Mode"),
      );
      const problems = runbookProblems(wrong, sampleEntry);
      assert.ok(
        problems.some((p) => p.includes('Mode: ValidateSet ["Yes","Maybe"] differs')),
        problems.join('\n'),
      );
      assert.deepEqual(
        compareParameters(parametersOf(scriptParamBlock(wrong.root) ?? wrong.root), [
          { name: 'Mode', required: true, validateSet: ['Yes', 'Maybe'] },
        ]),
        [],
      );
    });

    const cases: [string, string, string, RegExp][] = [
      ['a missing Mandatory', "    [ValidateSet('Yes', 'No')]\n    [string]$Mode", '', /Mandatory is false/],
      [
        'a ValidatePattern the catalog lacks',
        "    [Parameter(Mandatory)][ValidatePattern('^x$')][string]$Mode",
        '',
        /ValidatePattern "\^x\$" differs/,
      ],
      [
        'an extra parameter',
        `${goodParam},\n    [string]$Extra`,
        '',
        /Extra is in param\(\) but not in the catalog/,
      ],
      [
        'a change outside ShouldProcess',
        goodParam,
        "Remove-Item -LiteralPath 'C:\\x'",
        /change outside ShouldProcess at \d+:\d+ Remove-Item/,
      ],
      [
        'a change in the else branch',
        goodParam,
        "if ($PSCmdlet.ShouldProcess('x', 'y')) { } else { $svc.Stop() }",
        /outside ShouldProcess .* \$svc\.Stop\(\)/,
      ],
      [
        'a native command that changes things',
        goodParam,
        "Invoke-NativeCommand -FilePath 'sfc.exe' -ArgumentList '/scannow'",
        /outside ShouldProcess .* Invoke-NativeCommand/,
      ],
      [
        'an unapproved verb',
        goodParam,
        "function Fix-Thing { if ($PSCmdlet.ShouldProcess('x', 'y')) { } }\nFix-Thing",
        /Fix is not an approved verb/,
      ],
      [
        'ShouldProcess in a function without SupportsShouldProcess',
        goodParam,
        "function Set-Thing { if ($PSCmdlet.ShouldProcess('x', 'y')) { } }\nSet-Thing",
        /Set-Thing calls ShouldProcess without/,
      ],
      [
        'PowerShell 7 syntax',
        goodParam,
        "if ($PSCmdlet.ShouldProcess('x', 'y')) { Get-Date && Get-Date }",
        /needs PowerShell 7/,
      ],
    ];
    for (const [what, param, body, expected] of cases)
      it(`reports ${what}`, async () => {
        const problems = runbookProblems(await parsePowerShell(sample(param, body)), sampleEntry);
        assert.ok(
          problems.some((p) => expected.test(p)),
          `expected ${expected}, got:\n${problems.join('\n')}`,
        );
      });

    it('reports missing help, CmdletBinding, ErrorActionPreference and a final ConvertTo-Json', async () => {
      const bare = await parsePowerShell(
        "param([Parameter(Mandatory)][ValidateSet('Yes', 'No')][string]$Mode)\nGet-Date\n",
      );
      const problems = runbookProblems(bare, sampleEntry);
      for (const expected of [
        /no comment-based help/,
        /no \[CmdletBinding\(SupportsShouldProcess\)\]/,
        /ErrorActionPreference/,
        /ShouldProcess is never called/,
        /ConvertTo-Json -Compress/,
      ])
        assert.ok(
          problems.some((p) => expected.test(p)),
          `expected ${expected}, got:\n${problems.join('\n')}`,
        );
    });

    it('reports any change in a diagnostic, even a guarded one', async () => {
      const diagnostic = await parsePowerShell(sample(goodParam));
      const problems = runbookProblems(diagnostic, { ...sampleEntry, kind: 'diagnostic' });
      assert.ok(
        problems.some((p) => /a diagnostic changes the PC at \d+:\d+ Remove-Item/.test(p)),
        problems.join('\n'),
      );
      assert.equal(changes(diagnostic.root, { unguardedOnly: true }).length, 0);
    });
  });
});
