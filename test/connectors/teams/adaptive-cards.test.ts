import assert from 'node:assert/strict';
import { type BotAction, createBot, type OutgoingMessage, type StepCard } from '../../../bot';
import { newConversation } from '../../../bot/conversation-state';
import { createTranslator } from '../../../bot/i18n/translator';
import type { HandoffMessage, QuestionMessage } from '../../../bot/messages';
import { stepCard } from '../../../bot/step-card';
import { Turn } from '../../../bot/turn';
import {
  adaptiveCardFor,
  answeredOnlyCard,
  type CardElement,
  isCardMessage,
} from '../../../connectors/teams/adaptive-cards';
import { readSubmit } from '../../../connectors/teams/incoming';
import { LOCALES } from '../../../rules/vocabulary';
import { ChatDriver, steppingClock } from '../../bot/chat-driver';
import { checkAdaptiveCard } from '../../helpers/adaptive-card-check';
import { cardText, submitActions } from '../../helpers/teams-user';
import { sharedKnowledge } from './harness';

function valid(card: unknown, what: string): void {
  assert.deepEqual(checkAdaptiveCard(card), [], what);
}

function stepCards(locale: (typeof LOCALES)[number]): StepCard[] {
  const knowledge = sharedKnowledge();
  const state = newConversation('t:c', { platform: 't', userId: 'u', displayName: null }, locale, new Date());
  const turn = new Turn(state, { knowledge, translator: createTranslator() }, new Date());
  return [...knowledge.kb.steps.values()].map(
    (step, i) => ({ ...stepCard(turn, step, 1, 5), id: `m${i}` }) as StepCard,
  );
}

function find(node: unknown, type: string): CardElement[] {
  const found: CardElement[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const e = n as CardElement;
    if (e.type === type) found.push(e);
    for (const k of ['body', 'items', 'actions', 'inlines', 'fallback']) if (k in e) walk(e[k]);
  };
  walk(node);
  return found;
}

const choice = (label: string, action: BotAction = { verb: 'no-code' }) => ({
  label,
  action,
  style: 'default' as const,
});

