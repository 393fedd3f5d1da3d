/**
 * Triage of one message: what the user wrote (codes, context, OS), what each code means, what is
 * still missing, and the plan for the first code. This is the brain behind `winfix triage` and the
 * first turn of every conversation.
 */
import { type CodeKind, decodeHresult, describeSetupResult, describeUnknown } from './hresult/decode';
import { describeExtendCode, type ExtendCodeMeaning } from './hresult/extend-codes';
import { familyOf } from './kb/families';
import type { KnowledgeBase } from './kb/load';
import type { Citation, Step } from './kb/schema';
import { contextsOf, factsFrom, type Knowledge } from './knowledge';
import { type Learning, learnPlan, type MeasuredStep, type StepPosition } from './planner/learned-order';
import type { Plan } from './planner/planner';
import type { Guidance } from './planner/source-order';
import { servicingNotice, servicingStatus } from './servicing';
import type { Correction } from './understand';
import type { Clue, Context, Locale, OsInfo, OsTarget, Tried } from './vocabulary';

export interface CodeExplanation {
  code: string;
  name: string | null;
  facility: string;
  known: boolean;
  meaning: string;
  /** hresult · ntstatus (0xC0000005) · hresult-from-nt (0xD…) · setup (a Windows Setup result, 0xC19…). */
  kind: CodeKind;
  /** For a Windows Setup result: what kind of fix it calls for and the next action, in the reply's language. */
  setup: { category: string; nextAction: string; sources: Citation[] } | null;
}

export interface PlanStepSummary {
  id: string;
  title: string;
  risk: 'low' | 'medium' | 'high';
  runbook: string | null;
  sources: Citation[];
  /** Where the step's position came from: the sources' order, or measured outcomes (plans that learn). */
  order: 'sources' | 'outcomes';
  /** For a position from outcomes: the cases the step was tried in and those it fixed; else null. */
  measured: MeasuredStep | null;
}

export type MissingFact = 'code' | 'context' | 'os';

export interface SkippedStep {
  id: string;
  /** Why, in the reply's language ("You already restarted, so I'll skip that."). */
  reason: string | null;
}

export interface TriageResult {
  locale: Locale;
  codes: CodeExplanation[];
  /** Setup extend codes ("0x20007"): phase, operation and what they mean, in the reply's language. */
  subcodes: ExtendCodeMeaning[];
  kb: string[];
  context: Context | null;
  /** The PC's current Windows. */
  os: OsInfo | null;
  /** The Windows an upgrade was aiming at ("upgrade to 24H2 failed"), or null. */
  target: OsTarget | null;
  /** What the user said they already did, and clues in what they wrote. */
  tried: Tried[];
  clues: Clue[];
  /** Codes read from a typo ("0x800700003" → "0x80070003"), for the user to confirm. */
  corrections: Correction[];
  /** The user said there is no code. */
  noCode: boolean;
  /** The message was longer than the understander reads; only its start was analysed. */
  truncated: boolean;
  missing: MissingFact[];
  /**
   * specific: the KB describes this code here · family: it does not, but knows the code's family
   * (facility and range) and gives the family's plan · generic: general safe steps only · none: no context.
   */
  guidance: Guidance;
  /** The first code's family when the plan is the family's: its id, symbol pattern, range and what it means. */
  family: { id: string; name: string; from: string; to: string; label: string } | null;
  /** The employee's part of the plan for the first code (at most MAX_EMPLOYEE_STEPS steps). */
  plan: PlanStepSummary[];
  /** Whether the reported Windows still gets updates, and the notice said before the steps (null when serviced or unknown). */
  servicing: { state: string; endDate: string | null; notice: string | null };
  /** The technician's part: what IT should do if the employee's part does not fix it. */
  technician: PlanStepSummary[];
  /** Steps left out because the user already did them. */
  skipped: SkippedStep[];
}

export interface TriageOptions {
  /** Forced locale (e.g. --locale or the platform's user locale). */
  locale?: Locale;
  /** Used when the message's language cannot be told (only a code, say). */
  defaultLocale: Locale;
  /** Today, for the end-of-servicing check (default: now). */
  now?: Date;
  /** Plans that learn: measured outcomes and their minimum (default none: the sources' order). */
  learning?: Learning | null;
}

/** The facility as shown next to a code: its name ("WIN32"), or its number for one no header names. */
function shownFacility(facility: { name: string; number: number }, locale: Locale): string {
  if (!facility.name.startsWith('UNKNOWN_')) return facility.name;
  return locale === 'ja' ? `ファシリティ ${facility.number}` : `facility ${facility.number}`;
}

