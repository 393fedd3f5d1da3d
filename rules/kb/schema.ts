/**
 * The shape of the knowledge base (`rules/kb/*.json`). The JSON files are data reviewed like code;
 * this schema is what `winfix kb check` and the loader enforce.
 */
import { z } from 'zod';
import { CONTEXTS, OS_FAMILIES } from '../vocabulary';

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are kebab-case');
const seed = z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/, 'a seed file name from shared/seeds');
const hresult = z.string().regex(/^0x[0-9a-f]{8}$/, 'lowercase 0x + 8 hex digits');

/**
 * A checkable citation: a short exact phrase from a seed (a command, a UI label, a fragment of at most
 * 60 characters; `kb check` finds it in the seed after whitespace normalisation), or a public Microsoft
 * page by URL and title.
 */
export const seedQuote = z.strictObject({ seed, quote: z.string().min(2).max(60) });
export const urlCitation = z.strictObject({
  url: z.string().regex(/^https:\/\/[^\s]+$/, 'an https:// URL'),
  title: z.string().min(1),
  /** Optional: a short phrase from that page, for a reviewer to find the fact. */
  quote: z.string().min(2).max(200).optional(),
});
export const citation = z.union([seedQuote, urlCitation]);
const sources = z.array(citation).min(1);

/** One text in every locale. */
export const localized = z.strictObject({
  ja: z.string().min(1),
  en: z.string().min(1),
  ru: z.string().min(1),
});
/** A list of lines in every locale (the three lists are the same length). */
export const localizedList = z
  .strictObject({
    ja: z.array(z.string().min(1)),
    en: z.array(z.string().min(1)),
    ru: z.array(z.string().min(1)),
  })
  .refine(
    (l) => l.ja.length === l.en.length && l.en.length === l.ru.length,
    'every locale has the same lines',
  );

export const context = z.enum(CONTEXTS);
export const osFamily = z.enum(OS_FAMILIES);

/** A command shown verbatim to the user, never translated. */
export const command = z.strictObject({
  /** cmd = Command Prompt, powershell = PowerShell (elevated when the step says admin), run = the Win+R box. */
  shell: z.enum(['cmd', 'powershell', 'run']),
  code: z.string().min(1),
});

/**
 * Cost/safety class used to order a plan: cheap and safe first, destructive last.
 * 0 wait/restart/retry · 1 checks and settings · 2 built-in tools · 3 resets and re-registration ·
 * 4 manual installs, drivers, clean boot, third-party software · 5 in-place upgrade · 6 destructive.
 */
export const tier = z.number().int().min(0).max(6);

export const runbookBinding = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Za-z]+-[A-Za-z0-9]+$/, 'Verb-Noun'),
  parameters: z.record(z.string(), z.string()),
});

/** What the user may report a step revealed, and where that leads. */
export const reveal = z.strictObject({ id, label: localized, next: id });

export const step = z.strictObject({
  id,
  title: localized,
  /** One or two sentences: why this step can help. */
  why: localized,
  instructions: localizedList,
  commands: z.array(command),
  /** Pitfalls worth saying (e.g. a second cache reset fails while the .old folders remain). */
  caution: localized.optional(),
  risk: z.enum(['low', 'medium', 'high']),
  tier,
  admin: z.boolean(),
  reboot: z.boolean(),
  minutes: z.number().int().positive(),
  os: z.array(osFamily).min(1),
  runbook: runbookBinding.nullable(),
  next: z.strictObject({
    /** "done" ends the conversation as resolved; a step id leads to a verification step. */
    success: z.union([z.literal('done'), id]),
    /** "handoff" hands the case to a technician. */
    failure: z.union([z.literal('handoff'), id]),
  }),
  reveals: z.array(reveal).optional(),
  /**
   * employee: the employee can do it alone · technician: IT does it (high risk, component resets,
   * registry edits, system files, System Restore, system image, Reset this PC, clean install); offered as
   * *Run it for me* where a runbook exists, otherwise listed in the hand-off as what IT should try next.
   */
  part: z.enum(['employee', 'technician']),
  sources,
});

/** One code seen in one context (kept in rules/kb/contexts/*.json, separate from the code's entry). */
export const errorContext = z.strictObject({
  code: hresult,
  context,
  /** What the code usually means in this context and its common causes. */
  summary: localized,
  sources,
});

export const subcode = z.strictObject({
  code: z.string().regex(/^0x[0-9a-f]{1,8}$/),
  meaning: localized,
  sources,
});

export const errorEntry = z.strictObject({
  code: hresult,
  name: z.string().min(1),
  /** Other ways people write it (lowercase), e.g. "status_wait_2". */
  aliases: z.array(z.string().min(1)),
  meaning: localized,
  subcodes: z.array(subcode).optional(),
  sources,
});

