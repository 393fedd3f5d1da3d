/**
 * Free text while a step is open: how it went in a sentence ("still the same", 「直りました」,
 * "не помогло(("), what the user already did or noticed (re-plans the rest), a finding, "I can't run
 * things as administrator" (the steps that need it go to the technician), a question about the step
 * ("is it safe?", "what does this mean?": answered from the step), "ok" or "done" (answered with "did
 * that fix it?", which the next message may answer with a bare yes or no). A message that says
 * the error is fixed is taken as fixed even when it also names what was done ("I restarted and it
 * worked"): it never becomes "didn't help".
 */
import type { Step } from '../rules/kb/schema';
import { rememberAdmin } from './admin-rights';
import { recordOutcome } from './guide-flow';
import { tellHowItWent } from './questions';
import { matchReveal } from './reveal-match';
import { applySaid } from './said-facts';
import { matchOutcome, matchYesNo, normalizeCommand } from './text-commands';
import { type Found, mergeSaid } from './triage-flow';
import type { Turn } from './turn';
import { readAdminRights, readOutcome, readStepTalk } from './typed-phrases';

export async function onGuidingText(turn: Turn, text: string, found: Found): Promise<void> {
  const s = turn.state;
  // What the user found out (a KB number, the OS) goes into the facts for the hand-off.
  s.facts.kb = [...new Set([...s.facts.kb, ...found.kb])];
  s.facts.os = s.facts.os ?? found.os;
  const step = turn.currentStep();
  // "Did that fix it?" was asked about this step: a bare yes or no answers it.
  const askedIfFixed = step !== null && s.askedIfFixed === step.id;
  delete s.askedIfFixed;
  const exact = matchOutcome(text);
  if (exact && step) return recordOutcome(turn, step.id, exact);
  if (step && readAdminRights(text) === false) return cannotAdmin(turn, step);
  const outcome = readOutcome(text);
  const yesNo = askedIfFixed && step ? answerIfFixed(text) : null;
  // A yes that goes on to say it failed ("yes, still the same error") is no fix: the failure wins.
  if (yesNo !== null && step)
    return recordOutcome(turn, step.id, yesNo && outcome !== 'didnt-help' ? 'fixed' : 'didnt-help');
  if (outcome === 'fixed' && step) {
    Object.assign(s.facts, mergeSaid(s.facts, found));
    return recordOutcome(turn, step.id, 'fixed');
  }
  if (await applySaid(turn, found, text)) return;
  if (!step) return turn.say(turn.t('guide.use-buttons'));
  // What the user found, typed: a reveal's label, or words that clearly name one.
  const said = normalizeCommand(text);
  const reveal =
    step.reveals?.find((r) => normalizeCommand(r.label[turn.locale]) === said) ??
    matchReveal(step, text, found.kb.length > 0);
  if (reveal) return recordOutcome(turn, step.id, `revealed:${reveal.id}`);
  if (outcome) return recordOutcome(turn, step.id, outcome);
  const talk = readStepTalk(text);
  if (talk === 'safety' || talk === 'explain') return turn.say(aboutStep(turn, step, talk));
  if (talk === 'ack') return turn.say(turn.t('guide.ack'));
  if (talk === 'done') {
    s.askedIfFixed = step.id;
    return turn.say(turn.t('guide.done-ask'));
  }
  tellHowItWent(turn, step);
}

/** Words that lead a sentence as an acknowledgement ("ok, let me check") rather than a yes. */
const LOOSE_YES = new Set(['ok', 'okay', 'sure', 'お願いします', 'давай', 'давайте', 'ага']);

/** The yes or no answering "did that fix it?": "ok, I'll try again" is no yes (a bare "ok" still is). */
function answerIfFixed(text: string): boolean | null {
  const yes = matchYesNo(text);
  const said = normalizeCommand(text);
  const first = said.split(/[\s,、。!.!]+/u)[0] ?? '';
  return yes === true && first !== said && LOOSE_YES.has(first) ? null : yes;
}

/** The step explained again from the KB: what it is for and how, or how risky it is. */
function aboutStep(turn: Turn, step: Step, talk: 'safety' | 'explain'): string {
  const title = step.title[turn.locale];
  const lines =
    talk === 'safety'
      ? [
          turn.t(`guide.safety.${step.risk}`, { title }),
          turn.t(step.admin ? 'step.admin' : 'step.no-admin'),
          turn.t(step.reboot ? 'step.reboot' : 'step.no-reboot'),
          ...(step.caution ? [step.caution[turn.locale]] : []),
        ]
      : [
          turn.t('guide.explain', { title, why: step.why[turn.locale] }),
          ...step.instructions[turn.locale].map((line, i) => `${i + 1}. ${line}`),
        ];
  return [...lines, turn.t('guide.after-question')].join('\n');
}

/**
 * "I don't have admin rights" with a step open: remembered for this user; the steps ahead that need
 * administrator rights go to the technician's part, and so does the open one when it needs them.
 */
function cannotAdmin(turn: Turn, step: Step): void {
  const s = turn.state;
  rememberAdmin(turn, false);
  const needs = (id: string) => turn.kb.steps.get(id)?.admin === true;
  const ahead = s.plan.slice(s.index + 1);
  const moved = ahead.filter(needs);
  s.plan = [...s.plan.slice(0, s.index + 1), ...ahead.filter((id) => !needs(id))];
  const technician = new Set([...(step.admin ? [step.id] : []), ...moved, ...(s.technician ?? [])]);
  s.technician = [...technician];
  if (!step.admin) {
    turn.say(turn.t('guide.admin-noted'));
    return;
  }
  turn.say(turn.t('guide.admin-step-moved'));
  recordOutcome(turn, step.id, 'skipped');
}
