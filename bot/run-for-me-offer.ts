/**
 * Whether a step can be offered as *Run it for me*, and the button: the step has a runbook on the
 * allow-list, its parameters can be filled from the case, the user has an enrolled PC and no run open.
 */

import { checkParameters } from '../rules/kb/runbook-parameters';
import type { Step } from '../rules/kb/schema';
import type { Choice } from './messages';
import type { Turn } from './turn';

type RunbookBinding = NonNullable<Step['runbook']>;

/**
 * A binding's parameters with the case's values filled in: `{kb}` → the first KB number as the catalog
 * wants it ("KB5034441"), or null when the case has none.
 */
export function fillParameters(
  binding: RunbookBinding,
  kbNumbers: readonly string[],
): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(binding.parameters)) {
    if (value === '{kb}') {
      const digits = /^(?:KB)?(\d{6,8})$/i.exec(kbNumbers[0] ?? '')?.[1];
      if (!digits) return null;
      params[name] = `KB${digits}`;
    } else params[name] = value;
  }
  return params;
}

/**
 * The runbook parameters for the open case, or null when they cannot be filled or the catalog would
 * refuse them (so the button is never shown for a run that every press would have refused).
 */
export function runbookParameters(turn: Turn, step: Step): Record<string, string> | null {
  if (!step.runbook) return null;
  const runbook = turn.kb.runbooks.get(step.runbook.name);
  const params = fillParameters(step.runbook, turn.state.facts.kb);
  if (!runbook || !params || checkParameters(runbook.parameters, params).length > 0) return null;
  return params;
}

/** Whether the step card offers "Run it for me". */
export function canRunForMe(turn: Turn, step: Step): boolean {
  const remote = turn.deps.remote;
  return Boolean(
    remote &&
      step.runbook &&
      remote.allows(step.runbook.name) &&
      turn.context.computers.length > 0 &&
      !turn.state.remote &&
      runbookParameters(turn, step),
  );
}

export function runForMeChoice(turn: Turn, step: Step): Choice | null {
  if (!canRunForMe(turn, step)) return null;
  return {
    label: turn.t('step.run-for-me'),
    action: { verb: 'run-for-me', step: step.id },
    style: 'default',
  };
}
