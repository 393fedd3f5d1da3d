/**
 * Outcome analytics for `winfix report`: what the stored closed cases, step outcomes, approvals and
 * jobs say since a given time. Plain SQL that PGlite and PostgreSQL run alike; the time filters use
 * the `audit_log (at)` index and the approvals' `requested_at` / jobs' `created_at` columns.
 */
import type { Queryable } from './sql';

export interface CaseCounts {
  opened: number;
  resolved: number;
  handedOff: number;
  abandoned: number;
}

export interface CodeRow {
  code: string | null;
  context: string | null;
  cases: number;
  resolved: number;
  /** Resolved / cases, 0..1 (0 when there are no cases). */
  resolutionRate: number;
  /** Median number of steps tried in the resolved cases (null when none resolved). */
  medianSteps: number | null;
}

export interface StepRow {
  code: string | null;
  stepId: string;
  shown: number;
  fixed: number;
  didntHelp: number;
  skipped: number;
}

export interface Report {
  since: string;
  cases: CaseCounts;
  codes: CodeRow[];
  steps: StepRow[];
  remoteRuns: {
    requested: number;
    approved: number;
    rejected: number;
    expired: number;
    succeeded: number;
    failed: number;
  };
  platforms: { platform: string; cases: number; resolved: number }[];
  /**
   * Tickets on hand-off (WINFIX_TICKETS): hand-off jobs by outcome (a ticket opened, a note added,
   * given up, still waiting), and the latest tickets opened with their case's code.
   */
  tickets: {
    opened: number;
    noted: number;
    failed: number;
    waiting: number;
    recent: {
      number: string;
      system: string;
      code: string | null;
      conversationKey: string;
      openedAt: string;
    }[];
  };
}

const n = (v: unknown): number => Number(v ?? 0);

