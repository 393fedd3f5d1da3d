/**
 * Whether a step can be offered as *Run it for me*, and the button: the step has a runbook on the
 * allow-list, its parameters can be filled from the case, the user has an enrolled PC and no run open.
 */
import type { Step } from '../rules/kb/schema';
import type { Choice } from './messages';
import type { Turn } from './turn';

/** The runbook parameters with the case's values filled in ({kb} → the first KB number), or null. */
export function runbookParameters(turn: Turn, step: Step): Record<string, string> | null {
  if (!step.runbook) return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.runbook.parameters)) {
    if (value === '{kb}') {
      const kb = turn.state.facts.kb[0];
      if (!kb) return null;
      params[name] = kb.replace(/^KB/i, '');
    } else params[name] = value;
  }
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
