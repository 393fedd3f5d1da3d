/** Handler for a button press. A press on a card that is no longer open is refused as stale. */
import {
  answerAdmin,
  answerContext,
  answerNextCode,
  answerOs,
  answerRestart,
  handOffOnRequest,
  reshow,
  setLocale,
  startOver,
} from './conversation-moves';
import { recordOutcome } from './guide-flow';
import type { BotAction } from './inputs';
import { OS_CHOICES, osOfChoice } from './os-choices';
import { runForMe } from './run-for-me';
import { continueTriage } from './triage-flow';
import type { Turn } from './turn';

/** The label of the pressed button, shown on the answered card. */
function answerOf(turn: Turn, action: BotAction): string {
  switch (action.verb) {
    case 'choose-context':
      return turn.t(action.value === 'unknown' ? 'ask.context.unknown' : `context.${action.value}`);
    case 'choose-os':
      return OS_CHOICES.find((c) => c.id === action.value)?.label ?? turn.t('ask.os.unknown');
    case 'confirm-restart':
      return action.restart ? turn.t('restart.yes', { code: action.code }) : turn.t('restart.no');
    case 'next-code':
      return action.accept ? turn.t('next.yes', { code: action.code }) : turn.t('next.no');
    case 'no-code':
      return turn.t('ask.code.none');
    case 'admin-rights':
      return turn.t(`ask.admin.${action.value}`);
    default:
      return '';
  }
}

export async function onAction(turn: Turn, action: BotAction, cardId: string | null): Promise<void> {
  const s = turn.state;
  const global =
    action.verb === 'locale' ||
    action.verb === 'handoff' ||
    action.verb === 'start-over' ||
    action.verb === 'resume';
  if (cardId && !global && s.openCard?.id !== cardId) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  const answer = answerOf(turn, action);
  switch (action.verb) {
    case 'outcome':
      return recordOutcome(turn, action.step, action.outcome);
    case 'choose-context':
      if (s.phase !== 'ask-context') return turn.say(turn.t('guide.stale'));
      return answerContext(turn, action.value === 'unknown' ? null : action.value, answer);
    case 'choose-os':
      if (s.phase !== 'ask-os') return turn.say(turn.t('guide.stale'));
      return answerOs(turn, osOfChoice(action.value), answer);
    case 'confirm-restart':
      return answerRestart(turn, action.code, action.restart, answer);
    case 'next-code':
      return answerNextCode(turn, action.code, action.accept, answer);
    case 'no-code':
      if (s.phase !== 'idle') return turn.say(turn.t('guide.stale'));
      turn.closeCard(answer);
      s.facts.code = null;
      s.facts.context = s.facts.statedContext;
      return continueTriage(turn);
    case 'admin-rights':
      return answerAdmin(turn, action.value === 'unknown' ? null : action.value === 'yes', answer);
    case 'locale':
      return setLocale(turn, action.value);
    case 'handoff':
      return handOffOnRequest(turn);
    case 'start-over':
      return startOver(turn);
    case 'resume':
      return reshow(turn);
    case 'run-for-me':
      return runForMe(turn, action.step, action.computer ?? null, null);
    case 'confirm-run':
      return runForMe(turn, action.step, action.computer, action.go);
    case 'approve':
    case 'reject':
    case 'stop-job':
    case 'view-approval':
      // Technicians' buttons are routed by createBot before any conversation is loaded.
      return turn.say(turn.t('guide.stale'));
  }
}
