/** Parsing PowerShell with tree-sitter-powershell (WASM, through web-tree-sitter), and its syntax errors. */
import { Language, type Node, Parser } from 'web-tree-sitter';

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

export const position = (node: Node): string =>
  `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;

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
