/**
 * When a save adds cases to a conversation's history (a case resolved, handed off or abandoned), the
 * store records their step outcomes and an audit entry in the same transaction. Keys are derived from
 * the case, so a repeated save records nothing twice.
 */
import type { ConversationState } from '../../bot';
import { appendAudit } from './audit-log';
import type { Queryable } from './sql';
import { recordOutcome } from './step-outcomes';

type CaseRecord = ConversationState['history'][number];

export async function recordClosedCases(
  q: Queryable,
  state: ConversationState,
  cases: CaseRecord[],
): Promise<void> {
  const actor = `${state.who.platform}:${state.who.userId}`;
  for (const record of cases) {
    const at = new Date(record.at);
    const caseKey = `${state.key}|${record.at}|${record.code ?? '-'}`;
    for (const [i, o] of record.outcomes.entries()) {
      await recordOutcome(q, {
        key: `${caseKey}|${i}`,
        conversationKey: state.key,
        code: record.code,
        context: record.context ?? null,
        osFamily: record.os?.family ?? null,
        osBuild: record.os?.build ?? null,
        stepId: o.step,
        outcome: o.outcome,
        fixed: record.result === 'resolved' && o.step === record.fixedBy && o.outcome === 'fixed',
        caseResult: record.result,
        at: new Date(o.at),
      });
    }
    await appendAudit(q, at, {
      actor,
      action: `case.${record.result}`,
      subject: state.key,
      data: {
        code: record.code,
        context: record.context ?? null,
        fixedBy: record.fixedBy,
        steps: record.outcomes.length,
      },
    });
  }
}
