/** Changes to the PC and the `$PSCmdlet.ShouldProcess(...)` guards around them. */
import type { Node } from 'web-tree-sitter';
import { position } from './parse';

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
