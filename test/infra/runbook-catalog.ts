/**
 * The runbook catalog (rules/kb/runbooks.json), the PowerShell runbooks (infra/runbooks) and the steps bound
 * to them, read once for the runbook tests. PowerShell cannot run here, so each script is parsed with
 * tree-sitter-powershell.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Runbook, Step } from '../../rules/kb/schema';
import { type ParsedScript, parsePowerShell } from '../helpers/powershell-ast';

const ROOT = path.resolve(__dirname, '../..');
const RUNBOOK_DIR = path.join(ROOT, 'infra/runbooks');
const KB_DIR = path.join(ROOT, 'rules/kb');

export const catalog = JSON.parse(readFileSync(path.join(KB_DIR, 'runbooks.json'), 'utf8')) as Runbook[];
export const scriptFiles = readdirSync(RUNBOOK_DIR).filter((f) => f.toLowerCase().endsWith('.ps1'));
export const bindings = readdirSync(path.join(KB_DIR, 'steps'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) =>
    (JSON.parse(readFileSync(path.join(KB_DIR, 'steps', f), 'utf8')) as Step[]).map((step) => ({ f, step })),
  )
  .filter(({ step }) => step.runbook);

/** Each runbook's parsed script by name, once `parseRunbooks` has resolved. */
export const scripts = new Map<string, ParsedScript>();
let parsing: Promise<void> | undefined;

/** Parses every .ps1 of infra/runbooks into `scripts` (once per test run). */
export function parseRunbooks(): Promise<void> {
  parsing ??= (async () => {
    for (const file of scriptFiles)
      scripts.set(
        path.basename(file, '.ps1'),
        await parsePowerShell(readFileSync(path.join(RUNBOOK_DIR, file), 'utf8')),
      );
  })();
  return parsing;
}

export const script = (name: string): ParsedScript => {
  const parsed = scripts.get(name);
  if (!parsed) throw new Error(`${name}.ps1 was not parsed`);
  return parsed;
};
