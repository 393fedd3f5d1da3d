/**
 * The approval card technicians see: what would run where, for whom and why, and its state (pending
 * with Approve / Reject and a reason field; decided with who and when; the job's progress and a Stop
 * button while it runs). Built from the stored request only, never from a card's payload.
 */

import type { MessageKey, Translator, Vars } from '../bot/i18n/translator';
import type { ApprovalMessage, Choice, Draft } from '../bot/messages';
import type { RunCaseContext } from '../bot/remote-runs-port';
import type { KnowledgeBase } from '../rules/kb/load';
import type { Locale } from '../rules/vocabulary';
import type { ApprovalRecord } from './stores';

/** What the coordinator keeps in the request's `context` (shown on the card). */
export interface StoredRunContext extends RunCaseContext {
  platform: string;
  requesterId: string;
  requesterDirectoryId: string | null;
  requesterEmail: string | null;
  kind: 'diagnostic' | 'fix';
  approvedByPolicy?: boolean;
}

export interface CardJob {
  status: string;
  /** A short result line once finished. */
  summary: string | null;
  finished: boolean;
}

/** "2026-11-22 10:02 UTC". */
export function minuteUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function storedContext(approval: ApprovalRecord): Partial<StoredRunContext> {
  return approval.context as Partial<StoredRunContext>;
}

export function approvalCard(options: {
  approval: ApprovalRecord;
  kb: KnowledgeBase;
  translator: Translator;
  locale: Locale;
  dryRun: boolean;
  job: CardJob | null;
  /** Display name of the decider, when known. */
  deciderName?: string | null;
}): ApprovalMessage {
  const { approval: a, kb, locale } = options;
  const t = (key: MessageKey, vars?: Vars) => options.translator.t(locale, key, vars);
  const c = storedContext(a);
  const step = kb.steps.get(a.stepId);
  const unknown = t('approval.unknown');
  const params = Object.entries(a.parameters)
    .map(([k, v]) => `-${k} ${String(v)}`)
    .join(' ');
  const facts: ApprovalMessage['facts'] = [
    { label: t('approval.fact.requester'), value: c.requesterName ?? c.requesterId ?? a.requester },
    { label: t('approval.fact.computer'), value: `${a.computerName} (${a.workerGroup})` },
    { label: t('approval.fact.code'), value: c.code ?? unknown },
    {
      label: t('approval.fact.context'),
      value: c.context ? t(`context.${c.context}` as MessageKey) : unknown,
    },
    { label: t('approval.fact.os'), value: c.os ?? unknown },
  ];
  if (c.kb?.length) facts.push({ label: t('approval.fact.kb'), value: c.kb.join(', ') });
  facts.push(
    { label: t('approval.fact.step'), value: step?.title[locale] ?? a.stepId },
    { label: t('approval.fact.runbook'), value: a.runbook },
    { label: t('approval.fact.parameters'), value: params || t('approval.none') },
  );
  if (step) {
    const rebootRunbook = kb.runbooks.get(a.runbook)?.reboot ?? step.reboot;
    facts.push(
      { label: t('approval.fact.risk'), value: t(`approval.risk.${step.risk}`) },
      { label: t('approval.fact.minutes'), value: t('approval.minutes', { minutes: step.minutes }) },
      { label: t('approval.fact.reboot'), value: t(rebootRunbook ? 'approval.yes' : 'approval.no') },
    );
  }
  if (a.status === 'pending')
    facts.push({ label: t('approval.fact.expires'), value: minuteUtc(a.expiresAt) });

  const tried = (c.tried ?? []).map(
    (x) => `${kb.steps.get(x.stepId)?.title[locale] ?? x.stepId}: ${x.outcome}`,
  );
  const by = options.deciderName ?? a.decidedBy ?? '?';
  const at = a.decidedAt ? minuteUtc(a.decidedAt) : '';
  let decision: string | null = null;
  if (a.status === 'approved')
    decision = c.approvedByPolicy
      ? t('approval.decided.policy', { at })
      : t('approval.decided.approved', { by, at });
  else if (a.status === 'rejected')
    decision = a.note?.trim()
      ? t('approval.decided.rejected-reason', { by, at, reason: a.note.trim() })
      : t('approval.decided.rejected', { by, at });
  else if (a.status === 'expired') decision = t('approval.decided.expired', { at });

  const job = options.job;
  const jobLine = job
    ? job.summary
      ? t('approval.job-result', { status: job.status, summary: job.summary })
      : t('approval.job', { status: job.status })
    : null;

  let choices: Choice[] = [];
  if (a.status === 'pending') {
    const digest = a.digest ?? '';
    choices = [
      { label: t('approval.approve'), action: { verb: 'approve', request: a.id, digest }, style: 'primary' },
      { label: t('approval.reject'), action: { verb: 'reject', request: a.id, digest }, style: 'danger' },
    ];
  } else if (a.status === 'approved' && job && !job.finished)
    choices = [{ label: t('approval.stop'), action: { verb: 'stop-job', request: a.id }, style: 'danger' }];

  const heading = t('approval.heading', { runbook: a.runbook, computer: a.computerName });
  const dryRunNotice = options.dryRun ? t('approval.dry-run') : null;
  const lines = [
    heading,
    ...facts.map((f) => `${f.label}: ${f.value}`),
    ...(tried.length ? [`${t('approval.tried')}:`, ...tried.map((x) => `- ${x}`)] : []),
    ...(decision ? [decision] : []),
    ...(jobLine ? [jobLine] : []),
    ...(dryRunNotice ? [dryRunNotice] : []),
  ];
  const draft: Draft<ApprovalMessage> = {
    kind: 'approval',
    requestId: a.id,
    status: a.status,
    heading,
    facts,
    tried,
    triedLabel: t('approval.tried'),
    decision,
    job: jobLine,
    dryRunNotice,
    reasonInput:
      a.status === 'pending'
        ? { label: t('approval.reason-label'), placeholder: t('approval.reason-placeholder') }
        : null,
    choices,
    buttonsHint: choices.length > 0 ? t('approval.buttons-hint') : null,
    text: lines.join('\n'),
  };
  return { ...draft, id: `approval-${a.id}` };
}

/**
 * The card with nothing to press (no buttons, no reason field): what someone sees who may not act on
 * the request now, and the card for everyone where each technician gets their own view (Teams).
 */
export function statusView(card: ApprovalMessage): ApprovalMessage {
  return { ...card, choices: [], reasonInput: null };
}
