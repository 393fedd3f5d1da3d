/**
 * The layering, checked on the code: `bot/`, `runs/` and `rules/` never import a connector, the
 * composition root (`cli/`) or an SDK, and dependencies point inward (connectors → runs → bot → rules);
 * project modules have no import cycle. Imports are read with the TypeScript parser (static imports,
 * `import type`, `export … from`, `require()`, `import()`).
 *
 * Cycles count runtime imports only: a type-only import (`import type`, or every name marked `type`) is
 * erased by the compiler, so it cannot change load order or leave a value undefined at start-up (see
 * docs/decisions/0027-import-rules.md). Layer rules count every import, type-only included: an SDK's type
 * in the core is still a dependency on the SDK.
 *
 * biome.json's `noRestrictedImports` overrides say the same for the editor and `biome ci`; the last tests
 * run Biome with that file on fixtures, and check it restricts every package the core may not use.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** Folders holding project modules (tests and their helpers are not modules of the product). */
const PROJECT_FOLDERS = ['bot', 'runs', 'rules', 'connectors', 'cli', 'scripts', 'bench'];
/** The inner layers and what each may not import from the project, innermost first. */
const INNER: Record<string, string[]> = {
  rules: ['connectors', 'cli', 'bot', 'runs'],
  bot: ['connectors', 'cli', 'runs'],
  runs: ['connectors', 'cli'],
};
/** Packages the inner layers may use: pure libraries, no I/O to the outside. */
const CORE_PACKAGES = new Set(['zod', 'i18next', 'json-rules-engine', 'ajv', 'ajv-formats']);
/** Node built-ins that are transport, which belongs to connectors. */
const TRANSPORT_BUILTINS = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram']);

interface ImportRef {
  /** Importing file, relative to the root, with forward slashes. */
  from: string;
  specifier: string;
  typeOnly: boolean;
  line: number;
}

/** Every import in one file's text. */
function importsOf(from: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ from, specifier: literal.text, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allNamesTyped =
        !!clause &&
        !clause.name &&
        !!named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allNamesTyped));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const clause = node.exportClause;
      const allNamesTyped =
        !!clause &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allNamesTyped);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && node.arguments.length === 1) add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      // `typeof import('x')` in a type position.
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const posix = (p: string) => p.split(path.sep).join('/');

/** The project file a relative specifier names (`x` → x.ts, x/index.ts, or x itself), or null. */
function resolveInProject(from: string, specifier: string, exists: (file: string) => boolean): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base])
    if (/\.(ts|json)$/.test(candidate) && exists(candidate)) return candidate;
  return null;
}

/** The package an external specifier belongs to (`@scope/name`, `name`), or the built-in's bare name. */
function packageOf(specifier: string): { builtin: boolean; name: string } {
  const bare = specifier.replace(/^node:/, '');
  const builtinName = bare.split('/')[0] ?? bare;
  if (specifier.startsWith('node:') || builtinModules.includes(builtinName))
    return { builtin: true, name: builtinName };
  const parts = specifier.split('/');
  return { builtin: false, name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '') };
}

const topFolder = (file: string) => file.split('/')[0] ?? '';

/** What breaks the layering, one line each (empty when all is well). */
function layerViolations(refs: ImportRef[], exists: (file: string) => boolean): string[] {
  const problems: string[] = [];
  for (const ref of refs) {
    const layer = topFolder(ref.from);
    const forbidden = INNER[layer];
    if (!forbidden) continue;
    const where = `${ref.from}:${ref.line} imports '${ref.specifier}'${ref.typeOnly ? ' (type only)' : ''}`;
    if (ref.specifier.startsWith('.')) {
      const target = resolveInProject(ref.from, ref.specifier, exists);
      const folder = target
        ? topFolder(target)
        : topFolder(path.posix.join(path.posix.dirname(ref.from), ref.specifier));
      if (forbidden.includes(folder)) problems.push(`${where}: ${layer}/ may not import ${folder}/`);
      continue;
    }
    const pkg = packageOf(ref.specifier);
    if (pkg.builtin ? TRANSPORT_BUILTINS.has(pkg.name) : !CORE_PACKAGES.has(pkg.name))
      problems.push(
        `${where}: ${layer}/ may not use ${pkg.builtin ? 'transport' : 'the SDK/package'} ${pkg.name}`,
      );
  }
  return problems;
}

