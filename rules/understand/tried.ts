/**
 * What the user says they already did ("再起動はもうやりました", "rebooting didn't help", "перезагружал"),
 * from TRIED. Each mention of an action (tried-phrases.ts) counts only when the words around it in the
 * same sentence say it was done (tried-cues.ts): a negation ("I haven't restarted yet", "まだ…していま
 * せん", "ещё не") or a question ("should I restart?", "how do I run sfc", "再起動したほうがいいですか")
 * cancels it; a bare mention with no sense of "already done" does not count. A negation in an earlier
 * clause of the sentence ("won't install, restarted twice", "не обновляется, перезагрузка не помогла")
 * is about the problem, not the action, unless its clause names an action too ("haven't restarted, run
 * sfc or reset the cache": a list of things not done) and the clause does not start with "but".
 * Every window is bounded, so the cost is linear in the text.
 */
import { TRIED, type Tried } from '../vocabulary';
import type { Span } from './normalize';
import { compilePhrases } from './phrases';
import { LEFT_CUES, PAST_IN_MENTION, RIGHT_CUES } from './tried-cues';
import { TRIED_PHRASES } from './tried-phrases';

/** How far before and after a mention the cues are looked for (within its sentence). */
const LEFT_WINDOW = 48;
const RIGHT_WINDOW = 32;

/** Sentence ends: the cues of one sentence do not apply to the next. */
const SENTENCE_END = /[!?！？。\n;；]|\.(?=\s|$)/u;

/** Clause breaks within a sentence: a comma (or the Japanese 、). */
const CLAUSE_BREAK = /[,，、]/gu;
/** A clause that starts with "but" ("…, но перезагружал") sets itself against the clauses before it. */
const CONTRAST_START = /^\s?(?:but|however|а|но|однако)(?![\p{L}])/iu;

const MENTIONS: readonly (readonly [Tried, RegExp])[] = TRIED.map((t) => [
  t,
  compilePhrases(TRIED_PHRASES[t], 'g'),
]);

/** Any action of TRIED, to tell a negated list ("haven't restarted, run sfc") from a negated problem. */
const ANY_MENTION = compilePhrases({
  en: TRIED.flatMap((t) => TRIED_PHRASES[t].en),
  ja: TRIED.flatMap((t) => TRIED_PHRASES[t].ja),
  ru: TRIED.flatMap((t) => TRIED_PHRASES[t].ru),
});

type Cue = 'neg' | 'hyp' | 'done' | null;

function cueOf(match: RegExpMatchArray | undefined): Cue {
  const groups = match?.groups;
  if (!groups) return null;
  if (groups.neg !== undefined) return 'neg';
  if (groups.hyp !== undefined) return 'hyp';
  return groups.done !== undefined ? 'done' : null;
}

/** The text of the mention's sentence before it, at most LEFT_WINDOW characters. */
function leftOf(text: string, start: number): string {
  const window = text.slice(Math.max(0, start - LEFT_WINDOW), start);
  let cut = 0;
  for (let i = window.length - 1; i >= 0; i--) {
    if (SENTENCE_END.test(window.slice(i, i + 2))) {
      cut = i + 1;
      break;
    }
  }
  return window.slice(cut);
}

/** The text of the mention's sentence after it, at most RIGHT_WINDOW characters. */
function rightOf(text: string, end: number): string {
  const window = text.slice(end, end + RIGHT_WINDOW);
  const stop = window.slice(1).search(SENTENCE_END);
  // A question mark right after the mention belongs to it ("restart?").
  return stop < 0 ? window : window.slice(0, stop + 2);
}

/**
 * The cue before a mention: the nearest one in its own clause, else the nearest in the earlier clauses
 * of its sentence, where a negation counts only when its clause names an action too.
 */
function leftCueOf(left: string): Cue {
  const breaks = [...left.matchAll(CLAUSE_BREAK)];
  const cut = breaks.at(-1)?.index ?? -1;
  const ownClause = left.slice(cut + 1);
  const own = cueOf([...ownClause.matchAll(LEFT_CUES)].at(-1));
  if (own !== null || cut < 0 || CONTRAST_START.test(ownClause)) return own;
  const earlier = left.slice(0, cut);
  const match = [...earlier.matchAll(LEFT_CUES)].at(-1);
  const cue = cueOf(match);
  if (cue !== 'neg') return cue;
  return ANY_MENTION.test(earlier.slice(match?.index ?? 0)) ? 'neg' : null;
}

function isDone(text: string, start: number, end: number): boolean {
  const leftCue = leftCueOf(leftOf(text, start));
  if (leftCue === 'neg' || leftCue === 'hyp') return false;
  const rightCue = cueOf(rightOf(text, end).match(RIGHT_CUES) ?? undefined);
  if (rightCue === 'neg' || rightCue === 'hyp') return false;
  return leftCue === 'done' || rightCue === 'done' || PAST_IN_MENTION.test(text.slice(start, end));
}

/**
 * Actions that are a place of their own: "I did a System Restore", "wsreset を実行済み" say what the user
 * did, not where the error happened, so their words name the context only when nothing else does.
 */
const PLACES_OF_THEIR_OWN: ReadonlySet<Tried> = new Set<Tried>(['system-restore', 'wsreset']);

export interface TriedFindings {
  tried: Tried[];
  /** Where the message says it did an action that is a place of its own, to leave out of the context. */
  placeSpans: Span[];
}

/** @param words the message (NFKC, whitespace folded) with code tokens blanked out */
export function findTried(words: string): TriedFindings {
  const tried: Tried[] = [];
  const placeSpans: Span[] = [];
  for (const [action, pattern] of MENTIONS) {
    for (const m of words.matchAll(pattern)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (!isDone(words, span.start, span.end)) continue;
      if (!tried.includes(action)) tried.push(action);
      if (!PLACES_OF_THEIR_OWN.has(action)) break;
      placeSpans.push(span);
    }
  }
  return { tried, placeSpans };
}
