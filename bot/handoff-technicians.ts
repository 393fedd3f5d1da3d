/**
 * The technicians' copy of a hand-off, in the technicians' language (WINFIX_TECHNICIAN_LOCALE): the
 * same summary built again in that locale, and the words connectors put on top of it (who handed over,
 * from where, why). The employee's copy stays in the employee's language.
 */
import type { Locale } from '../rules/vocabulary';
import type { Draft, HandoffMessage, TechnicianHandoff } from './messages';
import { Turn } from './turn';

/** The hand-off as `build` makes it, in `locale` (the conversation itself is not changed). */
export function technicianHandoff(
  turn: Turn,
  reason: HandoffMessage['reason'],
  build: (turn: Turn) => Draft<HandoffMessage>,
): TechnicianHandoff {
  const locale: Locale = turn.deps.technicianLocale ?? turn.locale;
  const view = new Turn({ ...turn.state, locale }, turn.deps, turn.now, turn.context);
  const m = build(view);
  const t = (key: Parameters<Turn['t']>[0]) => view.t(key);
  const where = {
    personal: t('handoff.tech.where.personal'),
    groupChat: t('handoff.tech.where.groupChat'),
    channel: t('handoff.tech.where.channel'),
    other: t('handoff.tech.where.other'),
  };
  const why = t(`handoff.tech.reason.${reason}`);
  const name = turn.state.who.displayName ?? turn.state.who.userId;
  const headline = (place: string) => view.t('handoff.tech.headline', { name, where: place, reason: why });
  return {
    locale,
    headline: {
      personal: headline(where.personal),
      groupChat: headline(where.groupChat),
      channel: headline(where.channel),
      other: headline(where.other),
    },
    from: t('handoff.tech.from'),
    reason: why,
    where,
    conversationLabel: t('handoff.tech.conversation'),
    directoryIdLabel: t('handoff.tech.directory-id'),
    heading: m.heading,
    facts: m.facts,
    tried: m.tried,
    next: m.next,
    userWords: m.userWords,
    labels: m.labels,
  };
}
