/**
 * Reads PowerShell scripts without PowerShell: tree-sitter-powershell (WASM, through web-tree-sitter) parses
 * them, and the functions below pull out what the runbook conventions talk about — syntax errors, the
 * param() block, [CmdletBinding()], comment-based help, functions and their verbs, ShouldProcess guards and
 * the final statement. `runbookProblems` applies all the conventions to one script against its catalog entry.
 */
import { Language, type Node, Parser } from 'web-tree-sitter';
import type { Runbook } from '../../rules/kb/schema';

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

/** Cmdlets that change the PC: each call must sit inside `if ($PSCmdlet.ShouldProcess(...)) { }`. */
const CHANGING_CMDLETS = new Set(
  [
    'Start-Service Stop-Service Restart-Service Set-Service New-Service Remove-Service Suspend-Service',
    'Rename-Item Remove-Item Move-Item New-Item Set-Item Clear-Item Copy-Item',
    'New-ItemProperty Set-ItemProperty Remove-ItemProperty Rename-ItemProperty Clear-ItemProperty',
    'Set-Content Add-Content Clear-Content Out-File Set-Acl Set-Date Restart-Computer Stop-Computer Stop-Process',
  ]
    .join(' ')
    .toLowerCase()
    .split(' '),
);
/** .NET / COM methods that change the PC (ServiceController, WUA, RegistryKey). */
const CHANGING_METHODS = new Set([
  'start',
  'stop',
  'pause',
  'accepteula',
  'download',
  'install',
  'setvalue',
  'deletevalue',
]);
/** `Invoke-NativeCommand` calls that only read: every other one must be guarded like a changing cmdlet. */
const READ_ONLY_NATIVE = /'\/query'|'\/stripchart'|'show'|'sdshow'/i;

export interface ParsedScript {
  source: string;
  root: Node;
}

let parserPromise: Promise<Parser> | undefined;

/** One parser for the whole test run (loading the WASM grammar takes a moment). */
export function powerShellParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const language = await Language.load(
      require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'),
    );
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

export async function parsePowerShell(source: string): Promise<ParsedScript> {
  const tree = (await powerShellParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { source, root: tree.rootNode };
}

const position = (node: Node): string => `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

/** ERROR and MISSING nodes, as "line:column ERROR near …". */
export function syntaxProblems(root: Node): string[] {
  const problems: string[] = [];
  for (const node of walk(root)) {
    if (node.isError) problems.push(`${position(node)} ERROR near ${JSON.stringify(node.text.slice(0, 40))}`);
    else if (node.isMissing) problems.push(`${position(node)} MISSING ${node.type}`);
  }
  return problems;
}

/** The value of a quoted string with nothing to expand; null for anything else. */
export function stringValue(node: Node): string | null {
  let current = node;
  while (current.type !== 'string_literal' && current.namedChildCount === 1) {
    const only = current.namedChild(0);
    if (!only) return null;
    current = only;
  }
  if (current.type !== 'string_literal') return null;
  const literal = current.namedChild(0);
  if (!literal) return null;
  if (literal.type === 'verbatim_string_characters') return literal.text.slice(1, -1).replaceAll("''", "'");
  if (
    literal.type === 'expandable_string_literal' &&
    literal.namedChildCount === 0 &&
    !literal.text.includes('`')
  )
    return literal.text.slice(1, -1);
  return null;
}

interface Attribute {
  name: string;
  args: Node[];
}

function attributesOf(owner: Node): { attributes: Attribute[]; type: string | null } {
  const list = owner.children.find((c) => c.type === 'attribute_list');
  const attributes: Attribute[] = [];
  let type: string | null = null;
  for (const attribute of list?.namedChildren ?? []) {
    const name = attribute.namedChildren.find((c) => c.type === 'attribute_name');
    if (name) {
      const args = attribute.namedChildren.find((c) => c.type === 'attribute_arguments');
      attributes.push({ name: name.text, args: args?.namedChildren ?? [] });
    } else type = attribute.text.replace(/^\[|\]$/g, '');
  }
  return { attributes, type };
}

const named = (attributes: Attribute[], name: string): Attribute | undefined =>
  attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** `Name` or `Name = $true` among an attribute's arguments. */
function flag(attribute: Attribute | undefined, name: string): boolean {
  for (const arg of attribute?.args ?? []) {
    const key = arg.namedChildren[0];
    if (key?.type !== 'simple_name' || key.text.toLowerCase() !== name.toLowerCase()) continue;
    const value = arg.namedChildren[1];
    return !value || /^(\$true|1)$/i.test(value.text.trim());
  }
  return false;
}

export interface ScriptParameter {
  name: string;
  type: string | null;
  mandatory: boolean;
  /** The ValidateSet values; a value that is not a plain string shows as its source text in angle brackets. */
  validateSet: string[] | null;
  validatePattern: string | null;
}

/** The param() block of the script itself (not of a function), or null. */
export function scriptParamBlock(root: Node): Node | null {
  return root.children.find((c) => c.type === 'param_block') ?? null;
}

export function parametersOf(paramBlock: Node): ScriptParameter[] {
  const list = paramBlock.children.find((c) => c.type === 'parameter_list');
  return (list?.namedChildren ?? [])
    .filter((p) => p.type === 'script_parameter')
    .map((p) => {
      const { attributes, type } = attributesOf(p);
      const set = named(attributes, 'ValidateSet');
      const pattern = named(attributes, 'ValidatePattern')?.args[0];
      return {
        name: (p.children.find((c) => c.type === 'variable')?.text ?? '').replace(/^\$/, ''),
        type,
        mandatory: flag(named(attributes, 'Parameter'), 'Mandatory'),
        validateSet: set ? set.args.map((a) => stringValue(a) ?? `<${a.text}>`) : null,
        validatePattern: pattern ? (stringValue(pattern) ?? `<${pattern.text}>`) : null,
      };
    });
}

