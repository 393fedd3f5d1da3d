/** The script's structure: comment-based help, functions, and its first and last top-level statements. */
import type { Node } from 'web-tree-sitter';

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
