/** The questions the bot asks, each a card with choices (typed answers are matched elsewhere). */
import type { Step } from '../rules/kb/schema';
import { contextsOf } from '../rules/knowledge';
import { CONTEXTS, type Context, LOCALES } from '../rules/vocabulary';
import type { Choice } from './messages';
import { OS_CHOICES } from './os-choices';
import type { Turn } from './turn';

/** No code yet: ask for it, with where to find it; offer "I have no code" and a technician. */
export function askCode(turn: Turn): void {
  turn.card({
    kind: 'question',
    topic: 'code',
    text: turn.t('ask.code'),
    hint: turn.t('ask.code.hint'),
    choices: [
      { label: turn.t('ask.code.none'), action: { verb: 'no-code' }, style: 'default' },
      { label: turn.t('action.handoff'), action: { verb: 'handoff' }, style: 'default' },
    ],
  });
}

/** The contexts the KB has seen the code in come first, then the rest of the vocabulary. */
export function askContext(turn: Turn, again = false): void {
  const code = turn.state.facts.code;
  const seen = code ? contextsOf(turn.kb, code) : [];
  const ordered: Context[] = [...new Set([...seen, ...CONTEXTS])];
  turn.state.phase = 'ask-context';
  turn.state.facts.contextAsked = true;
  turn.card({
    kind: 'question',
    topic: 'context',
    text: turn.t(again ? 'ask.context.again' : 'ask.context'),
    hint: null,
    choices: [
      ...ordered.map(
        (value): Choice => ({
          label: turn.t(`context.${value}`),
          action: { verb: 'choose-context', value },
          style: 'default',
        }),
      ),
      {
        label: turn.t('ask.context.unknown'),
        action: { verb: 'choose-context', value: 'unknown' },
        style: 'default',
      },
    ],
  });
}

export function askOs(turn: Turn, again = false): void {
  turn.state.phase = 'ask-os';
  turn.state.facts.osAsked = true;
  turn.card({
    kind: 'question',
    topic: 'os',
    text: turn.t(again ? 'ask.os.again' : 'ask.os'),
    hint: turn.t('ask.os.hint'),
    choices: [
      ...OS_CHOICES.map(
        (c): Choice => ({ label: c.label, action: { verb: 'choose-os', value: c.id }, style: 'default' }),
      ),
      { label: turn.t('ask.os.unknown'), action: { verb: 'choose-os', value: 'unknown' }, style: 'default' },
    ],
  });
}

/**
 * Before a hand-off when only the Windows family is known: which version or build? The family's
 * versions as choices (they carry the build), and "I don't know" (the hand-off goes ahead without it).
 */
export function askBuild(turn: Turn): void {
  const family = turn.state.facts.os?.family;
  turn.state.phase = 'ask-os';
  turn.card({
    kind: 'question',
    topic: 'os',
    text: turn.t('ask.build'),
    hint: turn.t('ask.os.hint'),
    choices: [
      ...OS_CHOICES.filter((c) => c.os.family === family).map(
        (c): Choice => ({ label: c.label, action: { verb: 'choose-os', value: c.id }, style: 'default' }),
      ),
      { label: turn.t('ask.os.unknown'), action: { verb: 'choose-os', value: 'unknown' }, style: 'default' },
    ],
  });
}

/** Whether the user can run things as administrator (asked once per user; see admin-rights.ts). */
export function askAdmin(turn: Turn): void {
  turn.state.phase = 'ask-admin';
  turn.card({
    kind: 'question',
    topic: 'admin',
    text: turn.t('ask.admin'),
    hint: turn.t('ask.admin.hint'),
    choices: [
      { label: turn.t('ask.admin.yes'), action: { verb: 'admin-rights', value: 'yes' }, style: 'default' },
      { label: turn.t('ask.admin.no'), action: { verb: 'admin-rights', value: 'no' }, style: 'default' },
      {
        label: turn.t('ask.admin.unknown'),
        action: { verb: 'admin-rights', value: 'unknown' },
        style: 'default',
      },
    ],
  });
}

/**
 * A message mid-step that is no outcome: how to answer, in words that fit every client (the terminal
 * shows numbered choices, not buttons), with what the step asks the user to look for.
 */
export function tellHowItWent(turn: Turn, step: Step): void {
  const reveals = (step.reveals ?? []).map((r) => r.label[turn.locale]);
  const lines = [turn.t('guide.use-buttons')];
  if (reveals.length > 0) lines.push(turn.t('guide.use-reveals', { reveals: reveals.join(' / ') }));
  turn.say(lines.join('\n'));
}

export function askRestart(turn: Turn, code: string): void {
  turn.card({
    kind: 'question',
    topic: 'restart',
    text: turn.t('restart.ask', { code }),
    hint: null,
    choices: [
      {
        label: turn.t('restart.yes', { code }),
        action: { verb: 'confirm-restart', code, restart: true },
        style: 'primary',
      },
      {
        label: turn.t('restart.no'),
        action: { verb: 'confirm-restart', code, restart: false },
        style: 'default',
      },
    ],
  });
}

export function offerNextCode(turn: Turn, code: string): void {
  turn.state.phase = 'offer-next';
  turn.state.pending = { kind: 'next-code', code };
  turn.card({
    kind: 'question',
    topic: 'next-code',
    text: turn.t('next.offer', { code }),
    hint: null,
    choices: [
      {
        label: turn.t('next.yes', { code }),
        action: { verb: 'next-code', code, accept: true },
        style: 'primary',
      },
      { label: turn.t('next.no'), action: { verb: 'next-code', code, accept: false }, style: 'default' },
    ],
  });
}

export function askLocale(turn: Turn): void {
  turn.card({
    kind: 'question',
    topic: 'locale',
    text: turn.t('locale.ask'),
    hint: null,
    choices: LOCALES.map((value) => ({
      label: turn.t(`locale.name.${value}`),
      action: { verb: 'locale', value },
      style: 'default',
    })),
  });
}
