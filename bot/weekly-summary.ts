/**
 * The weekly summary for the technicians' channel (issue 17), as text in the technicians' language:
 * last week's cases, how many the bot resolved and handed off, the top codes, the steps that fixed the
 * most, and remote runs. Pure: the figures come from the caller (the report queries).
 */
import type { Locale } from '../rules/vocabulary';
import type { Translator } from './i18n/translator';

export interface WeeklyFigures {
  /** The week's first and last day (ISO dates, UTC). */
  from: string;
  to: string;
  cases: { opened: number; resolved: number; handedOff: number; abandoned: number };
  codes: { code: string | null; context: string | null; cases: number; resolved: number }[];
  steps: { code: string | null; stepId: string; fixed: number; shown: number }[];
  remoteRuns: { requested: number; succeeded: number; failed: number };
}

const TOP = 3;

/** The summary's lines; `stepTitle` names a step in the locale (its id when the KB has none). */
export function weeklySummaryLines(
  figures: WeeklyFigures,
  locale: Locale,
  translator: Translator,
  stepTitle: (id: string) => string,
): string[] {
  const t = (key: Parameters<Translator['t']>[1], vars?: Parameters<Translator['t']>[2]) =>
    translator.t(locale, key, vars);
  const c = figures.cases;
  const codes = [...figures.codes].sort((a, b) => b.cases - a.cases).slice(0, TOP);
  const steps = figures.steps
    .filter((s) => s.fixed > 0)
    .sort((a, b) => b.fixed - a.fixed || a.shown - b.shown)
    .slice(0, TOP);
  const none = t('weekly.none');
  return [
    t('weekly.heading', { from: figures.from, to: figures.to }),
    t('weekly.cases', {
      cases: c.opened,
      resolved: c.resolved,
      handedOff: c.handedOff,
      abandoned: c.abandoned,
    }),
    `${t('weekly.top-codes')}: ${
      codes.length > 0
        ? codes
            .map((x) => t('weekly.code', { code: x.code ?? '-', cases: x.cases, resolved: x.resolved }))
            .join(', ')
        : none
    }`,
    `${t('weekly.best-steps')}: ${
      steps.length > 0
        ? steps
            .map((s) => t('weekly.step', { step: stepTitle(s.stepId), fixed: s.fixed, shown: s.shown }))
            .join(', ')
        : none
    }`,
    t('weekly.remote-runs', figures.remoteRuns),
  ];
}
