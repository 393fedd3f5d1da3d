/** Values in the syntax tree: plain string literals and `[Attribute(...)]` lists with their arguments. */
import type { Node } from 'web-tree-sitter';

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

export interface Attribute {
  name: string;
  args: Node[];
}

export function attributesOf(owner: Node): { attributes: Attribute[]; type: string | null } {
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

export const named = (attributes: Attribute[], name: string): Attribute | undefined =>
  attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** `Name` or `Name = $true` among an attribute's arguments. */
export function flag(attribute: Attribute | undefined, name: string): boolean {
  for (const arg of attribute?.args ?? []) {
    const key = arg.namedChildren[0];
    if (key?.type !== 'simple_name' || key.text.toLowerCase() !== name.toLowerCase()) continue;
    const value = arg.namedChildren[1];
    return !value || /^(\$true|1)$/i.test(value.text.trim());
  }
  return false;
}
