/**
 * The weekly summary in `winfix serve`: a round every minute (per instance); the database makes sure
 * one instance sends it once per week, to the Teams and Slack technicians' channels that are set.
 */
import type { Clock } from '../bot/clock';
import { createTranslator } from '../bot/i18n/translator';
import { type WeeklyFigures, weeklySummaryLines } from '../bot/weekly-summary';
import type { SlackNotifier } from '../connectors/slack/slack-notifier';
import type { Storage } from '../connectors/storage';
import { WeeklySummary } from '../connectors/storage/weekly-summary';
import type { TechniciansChannel } from '../connectors/teams/technicians-channel';
import type { KnowledgeBase } from '../rules/kb/load';
import type { Config } from './config';

export interface WeeklySummaryHooks {
  /** Default: the storage's clock. */
  clock?: Clock;
  /** Time between rounds. Default one minute. */
  everyMs?: number;
}

export function startWeeklySummary(
  config: Config,
  storage: Storage,
  parts: {
    kb: KnowledgeBase;
    teams: TechniciansChannel | null;
    slack: SlackNotifier | null;
    hooks?: WeeklySummaryHooks;
  },
): { summary: WeeklySummary; stop(): void } | null {
  const schedule = config.weeklySummary;
  if (!schedule) return null;
  const locale = config.remote.technicianLocale;
  const translator = createTranslator();
  const send = async (figures: WeeklyFigures): Promise<boolean> => {
    const [heading = '', ...rest] = weeklySummaryLines(
      figures,
      locale,
      translator,
      (id) => parts.kb.steps.get(id)?.title[locale] ?? id,
    );
    let delivered = false;
    if (parts.teams) {
      // A post the channel cannot take now is kept and posted once it can: it counts as sent.
      await parts.teams.post({
        key: `weekly-summary:${figures.from}`,
        kind: 'messages',
        what: 'the weekly summary',
        messages: [
          { kind: 'text', id: `weekly-summary-${figures.from}`, text: [heading, ...rest].join('\n') },
        ],
      });
      delivered = true;
    }
    if (parts.slack && (await parts.slack.postToTechnicians(heading, rest))) delivered = true;
    return delivered;
  };
  const summary = new WeeklySummary({
    db: storage.db,
    schedule,
    clock: parts.hooks?.clock ?? storage.clock,
    log: storage.log,
    send,
  });
  const timer = setInterval(() => void summary.round(), parts.hooks?.everyMs ?? 60_000);
  timer.unref();
  return { summary, stop: () => clearInterval(timer) };
}
