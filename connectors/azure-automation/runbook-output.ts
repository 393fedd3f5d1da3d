/**
 * Reads a runbook's result from its job output. Every runbook in infra/runbooks writes one compressed
 * JSON object as its last output line ({runbook, computer, ok, changed, rebootRequired, actions, errors …}).
 * The output is untrusted text: anything else (a stray string, a half line, HTML from a proxy) yields
 * `null` rather than an exception, and what is kept is bounded.
 */

export interface RunbookSummary {
  /** The runbook that wrote it, as it says (null when it does not say). */
  runbook: string | null;
  /** The computer it ran on, as it says. */
  computer: string | null;
  /** No errors: the repair did what it set out to do. A Completed job can still carry ok: false. */
  ok: boolean;
  changed: boolean;
  rebootRequired: boolean;
  /** Ran with -WhatIf: nothing was changed on purpose. */
  whatIf: boolean;
  /** Written by the dry-run executor: nothing ran at all. */
  dryRun: boolean;
  actions: string[];
  errors: string[];
  /** A sentence the runbook (or the dry run) addressed to people, if any. */
  message: string | null;
  /** The whole object, for the facts some runbooks report (Get-UpdateHealth: freeDiskGb, osBuild …). */
  result: Record<string, unknown>;
}

const MAX_ITEMS = 50;
const MAX_TEXT = 1000;
/** Lines longer than this are not parsed (no runbook writes one; a huge blob is not a result). */
const MAX_LINE = 1_000_000;

function text(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

function texts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out = list.slice(0, MAX_ITEMS).map(text);
  if (list.length > MAX_ITEMS) out.push(`… and ${list.length - MAX_ITEMS} more`);
  return out;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value ? text(value) : null);

function toSummary(object: Record<string, unknown>): RunbookSummary {
  return {
    runbook: str(object.runbook),
    computer: str(object.computer),
    ok: object.ok === true,
    changed: object.changed === true,
    rebootRequired: object.rebootRequired === true,
    whatIf: object.whatIf === true,
    dryRun: object.dryRun === true,
    actions: texts(object.actions),
    errors: texts(object.errors),
    message: str(object.message),
    result: object,
  };
}

function parseObject(line: string): Record<string, unknown> | null {
  if (line.length > MAX_LINE || !line.startsWith('{') || !line.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The runbook's result: the last output line that is a JSON object with a boolean `ok`. Null when there
 * is none (the job failed before the body ran, the output is not a runbook's, or it is garbage).
 */
export function parseRunbookOutput(output: unknown): RunbookSummary | null {
  if (typeof output !== 'string' || !output) return null;
  const lines = output.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const object = parseObject((lines[i] ?? '').replace(/^\uFEFF/, '').trim());
    if (object && typeof object.ok === 'boolean') return toSummary(object);
  }
  return null;
}