/** Cycles among project files through runtime imports (Tarjan's strongly connected components). */
function importCycles(refs: ImportRef[], exists: (file: string) => boolean): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const ref of refs) {
    if (!edges.has(ref.from)) edges.set(ref.from, new Set());
    if (ref.typeOnly) continue;
    const target = resolveInProject(ref.from, ref.specifier, exists);
    if (target) edges.get(ref.from)?.add(target);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v)?.has(v)) cycles.push(component.sort());
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) connect(file);
  return cycles;
}

function projectFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'results') walk(rel);
      } else if (entry.name.endsWith('.ts')) files.push(rel);
    }
  };
  for (const folder of PROJECT_FOLDERS) if (existsSync(path.join(ROOT, folder))) walk(folder);
  return files.sort();
}

const inTree = (file: string) => existsSync(path.join(ROOT, file));

describe('architecture: what the parser finds', () => {
  it('reads imports of every kind, and which are type-only', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../connectors/teams';",
      "import { type C, type D } from './cd';",
      "import { type E, f } from './ef';",
      "export { g } from './g';",
      "export type { H } from './h';",
      "const i = require('@slack/bolt');",
      "const j = () => import('./j');",
      "type K = typeof import('./k');",
    ].join('\n');
    assert.deepEqual(
      importsOf('bot/x.ts', text).map((r) => [r.specifier, r.typeOnly, r.line]),
      [
        ['./a', false, 1],
        ['../connectors/teams', true, 2],
        ['./cd', true, 3],
        ['./ef', false, 4],
        ['./g', false, 5],
        ['./h', true, 6],
        ['@slack/bolt', false, 7],
        ['./j', false, 8],
        ['./k', true, 9],
      ],
    );
  });

  it('refuses a connector, cli/, an SDK or an outward import in bot/, runs/ and rules/, type-only too', () => {
    const refs = [
      ...importsOf('bot/a.ts', "import type { T } from '../connectors/teams';\nimport { x } from './b';"),
      ...importsOf('bot/deep/a.ts', "const s = require('../../connectors/storage/dedup');"),
      ...importsOf('runs/a.ts', "import { App } from '@slack/bolt';\nimport { z } from 'zod';"),
      ...importsOf('runs/b.ts', "import { bot } from '../bot/bot';\nimport http from 'node:http';"),
      ...importsOf(
        'rules/a.ts',
        "import { Turn } from '../bot/turn';\nimport { readFileSync } from 'node:fs';",
      ),
      ...importsOf('bot/c.ts', "import { config } from '../cli/config';\nimport { Pool } from 'pg';"),
      ...importsOf('connectors/teams/a.ts', "import { CloudAdapter } from '@microsoft/agents-hosting';"),
    ];
    assert.deepEqual(
      layerViolations(refs, () => false),
      [
        "bot/a.ts:1 imports '../connectors/teams' (type only): bot/ may not import connectors/",
        "bot/deep/a.ts:1 imports '../../connectors/storage/dedup': bot/ may not import connectors/",
        "runs/a.ts:1 imports '@slack/bolt': runs/ may not use the SDK/package @slack/bolt",
        "runs/b.ts:2 imports 'node:http': runs/ may not use transport http",
        "rules/a.ts:1 imports '../bot/turn': rules/ may not import bot/",
        "bot/c.ts:1 imports '../cli/config': bot/ may not import cli/",
        "bot/c.ts:2 imports 'pg': bot/ may not use the SDK/package pg",
      ],
    );
  });

  it('finds a cycle through runtime imports, not through type-only ones', () => {
    const files = new Set(['bot/a.ts', 'bot/b.ts', 'bot/c.ts', 'bot/d.ts']);
    const exists = (f: string) => files.has(f);
    const refs = [
      ...importsOf('bot/a.ts', "import { b } from './b';"),
      ...importsOf('bot/b.ts', "import { c } from './c';"),
      ...importsOf('bot/c.ts', "import { a } from './a';\nimport { d } from './d';"),
      ...importsOf('bot/d.ts', "import type { C } from './c';"),
    ];
    assert.deepEqual(importCycles(refs, exists), [['bot/a.ts', 'bot/b.ts', 'bot/c.ts']]);
  });
});

