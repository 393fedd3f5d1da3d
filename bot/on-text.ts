/**
 * Handler for a text message. Commands that work anywhere come first (language, help, start over,
 * back, technician); then a message with an error code starts (or, mid-case, offers to restart)
 * triage; otherwise the text answers whatever is open.
 */
import { MAX_ANALYSED_CHARS, type Understanding } from '../rules/understand';
import { CONTEXTS, type Context, type OsInfo } from '../rules/vocabulary';
import {
  answerAdmin,
  answerContext,
  answerNextCode,
  answerOs,
  answerRestart,
  handOffOnRequest,
  keepFacts,
  requestRestart,
  setLocale,
  showHelp,
  startOver,
} from './conversation-moves';
import { MAX_WORDS } from './conversation-state';
import { answerExtendCodes } from './extend-codes';
import { goBack } from './guide-flow';
import { onGuidingText } from './guide-text';
import { askCode, askContext, askLocale, askOs, offerNextCode } from './questions';
import {
  matchCommand,
  matchDontKnow,
  matchGreeting,
  matchLanguageCommand,
  matchYesNo,
  normalizeCommand,
} from './text-commands';
import { addTicketIds } from './ticket-ids';
import { continueTriage, type Found, mergeSaid, startTriage } from './triage-flow';
import type { Turn } from './turn';
import { readAdminRights } from './typed-phrases';

const MAX_WORD_LENGTH = 500;

function remember(turn: Turn, text: string): void {
  const words = turn.state.words;
  words.push(text.trim().slice(0, MAX_WORD_LENGTH));
  if (words.length > MAX_WORDS) words.splice(0, words.length - MAX_WORDS);
  turn.state.tickets = addTicketIds(turn.state.tickets ?? [], text);
}

/** A context typed as one of the bot's own labels ("Microsoft Store", "バックアップと復元" …). */
function contextByLabel(turn: Turn, text: string): Context | null {
  const typed = normalizeCommand(text);
  return CONTEXTS.find((c) => normalizeCommand(turn.t(`context.${c}`)) === typed) ?? null;
}

/** A build number alone answering "which Windows?" ("19045", 「ビルドは 22631 です」). */
function bareBuild(turn: Turn, text: string): OsInfo | null {
  const build = /(?<![\d.])(\d{5}(?:\.\d{1,6})?)(?![\d.])/u.exec(text.normalize('NFKC'))?.[1];
  return build ? turn.deps.knowledge.understand(`build ${build}`).os : null;
}

export async function onText(turn: Turn, text: string, understanding: Understanding, firstContact: boolean) {
  const s = turn.state;
  const language = matchLanguageCommand(text);
  if (language === 'ask') return askLocale(turn);
  if (language) return setLocale(turn, language);

  const command = matchCommand(text);
  if (command === 'help') return showHelp(turn, firstContact);
  if (command === 'start-over') return startOver(turn);
  if (command === 'back') return goBack(turn);

  remember(turn, text);
  s.facts.startedAt ??= turn.now.toISOString();
  if (understanding.truncated)
    turn.say(turn.t('said.truncated', { chars: MAX_ANALYSED_CHARS.toLocaleString('en-US') }));
  const found: Found = understanding;
  if (command === 'human') return handOffOnRequest(turn, found);
  // "What does 0x20007 mean?": answered; mid-case the open card stays as it is.
  if (answerExtendCodes(turn, found) && s.phase !== 'idle') return;

  const newCodes = found.codes.filter((c) => c !== s.facts.code);
  if (newCodes.length > 0) {
    if (s.phase === 'idle') return startTriage(turn, found);
    if (s.phase === 'offer-next' && s.pending?.kind === 'next-code' && newCodes[0] === s.pending.code)
      return answerNextCode(turn, s.pending.code, true, turn.t('answer.typed', { text }));
    if (s.phase === 'offer-next') {
      turn.closeCard(turn.t('answer.typed', { text }));
      s.phase = 'idle';
      s.pending = null;
      return startTriage(turn, { ...found, codes: newCodes });
    }
    return requestRestart(turn, { ...found, codes: newCodes });
  }

  const typed = turn.t('answer.typed', { text });
  if (s.phase === 'ask-context' || s.phase === 'ask-os') Object.assign(s.facts, mergeSaid(s.facts, found));
  switch (s.phase) {
    case 'idle':
      // Codes held back while a technician had the case: offered once the user writes again.
      if (!s.facts.code && s.facts.queue[0]) return offerNextCode(turn, s.facts.queue[0]);
      keepFacts(turn, found);
      if (understanding.noCode) {
        // "コードは出てないです" / "there's no code": go on without one, as the button does.
        s.facts.code = null;
        s.facts.context = s.facts.statedContext;
        return continueTriage(turn);
      }
      if (firstContact) showHelp(turn, true);
      if (!firstContact || !matchGreeting(text)) askCode(turn);
      return;
    case 'ask-context': {
      if (found.os && !s.facts.os) s.facts.os = found.os;
      const context = found.context ?? contextByLabel(turn, text);
      if (context) return answerContext(turn, context, typed);
      if (matchDontKnow(text)) return answerContext(turn, null, typed);
      return askContext(turn, true);
    }
    case 'ask-admin': {
      const yes = readAdminRights(text) ?? matchYesNo(text);
      if (yes !== null) return answerAdmin(turn, yes, typed);
      if (matchDontKnow(text)) return answerAdmin(turn, null, typed);
      return turn.say(turn.t('question.use-buttons'));
    }
    case 'ask-os':
      if (found.context && !s.facts.context) s.facts.context = found.context;
      {
        const os = found.os ?? bareBuild(turn, text);
        if (os) return answerOs(turn, os, typed);
      }
      // The build asked before a hand-off is asked once: any other answer hands off without it.
      if (matchDontKnow(text) || s.facts.handoffAfterBuild) return answerOs(turn, null, typed);
      return askOs(turn, true);
    case 'guiding':
      return onGuidingText(turn, text, found);
    case 'confirm-restart': {
      const yes = matchYesNo(text);
      if (yes !== null && s.pending?.kind === 'restart')
        return answerRestart(turn, s.pending.codes[0] ?? '', yes, typed);
      return turn.say(turn.t('question.use-buttons'));
    }
    case 'offer-next': {
      const yes = matchYesNo(text);
      if (yes !== null && s.pending?.kind === 'next-code')
        return answerNextCode(turn, s.pending.code, yes, typed);
      return turn.say(turn.t('question.use-buttons'));
    }
  }
}