describe('Teams connector: Adaptive Cards', () => {
  it('renders every step of the knowledge base, in ja, en and ru, as a valid 1.5 card, open and answered', () => {
    for (const locale of LOCALES)
      for (const card of stepCards(locale)) {
        valid(adaptiveCardFor(card), `${card.stepId} (${locale})`);
        const answered = adaptiveCardFor(card, 'didn’t help');
        valid(answered, `${card.stepId} answered (${locale})`);
        assert.deepEqual(submitActions(answered), [], 'an answered card has no buttons');
        assert.match(cardText(answered), /didn’t help$/);
      }
  });

  it('shows commands verbatim in monospace, one line per row, never as markdown (the CodeBlock fallback)', () => {
    const card = stepCards('en').find((c) => c.commands.some((cmd) => cmd.code.includes('\n')));
    assert.ok(card, 'some step has a multi-line command');
    const rendered = adaptiveCardFor(card);
    const runs = find(rendered, 'TextRun');
    const shown = runs.map((r) => (r.text === '\u00a0' ? '' : r.text)).join('\n');
    for (const command of card.commands) assert.ok(shown.includes(command.code), command.code);
    assert.ok(runs.every((r) => r.fontType === 'Monospace'));
    assert.equal(
      find(rendered, 'TextBlock').filter((t) => String(t.text).includes(card.commands[0]?.code ?? '?'))
        .length,
      0,
    );
  });

  it('puts the outcome buttons side by side, and reveals and long choices one per line', () => {
    const card = stepCards('en').find((c) => c.reveals.length > 1);
    assert.ok(card);
    const sets = find(adaptiveCardFor(card), 'ActionSet').map((s) =>
      (s.actions as CardElement[]).map((a) => a.title),
    );
    assert.deepEqual(sets[0], ['Fixed it', "Didn't help", 'Skip']);
    assert.deepEqual(
      sets.slice(1),
      card.reveals.map((r) => [r.label]),
    );
    assert.deepEqual(
      find(adaptiveCardFor(card), 'Action.Submit')
        .slice(0, 3)
        .map((a) => a.style),
      ['positive', undefined, undefined],
      'Fixed it is the expected answer; the others keep the default style',
    );

    const question: QuestionMessage = {
      kind: 'question',
      id: 'm2',
      topic: 'context',
      text: 'Where did the error appear?',
      hint: null,
      choices: Array.from({ length: 10 }, (_, i) => choice(`Place number ${i}`)),
    };
    const rendered = adaptiveCardFor(question);
    valid(rendered, 'ten choices');
    assert.deepEqual(
      find(rendered, 'ActionSet').map((s) => (s.actions as unknown[]).length),
      Array(10).fill(1),
    );
  });

  it('carries the action and the card id back in Action.Submit data', () => {
    const action: BotAction = { verb: 'choose-os', value: 'win11-23h2' };
    const question: QuestionMessage = {
      kind: 'question',
      id: 'm7',
      topic: 'os',
      text: 'Which Windows?',
      hint: 'winver',
      choices: [choice('Windows 11 23H2', action), choice('No idea')],
    };
    const [first] = submitActions(adaptiveCardFor(question));
    assert.deepEqual(readSubmit(first?.data), { winfix: 1, cardId: 'm7', action });
  });

  it('keeps the user’s words verbatim in a hand-off (markdown is not interpreted)', () => {
    const handoff: HandoffMessage = {
      kind: 'handoff',
      id: 'm9',
      reason: 'user-asked',
      text: 'A technician will take over.',
      heading: 'Hand-off',
      code: null,
      facts: [],
      tried: [],
      next: [],
      userWords: ['**not bold** _nor italic_ [link](http://x)'],
      labels: { facts: 'Facts', tried: 'Tried', next: 'Next', words: 'Words', none: '(none)' },
      raw: { code: null, subcodes: [], kb: [], context: null, os: null, locale: 'en' },
    };
    const card = adaptiveCardFor(handoff);
    valid(card, 'hand-off');
    assert.deepEqual(
      find(card, 'TextRun').map((r) => r.text),
      ['**not bold** _nor italic_ [link](http://x)'],
    );
  });

  it('renders what the real bot says (code, questions, steps, summary, hand-off) in every locale', async () => {
    const openers = {
      en: 'I get error 0x80070002',
      ja: '0x80070002 エラーが出ます',
      ru: 'Ошибка 0x80070002',
    };
    for (const locale of LOCALES) {
      const bot = createBot({ knowledge: sharedKnowledge(), clock: steppingClock(), defaultLocale: locale });
      const chat = new ChatDriver(bot, `c-${locale}`, { id: 'u', locale });
      const seen: OutgoingMessage[] = [];
      seen.push(...(await chat.say(openers[locale])));
      seen.push(...(await chat.act(chat.choices()[0]?.action as BotAction)));
      seen.push(...(await chat.act(chat.choices()[0]?.action as BotAction)));
      seen.push(...(await chat.act(chat.choices()[1]?.action as BotAction)));
      seen.push(...(await chat.act(chat.choices()[0]?.action as BotAction)));
      await chat.say('Windows Update 0x80070003');
      seen.push(...chat.last);
      seen.push(...(await chat.act({ verb: 'handoff' })));
      const kinds = new Set(seen.filter(isCardMessage).map((m) => m.kind));
      for (const kind of ['code', 'question', 'step', 'summary', 'handoff'])
        assert.ok(kinds.has(kind as never), `${locale}: the bot said a ${kind}`);
      for (const message of seen.filter(isCardMessage))
        valid(adaptiveCardFor(message), `${locale} ${message.kind}`);
    }
  });

  it('has a minimal valid card for an answered card whose content is no longer known', () => {
    valid(answeredOnlyCard('Fixed it'), 'answered only');
    assert.equal(cardText(answeredOnlyCard('Fixed it')), 'Fixed it');
  });
});