/** Whether a param block carries [CmdletBinding(SupportsShouldProcess)] (null: no CmdletBinding at all). */
export function cmdletBinding(paramBlock: Node | null): { supportsShouldProcess: boolean } | null {
  if (!paramBlock) return null;
  const binding = named(attributesOf(paramBlock).attributes, 'CmdletBinding');
  return binding ? { supportsShouldProcess: flag(binding, 'SupportsShouldProcess') } : null;
}

export interface CommentHelp {
  /** Keyword (upper case) → one entry per occurrence: its argument (.PARAMETER Name) and body text. */
  sections: Map<string, { argument: string; body: string }[]>;
}

/** The comment-based help block at the top of the script (before param()), or null. */
export function commentHelp(root: Node): CommentHelp | null {
  const comment = root.children.find((c) => c.type === 'comment' && /^<#[\s\S]*\.SYNOPSIS/i.test(c.text));
  if (!comment) return null;
  const sections = new Map<string, { argument: string; body: string }[]>();
  let current: { argument: string; body: string } | null = null;
  for (const line of comment.text.replace(/^<#|#>$/g, '').split(/\r?\n/)) {
    const keyword = /^\s*\.([A-Za-z]+)(?:\s+(\S.*?))?\s*$/.exec(line);
    if (keyword?.[1]) {
      current = { argument: keyword[2] ?? '', body: '' };
      const key = keyword[1].toUpperCase();
      sections.set(key, [...(sections.get(key) ?? []), current]);
    } else if (current) current.body += `${line.trim()}\n`;
  }
  return { sections };
}

export interface FunctionInfo {
  name: string;
  text: string;
  paramBlock: Node | null;
  body: Node;
}

export function functionsOf(root: Node): FunctionInfo[] {
  return root.descendantsOfType('function_statement').map((f) => {
    const block = f.children.find((c) => c.type === 'script_block');
    return {
      name: f.children.find((c) => c.type === 'function_name')?.text ?? '',
      text: f.text,
      paramBlock: block?.children.find((c) => c.type === 'param_block') ?? null,
      body: f,
    };
  });
}

/** `$PSCmdlet.ShouldProcess(...)` calls under a node. */
export function shouldProcessCalls(node: Node): Node[] {
  return node.descendantsOfType('invokation_expression').filter((call) => isShouldProcess(call));
}

function isShouldProcess(call: Node): boolean {
  const target = call.namedChildren[0];
  const member = call.namedChildren.find((c) => c.type === 'member_name');
  return target?.text.toLowerCase() === '$pscmdlet' && member?.text.toLowerCase() === 'shouldprocess';
}

/** Whether a node runs only when an enclosing `if`/`elseif` condition called ShouldProcess and was true. */
function guarded(node: Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (child.type !== 'statement_block') continue;
    if (parent.type !== 'if_statement' && parent.type !== 'elseif_clause') continue;
    const condition = parent.namedChildren.find((c) => c.type === 'pipeline');
    const ownBlock = parent.namedChildren.find((c) => c.type === 'statement_block');
    if (ownBlock?.equals(child) && condition && !/^\s*(-not\b|!)/i.test(condition.text))
      if (condition.descendantsOfType('invokation_expression').some(isShouldProcess)) return true;
  }
  return false;
}

/** Changes to the PC (cmdlets, methods, native commands that are not read-only), as "line:column text". */
export function changes(root: Node, { unguardedOnly }: { unguardedOnly: boolean }): string[] {
  const found: Node[] = [];
  for (const command of root.descendantsOfType('command')) {
    const name = command.children.find((c) => c.type === 'command_name')?.text.toLowerCase() ?? '';
    if (CHANGING_CMDLETS.has(name)) found.push(command);
    if (name === 'invoke-nativecommand' && !READ_ONLY_NATIVE.test(command.text)) found.push(command);
  }
  for (const call of root.descendantsOfType('invokation_expression')) {
    // Instance methods only: [Diagnostics.Process]::Start(...) runs a program, it changes nothing by itself.
    if (call.children.some((c) => c.type === '::')) continue;
    const member = call.namedChildren.find((c) => c.type === 'member_name')?.text.toLowerCase() ?? '';
    if (CHANGING_METHODS.has(member)) found.push(call);
  }
  return found
    .filter((n) => !unguardedOnly || !guarded(n))
    .map((n) => `${position(n)} ${n.text.split('\n')[0]?.slice(0, 80)}`);
}

/** Top-level statements of the script body. */
function topStatements(root: Node): Node[] {
  return root.children.find((c) => c.type === 'statement_list')?.namedChildren ?? [];
}

/** Name and parameters of the command the script's last statement pipes into, or null. */
export function finalPipeTarget(root: Node): { command: string; parameters: string[] } | null {
  const last = topStatements(root).at(-1);
  const chain =
    last?.type === 'pipeline' ? last.namedChildren.find((c) => c.type === 'pipeline_chain') : null;
  if (!chain?.children.some((c) => c.type === '|')) return null;
  const command = chain.namedChildren.at(-1);
  if (command?.type !== 'command') return null;
  return {
    command: command.children.find((c) => c.type === 'command_name')?.text ?? '',
    parameters: command.descendantsOfType('command_parameter').map((p) => p.text.toLowerCase()),
  };
}

/** Whether the first top-level statement is `$ErrorActionPreference = 'Stop'`. */
export function startsWithErrorActionStop(root: Node): boolean {
  const first = topStatements(root).find((s) => s.type !== 'function_statement');
  return /^\$ErrorActionPreference\s*=\s*'Stop'$/i.test(first?.text.trim() ?? '');
}

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
