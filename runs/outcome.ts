/** What a finished job's outcome means for the card (one line) and for the employee (a RunResult). */
import type { RunResult } from '../bot/inputs';
import type { JobOutcome } from './executor';

/** Why Azure says the job failed or was suspended, bounded; null when it says nothing. */
export function jobException(outcome: JobOutcome, max = 500): string | null {
  const why = outcome.snapshot?.exception?.trim();
  if (!why) return null;
  return why.length > max ? `${why.slice(0, max - 1)}…` : why;
}

/** One line for the card: ok / not ok, and what was done or went wrong. */
export function shortSummary(outcome: JobOutcome): string {
  const s = outcome.summary;
  const why = jobException(outcome, 200);
  if (!s) {
    const problems = [why, outcome.outputError ? `no output (${outcome.outputError})` : null].filter(Boolean);
    return problems.length ? problems.join('; ') : 'no result from the runbook';
  }
  const what = s.ok ? s.actions : s.errors;
  const head = `${s.ok ? 'ok' : 'not ok'}${s.changed ? ', changed' : ''}${s.rebootRequired ? ', restart needed' : ''}`;
  return what.length ? `${head}: ${what.slice(0, 3).join('; ')}` : head;
}

export function runResult(outcome: JobOutcome): RunResult {
  const s = outcome.summary;
  return {
    status: outcome.status,
    ok: outcome.succeeded,
    actions: s?.actions ?? [],
    errors: [
      ...(s ? s.errors : outcome.outputError ? [outcome.outputError] : []),
      ...(jobException(outcome, 300) && !outcome.succeeded ? [jobException(outcome, 300) as string] : []),
    ],
    rebootRequired: s?.rebootRequired ?? false,
    facts: s?.result ?? null,
    dryRun: outcome.dryRun,
  };
}
