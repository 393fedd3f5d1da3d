/**
 * Moves that work at any point of a conversation or answer its questions: help, start over, change
 * language, answer context/OS, confirm a restart on a new code, take the next queued code.
 */
import type { Context, Locale, OsInfo } from '../rules/vocabulary';
import { rememberAdmin } from './admin-rights';
import { finishCase, handOff } from './case-end';
import { emptyFacts, saidFacts } from './conversation-state';
import { askAdmin, askBuild, askCode, askContext, askOs, askRestart, offerNextCode } from './questions';
import {
  beginCase,
  contextNote,
  continueTriage,
  type Found,
  makePlan,
  mergeSaid,
  showStep,
  startTriage,
} from './triage-flow';
import type { Turn } from './turn';

/** Shows the open question or step again (after help, a language change, "no, continue" …). */
export function reshow(turn: Turn): void {
  const s = turn.state;
  switch (s.phase) {
    case 'ask-context':
      askContext(turn);
      return;
    case 'ask-os':
      if (s.facts.handoffAfterBuild) askBuild(turn);
      else askOs(turn);
      return;
    case 'ask-admin':
      askAdmin(turn);
      return;
    case 'guiding':
      showStep(turn);
      return;
    case 'confirm-restart':
      if (s.pending?.kind === 'restart') askRestart(turn, s.pending.codes[0] ?? '');
      return;
    case 'offer-next':
      if (s.pending?.kind === 'next-code') offerNextCode(turn, s.pending.code);
      return;
    case 'idle':
      if (s.openCard) askCode(turn);
      return;
  }
}

export function showHelp(turn: Turn, greet: boolean): void {
  if (greet) turn.say(turn.t('greeting'));
  turn.say(turn.t('help'));
  reshow(turn);
}

export function startOver(turn: Turn): void {
  const s = turn.state;
  turn.closeCard(turn.t('answer.start-over'));
  if (s.facts.code || s.plan.length > 0) finishCase(turn, 'abandoned');
  s.facts = emptyFacts();
  s.phase = 'idle';
  s.pending = null;
  s.words = [];
  s.tickets = [];
  turn.say(turn.t('start-over.done'));
  askCode(turn);
}

export function setLocale(turn: Turn, locale: Locale): void {
  const s = turn.state;
  s.locale = locale;
  s.localeChosen = true;
  turn.closeCard(turn.t('answer.language'));
  turn.say(turn.t('locale.switched'));
  reshow(turn);
}

export async function answerContext(turn: Turn, context: Context | null, answer: string): Promise<void> {
  turn.closeCard(answer);
  const facts = turn.state.facts;
  facts.context = context;
  facts.contextAsked = true;
  // The codes queued from the same message most likely happened in the same place.
  if (facts.queue.length > 0 && !facts.statedContext) facts.statedContext = context;
  const note = contextNote(turn);
  if (note) turn.say(note);
  await continueTriage(turn);
}

export async function answerOs(turn: Turn, os: OsInfo | null, answer: string): Promise<void> {
  turn.closeCard(answer);
  const facts = turn.state.facts;
  const handoff = facts.handoffAfterBuild;
  if (handoff) {
    // The build asked before a hand-off: "I don't know" keeps the family; then the hand-off goes ahead.
    if (os && (os.build || os.version)) facts.os = os;
    handOff(turn, handoff);
    return;
  }
  facts.os = os;
  facts.osAsked = true;
  await continueTriage(turn);
}

/**
 * The answer to "can you run things as administrator?": remembered for this user ("I don't know"
 * counts as no), then the plan is made for it.
 */
export async function answerAdmin(turn: Turn, canAdmin: boolean | null, answer: string): Promise<void> {
  if (turn.state.phase !== 'ask-admin') {
    turn.say(turn.t('guide.stale'));
    return;
  }
  turn.closeCard(answer);
  rememberAdmin(turn, canAdmin ?? false);
  await makePlan(turn);
}

/**
 * A new code in the middle of a case: ask whether to switch to it now; otherwise it is queued and
 * offered when the case ends, like the other codes of the first message.
 */
