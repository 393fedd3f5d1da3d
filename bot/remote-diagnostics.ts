/**
 * Diagnostics from the user's PC (Get-UpdateHealth) feed the planner: the measured facts are kept with
 * the conversation, the plan is made again with them, and the user is told what was found and how the
 * plan changed (steps added, steps dropped, or no change). Steps already done stay done.
 */
import { handOff } from './case-end';
import { planCase } from './case-facts';
import type { DiagnosticFacts, RemoteRunState } from './conversation-state';
import { replanRest } from './replan';
import { showStep } from './triage-flow';
import type { Turn } from './turn';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);

/** The facts the planner uses, from the runbook's JSON result (untrusted: wrong types are dropped). */
export function diagnosticFacts(raw: Record<string, unknown>, computer: string, at: string): DiagnosticFacts {
  const services = Array.isArray(raw.disabledServices)
    ? raw.disabledServices.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : undefined;
  const facts: DiagnosticFacts = { computer, at };
  const freeDiskGb = num(raw.freeDiskGb);
  const clockSkewMinutes = num(raw.clockSkewMinutes);
  const pendingReboot = bool(raw.pendingReboot);
  const thirdPartyAv = bool(raw.thirdPartyAv);
  const osBuild = num(raw.osBuild);
  if (freeDiskGb !== undefined) facts.freeDiskGb = freeDiskGb;
  if (clockSkewMinutes !== undefined) facts.clockSkewMinutes = clockSkewMinutes;
  if (services) facts.disabledServices = services;
  if (pendingReboot !== undefined) facts.pendingReboot = pendingReboot;
  if (thirdPartyAv !== undefined) facts.thirdPartyAv = thirdPartyAv;
  if (osBuild !== undefined) facts.osBuild = osBuild;
  return facts;
}

function findings(turn: Turn, d: DiagnosticFacts): string[] {
  const out: string[] = [];
  if (d.freeDiskGb !== undefined) out.push(turn.t('diag.free-disk', { gb: d.freeDiskGb }));
  if (d.clockSkewMinutes !== undefined) out.push(turn.t('diag.clock', { minutes: d.clockSkewMinutes }));
  if (d.disabledServices?.length)
    out.push(turn.t('diag.disabled', { services: d.disabledServices.join(', ') }));
  if (d.pendingReboot) out.push(turn.t('diag.pending-reboot'));
  if (d.thirdPartyAv) out.push(turn.t('diag.third-party-av'));
  return out;
}

export async function applyDiagnostics(
  turn: Turn,
  run: RemoteRunState,
  raw: Record<string, unknown>,
): Promise<void> {
  const s = turn.state;
  const d = diagnosticFacts(raw, run.computer, turn.now.toISOString());
  s.diagnostics = d;
  const found = findings(turn, d);
  turn.say(
    found.length > 0 ? turn.t('diag.found', { findings: found.join(' · ') }) : turn.t('diag.nothing-found'),
  );
  if (s.phase !== 'guiding') return;
  const onDiagnostic = turn.currentStep()?.id === run.stepId;
  // Done steps and the open one stay; what comes after is planned again with the measured facts.
  const plan = await planCase(turn);
  const { before, after } = replanRest(turn, plan);
  const added = after.filter((id) => !before.includes(id));
  // A step pushed into the technician's part is not dropped: IT still gets it.
  const dropped = before.filter((id) => !after.includes(id) && !(s.technician ?? []).includes(id));
  // What the measured facts did, with the rules' own reasons; then any other difference.
  const lines: string[] = [];
  const said = new Set<string>();
  for (const change of plan.changes) {
    if (!change.rule.startsWith('diag-') || said.has(change.step)) continue;
    const relevant = change.type === 'remove' ? before.includes(change.step) : after.includes(change.step);
    if (!relevant) continue;
    said.add(change.step);
    const reason = change.reason?.[turn.locale];
    lines.push(
      turn.t(
        `diag.change.${change.type === 'entry' ? 'add' : change.type === 'skip' ? 'remove' : change.type}`,
        {
          step: turn.stepTitle(change.step),
        },
      ) + (reason ? ` — ${reason}` : ''),
    );
  }
  for (const id of added.filter((id) => !said.has(id)))
    lines.push(turn.t('diag.change.add', { step: turn.stepTitle(id) }));
  for (const id of dropped.filter((id) => !said.has(id)))
    lines.push(turn.t('diag.change.remove', { step: turn.stepTitle(id) }));
  if (lines.length > 0) turn.say([turn.t('diag.plan-changed'), ...lines.map((l) => `• ${l}`)].join('\n'));
  else turn.say(turn.t(after.join() !== before.join() ? 'diag.plan-reordered' : 'diag.plan-same'));
  if (!onDiagnostic) return;
  turn.closeCard(turn.t('outcome.diagnosed'));
  s.outcomes.push({ step: run.stepId, outcome: 'diagnosed', at: turn.now.toISOString() });
  s.index += 1;
  if (s.index >= s.plan.length) handOff(turn, 'plan-exhausted');
  else showStep(turn);
}
