import assert from 'node:assert/strict';
import type { StepCard } from '../../../bot';
import { newConversation } from '../../../bot/conversation-state';
import { createTranslator } from '../../../bot/i18n/translator';
import { stepCard } from '../../../bot/step-card';
import { Turn } from '../../../bot/turn';
import {
  adaptiveCardFor,
  type CardElement,
  COMMAND_LINES_SHOWN,
} from '../../../connectors/teams/adaptive-cards';
import type { Locale } from '../../../rules/vocabulary';
import { checkAdaptiveCard } from '../../helpers/adaptive-card-check';
import { cardOf } from '../../helpers/teams-user';
import { type Harness, sharedKnowledge, startHarness } from './harness';

function card(stepId: string, locale: Locale = 'en'): StepCard {
  const knowledge = sharedKnowledge();
  const state = newConversation('t:c', { platform: 't', userId: 'u', displayName: null }, locale, new Date());
  const turn = new Turn(state, { knowledge, translator: createTranslator() }, new Date());
  const step = knowledge.kb.steps.get(stepId);
  assert.ok(step, stepId);
  return { ...stepCard(turn, step, 1, 5), id: 'm7' } as StepCard;
}

/** Every element of a card, with the key it was found under (fallbacks included). */
function elements(node: unknown, under = 'body'): { element: CardElement; under: string }[] {
  if (Array.isArray(node)) return node.flatMap((n) => elements(n, under));
  if (typeof node !== 'object' || node === null) return [];
  const e = node as CardElement;
  const out = typeof e.type === 'string' ? [{ element: e, under }] : [];
  for (const key of ['body', 'items', 'actions', 'fallback'])
    if (key in e) out.push(...elements(e[key], key));
  return out;
}

const lines = (m: StepCard) => m.commands.reduce((n, c) => n + c.code.split('\n').length, 0);

describe('Teams step cards: commands in CodeBlock, long ones behind a toggle', () => {
  it('shows each command in a CodeBlock (copy button) with monospace lines as its fallback', () => {
    const m = card('dism-sfc');
    const rendered = adaptiveCardFor(m);
    assert.deepEqual(checkAdaptiveCard(rendered), []);
    const blocks = elements(rendered).filter((x) => x.element.type === 'CodeBlock');
    assert.deepEqual(
      blocks.map((b) => b.element.codeSnippet),
      m.commands.map((c) => c.code),
      'the code exactly as written',
    );
    assert.ok(blocks.every((b) => ['DOS', 'PowerShell', 'PlainText'].includes(String(b.element.language))));
    for (const b of blocks) {
      const fallback = b.element.fallback as CardElement;
      assert.equal(fallback.type, 'Container');
      const runs = elements(fallback).filter((x) => x.element.type === 'RichTextBlock');
      assert.equal(runs.length, String(b.element.codeSnippet).split('\n').length, 'one line per row');
    }
    assert.ok(lines(m) <= COMMAND_LINES_SHOWN);
    assert.equal(elements(rendered).filter((x) => x.element.type === 'Action.ToggleVisibility').length, 0);
  });

  for (const locale of ['en', 'ja', 'ru'] as const)
    it(`keeps more than ${COMMAND_LINES_SHOWN} command lines behind a "show commands" toggle (${locale})`, () => {
      const m = card('reset-update-components', locale);
      assert.ok(lines(m) > COMMAND_LINES_SHOWN, 'a step with many command lines');
      const rendered = adaptiveCardFor(m);
      assert.deepEqual(checkAdaptiveCard(rendered), []);
      const all = elements(rendered);
      const [toggle, ...more] = all.filter((x) => x.element.type === 'Action.ToggleVisibility');
      assert.ok(toggle);
      assert.equal(more.length, 0);
      assert.equal(toggle.element.title, createTranslator().t(locale, 'step.show-commands'));
      const [target] = toggle.element.targetElements as string[];
      const hidden = all.find((x) => x.element.id === target)?.element;
      assert.equal(hidden?.isVisible, false, 'hidden until pressed');
      const inside = elements(hidden?.items).filter((x) => x.element.type === 'CodeBlock');
      assert.equal(inside.length, m.commands.length, 'every command is inside the toggled container');
      assert.equal(
        all.filter((x) => x.element.type === 'CodeBlock').length,
        m.commands.length,
        'none outside it',
      );
    });
});

describe('Teams step cards over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends CodeBlock elements the channel accepts', async () => {
    const user = h.user('a:1code-blocks');
    await user.say('Windows Update fails with 0x80070002 on Windows 11 24H2');
    let found = false;
    for (let i = 0; i < 8 && !found; i++) {
      const last = user.sent().at(-1);
      found = JSON.stringify(cardOf(last?.activity) ?? {}).includes('"type":"CodeBlock"');
      if (!found) await user.press('Skip');
    }
    assert.ok(found, 'a step with commands arrives with a CodeBlock');
    assert.deepEqual(h.channel.problems, [], 'the fake channel’s card check accepts it');
  });
});
