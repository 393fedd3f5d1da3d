/**
 * The runbook conventions of DESIGN.md: approved verbs, param() against the catalog entry, help,
 * ShouldProcess guards and the final ConvertTo-Json, applied to one script by `runbookProblems`.
 */
import type { Runbook } from '../../../rules/kb/schema';
import { changes, shouldProcessCalls } from './changes';
import { cmdletBinding, parametersOf, type ScriptParameter, scriptParamBlock } from './param-block';
import { type ParsedScript, position, syntaxProblems } from './parse';
import { commentHelp, finalPipeTarget, functionsOf, startsWithErrorActionStop } from './structure';

type RunbookParameter = Runbook['parameters'][number];

/** Approved verbs of Windows PowerShell 5.1 (`Get-Verb`); Build and Deploy came with PowerShell 6. */
export const APPROVED_VERBS: ReadonlySet<string> = new Set(
  [
    // Common
    'Add Clear Close Copy Enter Exit Find Format Get Hide Join Lock Move New Open Optimize Pop Push Redo Remove',
    'Rename Reset Resize Search Select Set Show Skip Split Step Switch Undo Unlock Watch',
    // Communications
    'Connect Disconnect Read Receive Send Write',
    // Data
    'Backup Checkpoint Compare Compress Convert ConvertFrom ConvertTo Dismount Edit Expand Export Group Import',
    'Initialize Limit Merge Mount Out Publish Restore Save Sync Unpublish Update',
    // Diagnostic
    'Debug Measure Ping Repair Resolve Test Trace',
    // Lifecycle
    'Approve Assert Complete Confirm Deny Disable Enable Install Invoke Register Request Restart Resume Start Stop',
    'Submit Suspend Uninstall Unregister Wait',
    // Security, Other
    'Block Grant Protect Revoke Unblock Unprotect Use',
  ]
    .join(' ')
    .split(' '),
);

/** Differences between a script's param() and its catalog entry; empty when they match exactly. */
export function compareParameters(actual: ScriptParameter[], expected: RunbookParameter[]): string[] {
  const problems: string[] = [];
  const byName = new Map(actual.map((p) => [p.name, p]));
  for (const want of expected) {
    const have = byName.get(want.name);
    if (!have) {
      problems.push(`parameter ${want.name} is in the catalog but not in param()`);
      continue;
    }
    if (have.mandatory !== want.required)
      problems.push(
        `${want.name}: Mandatory is ${have.mandatory}, the catalog says required ${want.required}`,
      );
    const set = JSON.stringify(have.validateSet ?? null);
    if (set !== JSON.stringify(want.validateSet ?? null))
      problems.push(
        `${want.name}: ValidateSet ${set} differs from the catalog's ${JSON.stringify(want.validateSet ?? null)}`,
      );
    if ((have.validatePattern ?? null) !== (want.pattern ?? null))
      problems.push(
        `${want.name}: ValidatePattern ${JSON.stringify(have.validatePattern)} differs from the catalog's ${JSON.stringify(want.pattern ?? null)}`,
      );
    if (!have.validateSet && !have.validatePattern)
      problems.push(`${want.name}: neither ValidateSet nor ValidatePattern`);
  }
  for (const have of actual)
    if (!expected.some((p) => p.name === have.name))
      problems.push(`parameter ${have.name} is in param() but not in the catalog`);
  return problems;
}

const verbOf = (name: string): string => name.split('-')[0] ?? '';

/**
 * Every runbook convention of DESIGN.md checked on one script; empty when it complies. A fix must guard each
 * change with ShouldProcess; a diagnostic must change nothing at all (so it has nothing to guard).
 */
export function runbookProblems(
  script: ParsedScript,
  runbook: Pick<Runbook, 'name' | 'kind' | 'parameters'>,
): string[] {
  const { root } = script;
  const problems = syntaxProblems(root);
  if (!APPROVED_VERBS.has(verbOf(runbook.name)))
    problems.push(`${runbook.name}: ${verbOf(runbook.name)} is not an approved verb`);

  const paramBlock = scriptParamBlock(root);
  if (!paramBlock) problems.push('no param() block at the top of the script');
  if (!cmdletBinding(paramBlock)?.supportsShouldProcess)
    problems.push('no [CmdletBinding(SupportsShouldProcess)]');
  const parameters = paramBlock ? parametersOf(paramBlock) : [];
  problems.push(...compareParameters(parameters, runbook.parameters));

  const help = commentHelp(root);
  if (!help) problems.push('no comment-based help with .SYNOPSIS before param()');
  else {
    for (const keyword of ['SYNOPSIS', 'DESCRIPTION', 'EXAMPLE', 'OUTPUTS'])
      if (!help.sections.get(keyword)?.some((s) => s.body.trim() || s.argument))
        problems.push(`help has no .${keyword}`);
    const documented = (help.sections.get('PARAMETER') ?? []).filter((s) => s.body.trim());
    for (const p of parameters)
      if (!documented.some((s) => s.argument.toLowerCase() === p.name.toLowerCase()))
        problems.push(`help has no .PARAMETER ${p.name}`);
    for (const s of help.sections.get('PARAMETER') ?? [])
      if (!parameters.some((p) => p.name.toLowerCase() === s.argument.toLowerCase()))
        problems.push(`help documents .PARAMETER ${s.argument}, which param() does not declare`);
  }

  if (!startsWithErrorActionStop(root))
    problems.push("the first statement is not $ErrorActionPreference = 'Stop'");
  if (runbook.kind === 'diagnostic')
    for (const change of changes(root, { unguardedOnly: false }))
      problems.push(`a diagnostic changes the PC at ${change}`);
  else {
    if (shouldProcessCalls(root).length === 0) problems.push('ShouldProcess is never called');
    for (const change of changes(root, { unguardedOnly: true }))
      problems.push(`change outside ShouldProcess at ${change}`);
  }
  for (const fn of functionsOf(root)) {
    if (!APPROVED_VERBS.has(verbOf(fn.name)))
      problems.push(`function ${fn.name}: ${verbOf(fn.name)} is not an approved verb`);
    if (shouldProcessCalls(fn.body).length > 0 && !cmdletBinding(fn.paramBlock)?.supportsShouldProcess)
      problems.push(`function ${fn.name} calls ShouldProcess without [CmdletBinding(SupportsShouldProcess)]`);
  }
  for (const chain of root.descendantsOfType('pipeline_chain_tail'))
    problems.push(
      `${position(chain)} ${chain.text} needs PowerShell 7, the worker runs Windows PowerShell 5.1`,
    );

  const final = finalPipeTarget(root);
  if (final?.command.toLowerCase() !== 'convertto-json' || !final.parameters.includes('-compress'))
    problems.push('the last statement does not pipe into ConvertTo-Json -Compress');
  return problems;
}
