import assert from 'node:assert/strict';
import { createTranslator, RESOURCES } from '../../bot/i18n/translator';
import { CONTEXTS, LOCALES } from '../../rules/vocabulary';

describe('bot i18n', () => {
  it('has the same keys in ja, en and ru, none empty', () => {
    const en = Object.keys(RESOURCES.en).sort();
    assert.ok(en.length > 50);
    for (const locale of LOCALES) {
      const keys = Object.keys(RESOURCES[locale]).sort();
      assert.deepEqual(
        keys.filter((k) => !en.includes(k)),
        [],
        `${locale} has keys en lacks`,
      );
      assert.deepEqual(
        en.filter((k) => !keys.includes(k)),
        [],
        `${locale} lacks keys`,
      );
      for (const [key, value] of Object.entries(RESOURCES[locale]))
        assert.ok(typeof value === 'string' && value.trim().length > 0, `${locale}:${key} is empty`);
    }
  });

  it('uses the same placeholders in every locale', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of Object.entries(RESOURCES.en))
      for (const locale of LOCALES)
        assert.deepEqual(placeholders(RESOURCES[locale][key] ?? ''), placeholders(value), `${locale}:${key}`);
  });

  it('labels every context of the vocabulary', () => {
    for (const context of CONTEXTS) assert.ok(RESOURCES.en[`context.${context}`], context);
  });

  it('translates per instance, with values, without touching a global instance', () => {
    const a = createTranslator();
    const b = createTranslator();
    assert.equal(a.t('ru', 'step.heading', { position: 2, total: 5 }), 'Шаг 2 из 5');
    assert.equal(b.t('ja', 'step.heading', { position: 2, total: 5 }), '手順 2 / 5');
    assert.equal(a.t('en', 'next.yes', { code: '0x80070002' }), 'Yes, look at 0x80070002');
  });

  it('writes each locale in its own script', () => {
    assert.match(RESOURCES.ja['ask.os'] ?? '', /[\u3040-\u30ff]/);
    assert.match(RESOURCES.ru['ask.os'] ?? '', /[\u0400-\u04ff]/);
    assert.doesNotMatch(RESOURCES.en['ask.os'] ?? '', /[\u0400-\u04ff\u3040-\u30ff]/);
  });
  it('gives the same texts whether a text was made before or not (the translator keeps its texts)', () => {
    const t = createTranslator();
    // Same key, other values, other locales: each its own text, asked again in any order.
    for (let round = 0; round < 2; round++) {
      assert.equal(t.t('en', 'step.heading', { position: 2, total: 6 }), 'Step 2 of 6');
      assert.equal(t.t('en', 'step.heading', { position: 3, total: 6 }), 'Step 3 of 6');
      assert.equal(t.t('en', 'step.minutes', { minutes: 5 }), 'about 5 min');
      assert.equal(
        t.t('ja', 'step.heading', { position: 2, total: 6 }),
        RESOURCES.ja['step.heading']?.replace('{{position}}', '2').replace('{{total}}', '6'),
      );
      assert.equal(t.t('en', 'step.fixed'), RESOURCES.en['step.fixed']);
      assert.equal(t.t('ru', 'step.fixed'), RESOURCES.ru['step.fixed']);
    }
    // More texts than it keeps: it starts over and every text is still right.
    for (let i = 0; i < 12_000; i++)
      assert.equal(t.t('en', 'step.heading', { position: i, total: 12_000 }), `Step ${i} of 12000`);
    assert.equal(t.t('en', 'step.heading', { position: 1, total: 12_000 }), 'Step 1 of 12000');
  });
});
