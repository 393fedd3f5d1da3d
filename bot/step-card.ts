/** Builds the card for one step of the plan: what to do, why, the commands, and the outcome buttons. */
import { familyPlanOf } from '../rules/kb/families';
import type { Step } from '../rules/kb/schema';
import type { Draft, StepCard } from './messages';
import { runForMeChoice } from './run-for-me-offer';
import type { Turn } from './turn';

/** "Step 2 of 5", and on a family's plan which family the steps are for (the code has none of its own). */
function heading(turn: Turn, position: number, total: number, remoteOnly: boolean): string {
  if (remoteOnly) return turn.t('step.heading.remote', { position, total });
  const { code, context } = turn.state.facts;
  const family = familyPlanOf(turn.kb, code, context);
  return family
    ? turn.t('step.heading.family', { position, total, name: family.name })
    : turn.t('step.heading', { position, total });
}

/** The card's "fixed it for 14 of 20 colleagues" when measured outcomes put the step where it is. */
function learnedNote(turn: Turn, step: Step, mode: 'employee' | 'remote-only'): string | null {
  const m = mode === 'employee' ? turn.state.learned?.[step.id] : undefined;
  return m ? turn.t('step.learned', { fixed: m.fixed, tried: m.tried }) : null;
}

/**
 * `remote-only`: a technician's step offered after the employee's part ran out: the card says IT runs
 * it on the PC and shows no commands for the employee to type.
 */
export function stepCard(
  turn: Turn,
  step: Step,
  position: number,
  total: number,
  mode: 'employee' | 'remote-only' = 'employee',
): Draft<StepCard> {
  const remoteOnly = mode === 'remote-only';
  const locale = turn.locale;
  const meta = [
    turn.t(`step.risk.${step.risk}`),
    turn.t(step.admin ? 'step.admin' : 'step.no-admin'),
    turn.t(step.reboot ? 'step.reboot' : 'step.no-reboot'),
    turn.t('step.minutes', { minutes: step.minutes }),
  ].join(' · ');
  const reveals = step.reveals ?? [];
  return {
    kind: 'step',
    stepId: step.id,
    position,
    total,
    heading: heading(turn, position, total, remoteOnly),
    title: step.title[locale],
    why: step.why[locale],
    instructions: remoteOnly ? [turn.t('step.remote-only')] : step.instructions[locale],
    commands: (remoteOnly ? [] : step.commands).map((c) => ({
      shell: c.shell,
      shellLabel: turn.t(`shell.${c.shell}`),
      code: c.code,
    })),
    showCommandsLabel: turn.t('step.show-commands'),
    caution: step.caution?.[locale] ?? null,
    risk: step.risk,
    admin: step.admin,
    reboot: step.reboot,
    minutes: step.minutes,
    meta,
    learned: learnedNote(turn, step, mode),
    choices: [
      {
        label: turn.t('step.fixed'),
        action: { verb: 'outcome', step: step.id, outcome: 'fixed' },
        style: 'primary',
      },
      {
        label: turn.t('step.didnt-help'),
        action: { verb: 'outcome', step: step.id, outcome: 'didnt-help' },
        style: 'default',
      },
      {
        label: turn.t('step.skip'),
        action: { verb: 'outcome', step: step.id, outcome: 'skipped' },
        style: 'default',
      },
    ],
    revealPrompt: reveals.length > 0 ? turn.t('step.reveal-prompt') : null,
    reveals: reveals.map((r) => ({
      label: r.label[locale],
      action: { verb: 'outcome', step: step.id, outcome: `revealed:${r.id}` },
      style: 'default',
    })),
    runForMe: runForMeChoice(turn, step),
  };
}
