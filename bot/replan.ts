/**
 * The rest of an open case made again from a new plan (the user said what they already did, or
 * diagnostics measured the PC): the open step and those before it stay; what follows comes from the
 * new plan, with the employee's part kept to MAX_EMPLOYEE_STEPS steps in all and the overflow going to
 * the technician's part. While technician steps are offered (the employee's part ran out), the rest of
 * the offer stays, less what the new plan left out.
 */
import { MAX_EMPLOYEE_STEPS, type Plan } from '../rules/planner/planner';
import type { Turn } from './turn';

export interface Replanned {
  /** The steps that followed the open one before, and those that follow it now. */
  before: string[];
  after: string[];
}

export function replanRest(turn: Turn, plan: Plan): Replanned {
  const s = turn.state;
  const kept = s.plan.slice(0, s.index + 1);
  const before = s.plan.slice(s.index + 1);
  const employee = plan.steps.map((step) => step.id).filter((id) => !kept.includes(id));
  const planned = new Set([...plan.steps, ...plan.technician].map((step) => step.id));
  const after =
    (s.remoteOffer ?? []).length > 0
      ? before.filter((id) => planned.has(id))
      : employee.slice(0, Math.max(0, MAX_EMPLOYEE_STEPS - kept.length));
  s.plan = [...kept, ...after];
  s.technician = [...new Set([...employee, ...plan.technician.map((step) => step.id)])].filter(
    (id) => !s.plan.includes(id),
  );
  return { before, after };
}
