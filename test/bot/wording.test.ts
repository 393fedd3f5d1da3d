/**
 * Wording checks over the i18n files and over what the bot renders: no internal ids in any localized
 * text (context ids, hand-off reasons, OS families, step ids, UNKNOWN_<n> facilities, locale codes),
 * one term per role in each locale (technician / 担当者 / специалист), buttons named as they are
 * labelled, and the technicians' copy of a hand-off entirely in the technicians' language.
 */
import assert from 'node:assert/strict';
import { createBot, type OutgoingMessage } from '../../bot';
import { createTranslator, RESOURCES } from '../../bot/i18n/translator';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import { CONTEXTS, LOCALES, type Locale } from '../../rules/vocabulary';
import { ChatDriver, steppingClock } from './chat-driver';

/** Other words for the technician's role (and for IT) that must not appear next to the chosen one. */
const OTHER_TERMS: Record<Locale, RegExp> = {
  en: /\bIT\b|\boperators?\b|\bspecialists?\b|\bengineers?\b|\bagents?\b/,
  ja: /技術者|\bIT\b|オペレーター|サポート担当|スペシャリスト/,
  ru: /(?<!\p{L})(?:ИТ|техник\p{L}*|оператор\p{L}*|инженер\p{L}*)(?!\p{L})/u,
};
const TERM: Record<Locale, RegExp> = { en: /technician/, ja: /担当者/, ru: /специалист/ };

/**
 * Every text the knowledge base shows, per locale, with where it is: step titles, reasons,
 * instructions, cautions and reveals, code meanings, context summaries, family labels and rule
 * reasons. Citations (`sources`, `source`) are left out: their quotes are the seeds' and Microsoft's
 * own words and are never reworded.
 */
function kbTexts(node: unknown, where: string, locale: Locale | null, out: [string, Locale, string][]) {
  if (typeof node === 'string') {
    if (locale) out.push([where, locale, node]);
  } else if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) kbTexts(item, `${where}[${i}]`, locale, out);
  } else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === 'sources' || key === 'source') continue;
      const next = (LOCALES as readonly string[]).includes(key) ? (key as Locale) : locale;
      kbTexts(value, `${where}.${key}`, next, out);
    }
  return out;
}

/** In the knowledge base the role words only (product names such as "management agents" are fine there). */
const KB_OTHER_TERMS: Record<Locale, RegExp> = {
  en: /\bIT\b|\boperators?\b|\bspecialists?\b|\bengineers?\b/,
  ja: OTHER_TERMS.ja,
  ru: OTHER_TERMS.ru,
};

function rawIds(knowledge: Knowledge): RegExp {
  const ids = [
    ...CONTEXTS,
    'user-asked',
    'plan-exhausted',
    'no-plan',
    'didnt-help',
    'windows-7',
    'windows-8.1',
    'windows-10',
    'windows-11',
    ...knowledge.kb.steps.keys(),
  ].map((id) => id.replace(/[.]/g, '\\.'));
  return new RegExp(`(?<![\\w/.-])(?:${ids.join('|')})(?![\\w-])|\\bUNKNOWN_\\d+\\b`);
}

/** Keys whose values are ids, code or the user's own words, not text the bot wrote. */
const NOT_SHOWN = new Set([
  'id',
  'kind',
  'stepId',
  'cardId',
  'reason',
  'raw',
  'action',
  'topic',
  'shell',
  'commands',
  'userWords',
  'requestId',
  'locale',
  'code',
  'runbook',
  'outcome',
  'key',
]);

/** A message without the texts that come from the knowledge base (step texts, code meanings, reveals). */
function withoutKbText(m: OutgoingMessage): unknown {
  if (m.kind === 'step') return { ...m, title: '', why: '', instructions: [], caution: null, reveals: [] };
  if (m.kind === 'code') return { ...m, meaning: '', contextNote: null };
  if (m.kind === 'handoff') return { ...m, tried: [], next: [], forTechnicians: undefined };
  if (m.kind === 'summary') return { ...m, tried: [], fixedBy: null };
  return m;
}

function shownTexts(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) shownTexts(item, out);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) if (!NOT_SHOWN.has(key)) shownTexts(value, out);
  return out;
}

