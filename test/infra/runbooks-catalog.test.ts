/**
 * The PowerShell runbooks against the runbook catalog (rules/kb/runbooks.json) and the steps bound to them:
 * every script parses, follows the conventions in DESIGN.md, declares the catalog's parameters and accepts
 * what the steps bind; helper functions copied between runbooks stay identical.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  functionsOf,
  parametersOf,
  runbookProblems,
  scriptParamBlock,
  syntaxProblems,
} from '../helpers/powershell-ast';
import { bindings, catalog, parseRunbooks, script, scriptFiles, scripts } from './runbook-catalog';

/** Step parameters filled in by the bot from the conversation (as in rules/kb/check.ts). */
const TEMPLATE = /^\{(kb)\}$/;

describe('PowerShell runbooks (infra/runbooks)', () => {
  before(parseRunbooks);

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
});
