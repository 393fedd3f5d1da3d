/**
 * Can this employee run things as administrator? The company's answer comes from the configuration
 * (`yes`: everyone can, `no`: nobody can, `ask`: ask each user once, when a plan has such steps); a
 * user's answer is kept in the conversation state per user id. For a user who cannot, the steps that
 * need an elevated prompt (`admin: true` in rules/kb/steps) move to the technician's part of the plan.
 */
import { MAX_EMPLOYEE_STEPS, type Plan } from '../rules/planner/planner';
import type { Turn } from './turn';

/** WINFIX_EMPLOYEES_ARE_ADMINS. */
export type AdminPolicy = 'yes' | 'no' | 'ask';

export const ADMIN_POLICIES: readonly AdminPolicy[] = ['yes', 'no', 'ask'];

/** Whether the user talking can run things as administrator; null while unknown (not asked yet). */
export function canRunAsAdmin(turn: Turn): boolean | null {
  const policy = turn.deps.employeesAreAdmins ?? 'yes';
  if (policy !== 'ask') return policy === 'yes';
  return turn.state.admins?.[turn.context.sender.id] ?? null;
}

/** Remembers the user's answer ("I don't know" counts as no: a technician does those steps). */
export function rememberAdmin(turn: Turn, canAdmin: boolean): void {
  turn.state.admins = { ...(turn.state.admins ?? {}), [turn.context.sender.id]: canAdmin };
}

/** Whether the plan's employee part has a step that needs administrator rights. */
export function needsAdmin(plan: Plan): boolean {
  return plan.steps.some((step) => step.admin);
}

/**
 * The plan for a user who cannot run things as administrator: their part keeps the steps they can do
 * (up to MAX_EMPLOYEE_STEPS, in the plan's order); every other step goes to the technician, in order.
 */
export function withoutAdminSteps(plan: Plan): Plan {
  const all = [...plan.steps, ...plan.technician];
  const steps = all.filter((s) => s.part === 'employee' && !s.admin).slice(0, MAX_EMPLOYEE_STEPS);
  const technician = all.filter((s) => !steps.includes(s));
  return { ...plan, steps, technician };
}