export function explainCode(kb: KnowledgeBase, code: string, locale: Locale): CodeExplanation {
  const decoded = decodeHresult(code);
  const entry = kb.errors.get(code);
  const setup = describeSetupResult(decoded.value, locale);
  return {
    code,
    name: entry?.name ?? decoded.name,
    facility: shownFacility(decoded.facility, locale),
    known: entry !== undefined,
    meaning: entry ? entry.meaning[locale] : describeUnknown(decoded, locale),
    kind: decoded.kind,
    setup: setup ? { category: setup.category, nextAction: setup.nextAction, sources: setup.sources } : null,
  };
}

/**
 * What setup extend codes mean, in the locale: the knowledge base's meaning when the code's error entry
 * (or else any entry) lists the extend code, otherwise its phase and operation.
 */
export function explainSubcodes(
  kb: KnowledgeBase,
  code: string | null,
  subcodes: readonly string[],
  locale: Locale,
): ExtendCodeMeaning[] {
  return subcodes.map((sub) => {
    const own = code ? kb.errors.get(code)?.subcodes?.find((x) => x.code === sub) : undefined;
    const any = own ?? [...kb.errors.values()].flatMap((e) => e.subcodes ?? []).find((x) => x.code === sub);
    return describeExtendCode(sub, locale, any?.meaning ?? null);
  });
}

/**
 * The context when the message did not say it: a setup extend code means Windows Setup; a code the KB
 * has seen in one context only means that context; a code it does not list but whose family it knows
 * means the family's context; otherwise unknown (the bot asks).
 */
export function inferContext(kb: KnowledgeBase, code: string | null, subcodes: string[]): Context | null {
  if (subcodes.length > 0) return 'windows-setup';
  if (!code) return null;
  const contexts = contextsOf(kb, code);
  if (contexts.length === 0) return familyOf(kb.families, code)?.context ?? null;
  return contexts.length === 1 ? (contexts[0] ?? null) : null;
}

export function summarizeSteps(
  steps: Step[],
  locale: Locale,
  positions: readonly StepPosition[] = [],
): PlanStepSummary[] {
  return steps.map((s, i) => ({
    id: s.id,
    title: s.title[locale],
    risk: s.risk,
    runbook: s.runbook?.name ?? null,
    sources: s.sources,
    order: positions[i]?.step === s.id ? (positions[i]?.from ?? 'sources') : 'sources',
    measured: positions[i]?.step === s.id ? (positions[i]?.measured ?? null) : null,
  }));
}

/** Steps left out because the user already did them, each with its rule's reason. */
export function skippedSteps(plan: Plan, locale: Locale): SkippedStep[] {
  return plan.excluded
    .filter((e) => e.why === 'tried')
    .map((e) => ({
      id: e.step,
      reason: plan.changes.find((c) => c.type === 'skip' && c.step === e.step)?.reason?.[locale] ?? null,
    }));
}

function servicingOf(
  knowledge: Knowledge,
  os: OsInfo | null,
  locale: Locale,
  now: Date,
): TriageResult['servicing'] {
  const status = servicingStatus(knowledge.kb.releases, os, now);
  return { state: status.state, endDate: status.endDate, notice: servicingNotice(status, locale) };
}

export async function triage(
  knowledge: Knowledge,
  text: string,
  options: TriageOptions,
): Promise<TriageResult> {
  const understanding = knowledge.understand(text);
  const locale = options.locale ?? understanding.language ?? options.defaultLocale;
  const code = understanding.codes[0] ?? null;
  const context = understanding.context ?? inferContext(knowledge.kb, code, understanding.subcodes);
  const missing: MissingFact[] = [];
  if (!code) missing.push('code');
  if (!context) missing.push('context');
  if (!understanding.os) missing.push('os');
  const facts = factsFrom(understanding, code, context);
  const { plan, positions } = await learnPlan(await knowledge.planner.plan(facts), facts, options.learning);
  return {
    locale,
    codes: understanding.codes.map((c) => explainCode(knowledge.kb, c, locale)),
    subcodes: explainSubcodes(knowledge.kb, code, understanding.subcodes, locale),
    kb: understanding.kb,
    context,
    os: understanding.os,
    target: understanding.target,
    tried: understanding.tried,
    clues: understanding.clues,
    corrections: understanding.corrections,
    noCode: understanding.noCode,
    truncated: understanding.truncated,
    missing,
    guidance: plan.guidance,
    family: plan.family
      ? {
          id: plan.family.id,
          name: plan.family.name,
          from: plan.family.from,
          to: plan.family.to,
          label: plan.family.label[locale],
        }
      : null,
    servicing: servicingOf(knowledge, understanding.os, locale, options.now ?? new Date()),
    plan: summarizeSteps(plan.steps, locale, positions),
    technician: summarizeSteps(plan.technician, locale),
    skipped: skippedSteps(plan, locale),
  };
}
