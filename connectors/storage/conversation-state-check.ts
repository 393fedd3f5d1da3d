/**
 * Checks that a stored conversation is a `ConversationState` the bot can work with before handing it
 * out: rows written by hand, by a broken build or by a newer schema fail here instead of in a turn.
 * Unknown extra fields are kept (the check validates, it does not strip).
 */
import { z } from 'zod';
import type { ConversationState, Phase } from '../../bot';
import { CONTEXTS, LOCALES, OS_FAMILIES } from '../../rules/vocabulary';

const PHASES = [
  'idle',
  'ask-context',
  'ask-os',
  'ask-admin',
  'guiding',
  'confirm-restart',
  'offer-next',
] as const satisfies readonly Phase[];
// Fails to compile when the bot gains a phase this list does not have.
const allPhases: Record<Phase, true> = Object.fromEntries(PHASES.map((p) => [p, true])) as Record<
  (typeof PHASES)[number],
  true
>;
void allPhases;

const text = z.string();
const context = z.enum(CONTEXTS);
const os = z.looseObject({
  family: z.enum(OS_FAMILIES),
  version: text.nullable(),
  build: text.nullable(),
});
const outcome = z.looseObject({ step: text, outcome: text, at: text });

const stateSchema = z.looseObject({
  key: text.min(1),
  version: z.number().int().nonnegative(),
  who: z.looseObject({ platform: text, userId: text, displayName: text.nullable() }),
  locale: z.enum(LOCALES),
  localeChosen: z.boolean(),
  phase: z.enum(PHASES),
  facts: z.looseObject({
    code: text.nullable(),
    queue: z.array(text),
    subcodes: z.array(text),
    kb: z.array(text),
    statedContext: context.nullable(),
    context: context.nullable(),
    os: os.nullable(),
    contextAsked: z.boolean(),
    osAsked: z.boolean(),
  }),
  plan: z.array(text),
  index: z.number().int().nonnegative(),
  outcomes: z.array(outcome),
  pending: z.looseObject({ kind: z.enum(['restart', 'next-code']) }).nullable(),
  openCard: z.looseObject({ id: text, kind: z.enum(['question', 'step']) }).nullable(),
  words: z.array(text),
  history: z.array(
    z.looseObject({
      code: text.nullable(),
      result: z.enum(['resolved', 'handed-off', 'abandoned']),
      fixedBy: text.nullable(),
      outcomes: z.array(outcome),
      context: context.nullable().optional(),
      os: os.nullable().optional(),
      at: text,
    }),
  ),
  casesClosed: z.number().int().nonnegative().optional(),
  seq: z.number().int().nonnegative(),
  createdAt: text,
  updatedAt: text,
});

/** The state, or an Error saying what is wrong with it. */
export function checkConversationState(value: unknown, key: string): ConversationState | Error {
  const result = stateSchema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : '(root)';
    return new Error(`state fails validation at ${where}: ${first?.message ?? 'invalid'}`);
  }
  if (result.data.key !== key) return new Error(`state is for "${result.data.key}", stored under "${key}"`);
  return value as ConversationState;
}
