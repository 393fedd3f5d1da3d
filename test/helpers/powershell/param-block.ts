/** The script's param() block: its parameters with their validation, and [CmdletBinding()]. */
import type { Node } from 'web-tree-sitter';
import { attributesOf, flag, named, stringValue } from './attributes';

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
