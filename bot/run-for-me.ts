/**
 * "Run it for me": the user asks IT to run the open step's runbook on their own PC. Offered only where
 * the step has a runbook on the allow-list and the user has an enrolled PC; several PCs → which one;
 * a run that restarts the PC → the user's consent first. The request goes to the technicians (see
 * runs/); the step card is closed until the run ends.
 */
import type { Step } from '../rules/kb/schema';
import { outcomeLabel } from './handoff';
import { describeOs } from './os-choices';
import { rateKey } from './rate-limit';
import type { Computer } from './remote-runs-port';
import { runbookParameters } from './run-for-me-offer';
import { showStep } from './triage-flow';
import type { Turn } from './turn';

function restarts(turn: Turn, step: Step): boolean {
  const runbook = step.runbook ? turn.kb.runbooks.get(step.runbook.name) : undefined;
  return Boolean(runbook?.reboot);
}

function askComputer(turn: Turn, step: Step, computers: Computer[]): void {
  turn.card({
    kind: 'question',
    topic: 'computer',
    text: turn.t('remote.which-pc'),
    hint: null,
    choices: computers.map((c) => ({
      label: c.name,
      action: { verb: 'run-for-me', step: step.id, computer: c.name },
      style: 'default',
    })),
  });
}

function askConsent(turn: Turn, step: Step, computer: string): void {
  turn.card({
    kind: 'question',
    topic: 'confirm-run',
    text: turn.t('remote.confirm-restart', { computer }),
    hint: null,
    choices: [
      {
        label: turn.t('remote.confirm-yes'),
        action: { verb: 'confirm-run', step: step.id, computer, go: true },
        style: 'primary',
      },
      {
        label: turn.t('remote.confirm-no'),
        action: { verb: 'confirm-run', step: step.id, computer, go: false },
        style: 'default',
      },
    ],
  });
}

/** Shows the step card again (after a question about the run, a rejection, a finished run). */
export function reshowStep(turn: Turn, stepId: string): void {
  const s = turn.state;
  const step = turn.currentStep();
  if (s.phase !== 'guiding' || step?.id !== stepId) return;
  showStep(turn);
}

/**
 * A press of "Run it for me" (with a PC once chosen, and the consent once given). `consent`: null when
 * not asked yet.
 */
export async function runForMe(
  turn: Turn,
  stepId: string,
  computerName: string | null,
  consent: boolean | null,
): Promise<void> {
  const s = turn.state;
  const step = turn.currentStep();
  const remote = turn.deps.remote;
  if (s.phase !== 'guiding' || !step || step.id !== stepId || !step.runbook) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  if (!remote?.allows(step.runbook.name)) {
    turn.say(turn.t('remote.unavailable'));
    return;
  }
  if (s.remote) {
    turn.say(turn.t('remote.already', { computer: s.remote.computer }));
    return;
  }
  const computers = turn.context.computers;
  if (computers.length === 0) {
    turn.say(turn.t('remote.not-enrolled'));
    return;
  }
  const parameters = runbookParameters(turn, step);
  if (!parameters) {
    turn.say(turn.t('remote.needs-kb'));
    return;
  }
  let computer: Computer | undefined;
  if (computerName) computer = computers.find((c) => c.name.toLowerCase() === computerName.toLowerCase());
  else if (computers.length === 1) computer = computers[0];
  if (!computer) {
    if (computerName) turn.say(turn.t('remote.unknown-pc', { computer: computerName }));
    askComputer(turn, step, computers);
    return;
  }
  if (restarts(turn, step) && consent === null) {
    askConsent(turn, step, computer.name);
    return;
  }
  if (consent === false) {
    turn.closeCard(turn.t('remote.confirm-no'));
    reshowStep(turn, step.id);
    return;
  }
  const limit = turn.deps.runLimit;
  const verdict = limit?.take(rateKey(s.who.platform, turn.context.sender.id));
  if (limit && verdict && !verdict.ok) {
    turn.say(
      turn.t('rate.runs', { limit: limit.rule.limit, minutes: Math.ceil(verdict.retryAfterSeconds / 60) }),
    );
    return;
  }
  const facts = s.facts;
  const result = await remote.request({
    conversationKey: s.key,
    platform: s.who.platform,
    requester: turn.context.sender,
    stepId: step.id,
    runbook: step.runbook.name,
    parameters,
    computer,
    case: {
      requesterName: s.who.displayName,
      locale: turn.locale,
      code: facts.code,
      context: facts.context,
      os: facts.os ? describeOs(facts.os) : null,
      kb: facts.kb,
      tried: s.outcomes.map((o) => ({ stepId: o.step, outcome: outcomeLabel(turn, o.step, o.outcome) })),
    },
    ...(consent === true ? { restartConsent: true } : {}),
  });
  if (result.kind === 'unreachable') {
    turn.say(turn.t('remote.cancelled.unreachable'));
    return;
  }
  if (result.kind === 'refused') {
    turn.say(turn.t('remote.refused', { detail: result.detail }));
    return;
  }
  if (result.kind === 'busy') {
    turn.say(turn.t('remote.busy', { computer: result.computer, step: turn.stepTitle(result.stepId) }));
    return;
  }
  const kind = turn.kb.runbooks.get(step.runbook.name)?.kind === 'diagnostic' ? 'diagnostic' : 'fix';
  s.remote = {
    requestId: result.requestId,
    stepId: step.id,
    runbook: step.runbook.name,
    kind,
    computer: computer.name,
    stage: result.approvedByPolicy ? 'approved' : 'requested',
    at: turn.now.toISOString(),
  };
  turn.closeCard(turn.t('remote.answer', { computer: computer.name }));
  const text = result.approvedByPolicy
    ? turn.t('remote.requested-auto', { computer: computer.name })
    : turn.t(result.delivery === 'queued' ? 'remote.requested-queued' : 'remote.requested', {
        computer: computer.name,
        minutes: remote.approvalMinutes,
      });
  turn.emit({
    kind: 'job-status',
    requestId: result.requestId,
    stage: result.approvedByPolicy ? 'approved' : 'requested',
    ok: null,
    status: turn.t(result.approvedByPolicy ? 'remote.status.approved' : 'remote.status.requested'),
    text: remote.dryRun ? `${text} ${turn.t('remote.dry-run')}` : text,
  });
}