export async function buildReport(q: Queryable, since: Date): Promise<Report> {
  const cases = await q.query<{ action: string; count: number }>(
    `SELECT action, count(*)::int AS count FROM audit_log
      WHERE at >= $1 AND action IN ('case.resolved', 'case.handed-off', 'case.abandoned')
      GROUP BY action`,
    [since],
  );
  const byAction = new Map(cases.rows.map((r) => [r.action, n(r.count)]));
  const resolved = byAction.get('case.resolved') ?? 0;
  const handedOff = byAction.get('case.handed-off') ?? 0;
  const abandoned = byAction.get('case.abandoned') ?? 0;

  const codes = await q.query<{
    code: string | null;
    context: string | null;
    cases: number;
    resolved: number;
    median_steps: number | null;
  }>(
    `SELECT data->>'code' AS code, data->>'context' AS context, count(*)::int AS cases,
            count(*) FILTER (WHERE action = 'case.resolved')::int AS resolved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'steps')::int)
              FILTER (WHERE action = 'case.resolved') AS median_steps
       FROM audit_log
      WHERE at >= $1 AND action IN ('case.resolved', 'case.handed-off', 'case.abandoned')
      GROUP BY 1, 2
      ORDER BY cases DESC, code NULLS LAST, context NULLS FIRST`,
    [since],
  );

  const steps = await q.query<{
    code: string | null;
    step_id: string;
    shown: number;
    fixed: number;
    didnt_help: number;
    skipped: number;
  }>(
    `SELECT code, step_id, count(*)::int AS shown,
            count(*) FILTER (WHERE outcome = 'fixed')::int AS fixed,
            count(*) FILTER (WHERE outcome = 'didnt-help')::int AS didnt_help,
            count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped
       FROM step_outcomes
      WHERE at >= $1
      GROUP BY code, step_id
      ORDER BY code NULLS LAST, shown DESC, step_id`,
    [since],
  );

  const approvals = await q.query<{ status: string; count: number }>(
    'SELECT status, count(*)::int AS count FROM approvals WHERE requested_at >= $1 GROUP BY status',
    [since],
  );
  const byStatus = new Map(approvals.rows.map((r) => [r.status, n(r.count)]));
  const jobs = await q.query<{ succeeded: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE terminal AND lower(status) = 'completed')::int AS succeeded,
            count(*) FILTER (WHERE terminal AND lower(status) <> 'completed')::int AS failed
       FROM jobs WHERE created_at >= $1`,
    [since],
  );

  const platforms = await q.query<{ platform: string; cases: number; resolved: number }>(
    `SELECT split_part(actor, ':', 1) AS platform, count(*)::int AS cases,
            count(*) FILTER (WHERE action = 'case.resolved')::int AS resolved
       FROM audit_log
      WHERE at >= $1 AND action IN ('case.resolved', 'case.handed-off', 'case.abandoned')
      GROUP BY 1 ORDER BY cases DESC, platform`,
    [since],
  );

  const ticketJobs = await q.query<{ opened: number; noted: number; failed: number; waiting: number }>(
    `SELECT count(*) FILTER (WHERE status = 'sent' AND kind = 'open')::int AS opened,
            count(*) FILTER (WHERE status = 'sent' AND kind = 'note')::int AS noted,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'pending')::int AS waiting
       FROM ticket_jobs WHERE created_at >= $1`,
    [since],
  );
  const recentTickets = await q.query<{
    number: string;
    system: string;
    code: string | null;
    conversation_key: string;
    opened_at: Date;
  }>(
    `SELECT t.number, t.system, t.conversation_key, t.opened_at,
            (SELECT j.payload ->> 'code' FROM ticket_jobs j WHERE j.case_id = t.case_id
              ORDER BY j.created_at LIMIT 1) AS code
       FROM case_tickets t WHERE t.opened_at >= $1 ORDER BY t.opened_at DESC, t.number LIMIT 20`,
    [since],
  );

  return {
    since: since.toISOString(),
    cases: { opened: resolved + handedOff + abandoned, resolved, handedOff, abandoned },
    codes: codes.rows.map((r) => ({
      code: r.code,
      context: r.context,
      cases: n(r.cases),
      resolved: n(r.resolved),
      resolutionRate: n(r.cases) ? n(r.resolved) / n(r.cases) : 0,
      medianSteps: r.median_steps === null ? null : n(r.median_steps),
    })),
    steps: steps.rows.map((r) => ({
      code: r.code,
      stepId: r.step_id,
      shown: n(r.shown),
      fixed: n(r.fixed),
      didntHelp: n(r.didnt_help),
      skipped: n(r.skipped),
    })),
    remoteRuns: {
      requested: [...byStatus.values()].reduce((a, b) => a + b, 0),
      approved: byStatus.get('approved') ?? 0,
      rejected: byStatus.get('rejected') ?? 0,
      expired: byStatus.get('expired') ?? 0,
      succeeded: n(jobs.rows[0]?.succeeded),
      failed: n(jobs.rows[0]?.failed),
    },
    platforms: platforms.rows.map((r) => ({
      platform: r.platform,
      cases: n(r.cases),
      resolved: n(r.resolved),
    })),
    tickets: {
      opened: n(ticketJobs.rows[0]?.opened),
      noted: n(ticketJobs.rows[0]?.noted),
      failed: n(ticketJobs.rows[0]?.failed),
      waiting: n(ticketJobs.rows[0]?.waiting),
      recent: recentTickets.rows.map((r) => ({
        number: r.number,
        system: r.system,
        code: r.code,
        conversationKey: r.conversation_key,
        openedAt: new Date(r.opened_at).toISOString(),
      })),
    },
  };
}

/**
 * Per step, for one (code, context, OS family): in how many closed cases it was tried and how many it
 * fixed — the counts `learnedOrder` (rules/planner/learned-order.ts) re-orders a plan by. Uses the
 * `step_outcomes (code, context)` index. "revealed:…" outcomes are not counted as tries.
 */
export async function measuredSteps(
  q: Queryable,
  key: { code: string; context: string | null; osFamily: string | null },
): Promise<Map<string, { tried: number; fixed: number }>> {
  const { rows } = await q.query<{ step_id: string; tried: number; fixed: number }>(
    `SELECT step_id, count(*)::int AS tried, count(*) FILTER (WHERE fixed)::int AS fixed
       FROM step_outcomes
      WHERE code = $1 AND context IS NOT DISTINCT FROM $2 AND os_family IS NOT DISTINCT FROM $3
        AND outcome IN ('fixed', 'didnt-help', 'skipped')
      GROUP BY step_id`,
    [key.code, key.context, key.osFamily],
  );
  return new Map(rows.map((r) => [r.step_id, { tried: Number(r.tried), fixed: Number(r.fixed) }]));
}
