/** The runbook convention checks (test/helpers/powershell-ast.ts) catch what they claim to catch. */
import assert from 'node:assert/strict';
import type { Runbook } from '../../rules/kb/schema';
import {
  changes,
  compareParameters,
  parametersOf,
  parsePowerShell,
  runbookProblems,
  scriptParamBlock,
  syntaxProblems,
} from '../helpers/powershell-ast';

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