export function requestRestart(turn: Turn, found: Found): void {
  const s = turn.state;
  if (s.phase === 'ask-context' || s.phase === 'ask-os' || s.phase === 'ask-admin' || s.phase === 'guiding') {
    s.pending = { kind: 'restart', resume: s.phase, ...found };
  } else if (s.pending?.kind === 'restart') {
    s.pending = { ...s.pending, ...found };
  } else return;
  s.phase = 'confirm-restart';
  askRestart(turn, found.codes[0] ?? '');
}

export async function answerRestart(
  turn: Turn,
  code: string,
  restart: boolean,
  answer: string,
): Promise<void> {
  const s = turn.state;
  const pending = s.pending;
  if (s.phase !== 'confirm-restart' || pending?.kind !== 'restart' || pending.codes[0] !== code) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  turn.closeCard(answer);
  const queued = s.facts.queue;
  if (restart) {
    finishCase(turn, 'abandoned');
    // The codes still waiting from before stay queued behind the new ones.
    const codes = [...new Set([...pending.codes, ...queued])];
    await startTriage(turn, { ...pending, codes });
    return;
  }
  s.phase = pending.resume;
  s.pending = null;
  const added = pending.codes.filter((c) => c !== s.facts.code && !queued.includes(c));
  s.facts.queue = [...queued, ...added];
  turn.say(turn.t('restart.kept', { codes: pending.codes.join(', ') }));
  reshow(turn);
}

export async function answerNextCode(
  turn: Turn,
  code: string,
  accept: boolean,
  answer: string,
): Promise<void> {
  const s = turn.state;
  if (s.phase !== 'offer-next' || s.pending?.kind !== 'next-code' || s.pending.code !== code) {
    turn.say(turn.t('guide.stale'));
    return;
  }
  turn.closeCard(answer);
  s.pending = null;
  s.phase = 'idle';
  const { queue, statedContext, os } = s.facts;
  if (!accept) {
    turn.say(turn.t('next.declined', { code: queue.join(', ') }));
    s.facts = emptyFacts({ os, ...saidFacts(s.facts) });
    return;
  }
  s.facts = emptyFacts({
    code,
    queue: queue.filter((c) => c !== code),
    statedContext,
    os,
    ...saidFacts(s.facts),
  });
  await beginCase(turn);
}

/** Facts a message gave while no case is open are kept for when the code arrives. */
export function keepFacts(turn: Turn, found: Found): void {
  const facts = turn.state.facts;
  facts.statedContext = found.context ?? facts.statedContext;
  facts.os = found.os ?? facts.os;
  facts.kb = [...new Set([...facts.kb, ...found.kb])];
  if (found.subcodes.length > 0) facts.subcodes = found.subcodes;
  Object.assign(facts, mergeSaid(facts, found));
}

/**
 * The user asks for a person. Mid-case the hand-off is about the case; when the next code was being
 * offered it is about that code; with no case open it carries whatever the message said.
 */
export function handOffOnRequest(turn: Turn, found?: Found): void {
  const s = turn.state;
  const facts = s.facts;
  // A new code the user was asked about stays queued for after the technician.
  if (s.pending?.kind === 'restart') {
    const codes = s.pending.codes.filter((c) => c !== facts.code && !facts.queue.includes(c));
    facts.queue = [...facts.queue, ...codes];
    s.pending = null;
  }
  if (s.phase === 'offer-next' && s.pending?.kind === 'next-code') {
    const code = s.pending.code;
    facts.code = code;
    facts.queue = facts.queue.filter((c) => c !== code);
    facts.context = facts.statedContext;
    s.pending = null;
  } else if (s.phase === 'idle' && !facts.code && found) {
    keepFacts(turn, found);
    const [code, ...queue] = found.codes;
    facts.code = code ?? null;
    facts.queue = [...new Set([...queue, ...facts.queue])].filter((c) => c !== code);
    facts.context = facts.statedContext;
  }
  handOff(turn, 'user-asked');
}