describe('architecture: the code', () => {
  const refs = projectFiles().flatMap((file) => importsOf(file, readFileSync(path.join(ROOT, file), 'utf8')));

  it('reads the whole tree (sanity: the inner layers and their imports are there)', () => {
    for (const layer of Object.keys(INNER))
      assert.ok(
        refs.some((r) => r.from.startsWith(`${layer}/`)),
        `no imports found in ${layer}/`,
      );
  });

  it('keeps bot/, runs/ and rules/ free of connectors, cli/ and SDKs, with dependencies pointing inward', () => {
    assert.deepEqual(layerViolations(refs, inTree), []);
  });

  it('has no import cycle among project modules (runtime imports)', () => {
    assert.deepEqual(importCycles(refs, inTree), []);
  });
});

describe('architecture: biome.json says the same (noRestrictedImports per folder)', () => {
  const config = JSON.parse(readFileSync(path.join(ROOT, 'biome.json'), 'utf8')) as {
    overrides?: {
      includes: string[];
      linter?: { rules?: { style?: { noRestrictedImports?: { options?: Record<string, unknown> } } } };
    }[];
  };
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };

  it('restricts, in each inner folder, every dependency the core may not use', () => {
    for (const layer of Object.keys(INNER)) {
      const override = config.overrides?.find((o) => o.includes.includes(`${layer}/**`));
      const options = override?.linter?.rules?.style?.noRestrictedImports?.options;
      assert.ok(options, `biome.json has no noRestrictedImports override for ${layer}/**`);
      const paths = Object.keys((options.paths ?? {}) as Record<string, unknown>);
      const groups = ((options.patterns ?? []) as { group: string[] }[]).flatMap((p) => p.group);
      // A scoped package is covered by its scope's pattern (`@slack/*`), any other by its name in `paths`.
      const restricted = (name: string) =>
        name.startsWith('@') ? groups.includes(`${name.split('/')[0]}/*`) : paths.includes(name);
      // tsx runs the TypeScript sources (bin/winfix.js); nothing imports it.
      const sdks = Object.keys(pkg.dependencies).filter((name) => !CORE_PACKAGES.has(name) && name !== 'tsx');
      assert.deepEqual(
        sdks.filter((name) => !restricted(name)),
        [],
        `${layer}/: dependencies not restricted`,
      );
    }
  });

  it('makes `biome lint` fail on a connector, an SDK or an outward import there, and pass elsewhere', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'winfix-arch-'));
    try {
      writeFileSync(path.join(dir, 'biome.json'), readFileSync(path.join(ROOT, 'biome.json')));
      const fixtures: Record<string, string> = {
        'bot/bad.ts':
          "import { x } from '../connectors/teams';\nimport { y } from '../runs/remote-runs';\nexport const a = [x, y];\n",
        'runs/deep/bad.ts':
          "import { App } from '@slack/bolt';\nimport { Pool } from 'pg';\nexport const a = [App, Pool];\n",
        'rules/bad.ts': "import type { Bot } from '../bot/bot';\nexport type A = Bot;\n",
        'bot/good.ts': "import { z } from 'zod';\nimport { b } from './b';\nexport const a = [z, b];\n",
        'connectors/good.ts':
          "import { App } from '@slack/bolt';\nimport { x } from '../bot';\nexport const a = [App, x];\n",
      };
      for (const [file, text] of Object.entries(fixtures)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      const biome = path.join(ROOT, 'node_modules', '.bin', 'biome');
      const run = spawnSync(biome, ['lint', '--reporter=json', '--max-diagnostics=100', '.'], {
        cwd: dir,
        encoding: 'utf8',
      });
      const report = JSON.parse(run.stdout) as {
        diagnostics: { category: string; location: { path: string; start: { line: number } } }[];
      };
      const restricted = report.diagnostics
        .filter((d) => d.category === 'lint/style/noRestrictedImports')
        .map((d) => `${posix(d.location.path)}:${d.location.start.line}`)
        .sort();
      assert.deepEqual(restricted, [
        'bot/bad.ts:1',
        'bot/bad.ts:2',
        'rules/bad.ts:1',
        'runs/deep/bad.ts:1',
        'runs/deep/bad.ts:2',
      ]);
      assert.notEqual(run.status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