/**
 * entry: start the plan at a step and follow its failure links · add: bring a step in · promote: move
 * it to the front of its part · remove: leave it out (wins) · skip: leave it out because the user
 * already did it (the bot says so, with the reason).
 */
const ruleEventType = z.enum(['entry', 'add', 'promote', 'remove', 'skip']);
export const ruleEvent = z.strictObject({
  type: ruleEventType,
  params: z.strictObject({ step: id, reason: localized.optional() }),
});

/** A json-rules-engine rule (condition syntax is checked by json-rules-engine itself at load). */
export const rule = z.strictObject({
  name: id,
  priority: z.number().int().min(1).max(100).optional(),
  conditions: z.record(z.string(), z.unknown()),
  event: ruleEvent,
  sources,
});

/**
 * The order a (code, context)'s own source article gives its fixes (rules/kb/orders/*.json). The plan
 * starts with these steps in this order; `code: null` is the order without a code (seed 002's checklist),
 * `context: null` any context of the code. Each step carries the quote that puts it there.
 */
export const orderItem = z.strictObject({ step: id, sources });
export const order = z.strictObject({
  code: hresult.nullable(),
  context: context.nullable(),
  steps: z.array(orderItem).min(1),
  sources,
});

/**
 * A family of result codes the knowledge base knows by facility and range (WU_E_PT_* protocol talker,
 * WU_E_DM_* download manager, CBS_E_* servicing, 0xC19… setup results). A code the base does not list
 * but that falls in a family's range gets the family's plan, and the bot says so (guidance `family`).
 */
export const family = z
  .strictObject({
    id,
    /** The symbol pattern as Microsoft writes it, e.g. "WU_E_PT_*". */
    name: z.string().min(1),
    /** First and last code of the range, inclusive. */
    from: hresult,
    to: hresult,
    context,
    /** What codes of this family have in common, said to the user with the family's plan. */
    label: localized,
    steps: z.array(orderItem).min(1),
    sources,
  })
  .refine((f) => Number.parseInt(f.from, 16) <= Number.parseInt(f.to, 16), 'from is not after to');

export const runbookParameter = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Za-z0-9]+$/),
  required: z.boolean(),
  validateSet: z.array(z.string()).optional(),
  pattern: z.string().optional(),
});

export const runbook = z.strictObject({
  name: runbookBinding.shape.name,
  kind: z.enum(['diagnostic', 'fix']),
  summary: localized,
  parameters: z.array(runbookParameter),
  reboot: z.boolean(),
});

/** A calendar date `YYYY-MM-DD` that exists (servicing ends on a Patch Tuesday). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real calendar date');

/**
 * One Windows release (build → family/version) and the last day Microsoft services it. A release is
 * serviced through its end date inclusive (the last Patch Tuesday); `rules/servicing.ts` decides.
 */
export const release = z.strictObject({
  build: z.number().int().positive(),
  family: osFamily,
  version: z.string().nullable(),
  /**
   * Last day of security and quality updates per edition group: homePro = Home, Pro, Pro Education, Pro
   * for Workstations; enterprise = Enterprise, Education, IoT Enterprise. null = no date announced yet.
   */
  end: z.strictObject({ homePro: isoDate.nullable(), enterprise: isoDate.nullable() }),
  /**
   * Extended Security Updates: the last day security updates can still be had through Microsoft's paid
   * ESU for organisations, with the page that says so; null where Microsoft offers no ESU.
   */
  esu: z.strictObject({ end: isoDate, source: urlCitation }).nullable(),
  /** The Microsoft page that gives the end dates. */
  source: urlCitation,
  /** What a reviewer should know: what was checked where, and what could not be. */
  note: z.string().min(1).optional(),
});

/** The seed documents the KB is built from (rules/kb/seeds.json), with a hash to notice a changed file. */
export const seedRecord = z.strictObject({
  file: seed,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  language: z.enum(['ja', 'en', 'ru', 'mixed']),
  topic: z.string().min(1),
});

export type Citation = z.infer<typeof citation>;
export type SeedQuote = z.infer<typeof seedQuote>;
export type UrlCitation = z.infer<typeof urlCitation>;
export type SeedRecord = z.infer<typeof seedRecord>;
export type Localized = z.infer<typeof localized>;
export type LocalizedList = z.infer<typeof localizedList>;
export type Step = z.infer<typeof step>;
export type ErrorEntry = z.infer<typeof errorEntry>;
export type ErrorContext = z.infer<typeof errorContext>;
export type Rule = z.infer<typeof rule>;
export type RuleEvent = z.infer<typeof ruleEvent>;
export type Order = z.infer<typeof order>;
export type Family = z.infer<typeof family>;
export type Runbook = z.infer<typeof runbook>;
export type Release = z.infer<typeof release>;