describe('wording: ids, terms and the technicians’ language', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  for (const locale of LOCALES) {
    it(`${locale}: no internal ids and one term for the technician in the i18n file`, () => {
      const ids = rawIds(knowledge);
      for (const [key, value] of Object.entries(RESOURCES[locale])) {
        assert.doesNotMatch(value, ids, `${locale} ${key}: ${value}`);
        assert.doesNotMatch(value, OTHER_TERMS[locale], `${locale} ${key}: ${value}`);
      }
      assert.match(RESOURCES[locale]['handoff.heading'] ?? '', TERM[locale]);
      assert.match(RESOURCES[locale]['action.handoff'] ?? '', TERM[locale]);
    });

    it(`${locale}: texts name the buttons exactly as they are labelled`, () => {
      const t = (key: Parameters<ReturnType<typeof createTranslator>['t']>[1]) =>
        createTranslator().t(locale, key);
      for (const button of ['step.fixed', 'step.didnt-help', 'step.skip'] as const)
        assert.ok(t('guide.use-buttons').includes(t(button)), `${locale} guide.use-buttons names ${button}`);
      for (const key of ['plan.remote-offer', 'step.remote-only'] as const)
        assert.ok(t(key).includes(t('step.run-for-me')), `${locale} ${key} names Run it for me`);
      assert.ok(t('plan.remote-offer').includes(t('step.skip')));
    });
  }

  it('the knowledge base names the technician with the same term as the bot, in every locale', () => {
    const kb = knowledge.kb;
    const texts = kbTexts(
      {
        steps: [...kb.steps.values()],
        errors: [...kb.errors.values()],
        contexts: kb.contexts,
        families: kb.families,
        rules: kb.rules.map((r) => ({ name: r.name, reason: r.event.params.reason })),
        runbooks: [...kb.runbooks.values()],
      },
      'kb',
      null,
      [],
    );
    assert.ok(texts.length > 1000, `the walk reaches the texts (${texts.length})`);
    const wrong = texts.filter(([, locale, text]) => KB_OTHER_TERMS[locale].test(text));
    assert.deepEqual(
      wrong.map(([where, locale, text]) => `${where} (${locale}): ${text}`),
      [],
      'another word for the technician',
    );
    // The term is really used: technician steps and hand-off cautions name the role in each locale.
    for (const locale of LOCALES)
      assert.ok(
        texts.filter(([, l, text]) => l === locale && TERM[locale].test(text)).length >= 30,
        `${locale}: the knowledge base uses ${TERM[locale]}`,
      );
  });

  const conversations: { locale: Locale; technicians: Locale; says: string[] }[] = [
    {
      locale: 'en',
      technicians: 'ja',
      says: ['Windows Update fails with 0x80070002 on Windows 11 23H2', "didn't help", 'technician'],
    },
    {
      locale: 'ja',
      technicians: 'en',
      says: ['アップグレードが 0xC1900101-0x20007 で失敗しました Windows 10 22H2', '担当者と話したい'],
    },
    {
      locale: 'ru',
      technicians: 'ja',
      says: [
        'Ошибка 0x87D00324 в Центре программного обеспечения на Windows 10 22H2',
        'не помогло',
        'оператор',
      ],
    },
  ];

  for (const { locale, technicians, says } of conversations)
    it(`renders a ${locale} case and its hand-off without ids; the technicians get it in ${technicians}`, async () => {
      const bot = createBot({ knowledge, clock: steppingClock(), technicianLocale: technicians });
      const chat = new ChatDriver(bot, `wording-${locale}`, { id: `u-${locale}`, name: 'Aiko Tanaka' });
      for (const text of says) await chat.say(text);
      const ids = rawIds(knowledge);
      const all: OutgoingMessage[] = chat.transcript;
      for (const text of shownTexts(all)) assert.doesNotMatch(text, ids, text);
      // The bot's own words (the knowledge base's step texts are data with their own wording).
      for (const text of shownTexts(all.map(withoutKbText)))
        assert.doesNotMatch(text, OTHER_TERMS[locale], text);
      const handoff = all.find((m) => m.kind === 'handoff');
      assert.ok(handoff && handoff.kind === 'handoff', 'the case was handed over');
      const fact = handoff.facts.find((f) => f.key === 'locale');
      assert.equal(fact?.value, RESOURCES[locale][`locale.name.${locale}`], 'the language by name, not "ja"');
      const tech = handoff.forTechnicians;
      assert.ok(tech);
      assert.equal(tech.locale, technicians);
      const translator = createTranslator();
      assert.equal(tech.heading, translator.t(technicians, 'handoff.heading'));
      assert.deepEqual(
        tech.facts.map((f) => f.label),
        handoff.facts.map((f) => translator.t(technicians, `handoff.fact.${f.key}`)),
        'every fact label in the technicians’ language',
      );
      for (const tried of tech.tried)
        assert.equal(tried.title, knowledge.kb.steps.get(tried.stepId)?.title[technicians]);
      assert.match(tech.headline.personal, /Aiko Tanaka/);
      const other = LOCALES.filter((l) => l !== technicians);
      for (const text of shownTexts({ ...tech, userWords: [] }))
        for (const l of other)
          for (const key of ['handoff.heading', 'handoff.tech.from', 'handoff.label.tried'] as const)
            assert.ok(!text.includes(translator.t(l, key)), `${technicians} copy has ${l} "${text}"`);
    });
});
