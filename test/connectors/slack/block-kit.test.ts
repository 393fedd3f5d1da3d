import assert from 'node:assert/strict';
import type { Choice, HandoffMessage, QuestionMessage, StepCard } from '../../../bot';
import { answeredCard, escapeMrkdwn, LIMITS, renderMessage } from '../../../connectors/slack/block-kit';
import { decodeButtonValue } from '../../../connectors/slack/slack-inputs';
import { blockProblems } from '../../helpers/fake-slack-api';

const choice = (label: string, style: Choice['style'] = 'default'): Choice => ({
  label,
  action: { verb: 'outcome', step: 's1', outcome: 'fixed' },
  style,
});

function stepCard(extra: Partial<StepCard> = {}): StepCard {
  return {
    kind: 'step',
    id: 'm7',
    stepId: 's1',
    position: 2,
    total: 6,
    heading: 'Step 2 of 6',
    title: 'Reset Windows Update components',
    why: 'Corrupt <cache> & downloads',
    instructions: ['Open a prompt', 'Run the commands'],
    commands: [
      {
        shell: 'cmd',
        shellLabel: 'Command Prompt (as administrator)',
        code: 'net stop wuauserv && echo <done>',
      },
    ],
    caution: 'Takes a while',
    risk: 'medium',
    admin: true,
    reboot: false,
    minutes: 10,
    meta: 'Risk: medium · needs administrator rights · no restart · about 10 min',
    choices: [choice('Fixed it', 'primary'), choice("Didn't help"), choice('Skip')],
    revealPrompt: 'What did you see?',
    reveals: [choice('Error 0x800F081F')],
    runForMe: null,
    ...extra,
  };
}

describe('Block Kit rendering', () => {
  it('escapes mrkdwn markup', () => {
    assert.equal(escapeMrkdwn('a < b & c > d'), 'a &lt; b &amp; c &gt; d');
  });

  it('renders a step card: header, escaped text, verbatim commands, context line, unique buttons', () => {
    const rendered = renderMessage(stepCard());
    assert.ok(rendered?.content);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    const types = rendered.blocks.map((b) => b.type);
    assert.deepEqual(types.slice(0, 1), ['header']);
    assert.ok(types.includes('rich_text'));
    assert.equal(types.filter((t) => t === 'actions').length, 2, 'outcomes and reveals');
    const json = JSON.stringify(rendered.blocks);
    assert.ok(json.includes('Corrupt &lt;cache&gt; &amp; downloads'));
    assert.ok(json.includes('net stop wuauserv && echo <done>'), 'the command is not escaped');
    assert.ok(json.includes('needs administrator rights'));
    const buttons = rendered.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as {
      action_id: string;
      value: string;
      style?: string;
    }[];
    assert.equal(new Set(buttons.map((b) => b.action_id)).size, buttons.length);
    assert.equal(buttons[0]?.style, 'primary');
    assert.equal(buttons[1]?.style, undefined, 'default style is left out');
    assert.deepEqual(decodeButtonValue(buttons[0]?.value).cardId, 'm7');
    assert.match(rendered.text, /```net stop wuauserv/);
    assert.ok(!rendered.content.some((b) => b.type === 'actions'));
  });

  it('keeps within Slack limits for long texts and labels', () => {
    const long = 'x'.repeat(LIMITS.sectionText + 500);
    const question: QuestionMessage = {
      kind: 'question',
      id: 'm1',
      topic: 'context',
      text: `${long}\n${long}`,
      hint: 'winver',
      choices: Array.from({ length: 30 }, (_, i) => choice(`${'Option '.repeat(20)}${i}`)),
    };
    const rendered = renderMessage(question);
    assert.ok(rendered);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    assert.equal(
      rendered.blocks.filter((b) => b.type === 'actions').length,
      2,
      '25 buttons per actions block',
    );
    const heading = renderMessage(stepCard({ title: 'T'.repeat(300) }));
    assert.deepEqual(blockProblems(heading?.blocks), []);
  });

  it('renders a hand-off with facts as fields and the user’s words quoted', () => {
    const handoff: HandoffMessage = {
      kind: 'handoff',
      id: 'm9',
      reason: 'user-asked',
      text: 'Handing over.',
      heading: 'Summary for the technician',
      code: '0x80070002',
      facts: [
        { key: 'code', label: 'Error code', value: '0x80070002' },
        { key: 'os', label: 'Windows', value: 'Windows 11 23H2' },
      ],
      tried: [{ stepId: 's1', title: 'Restart', outcome: 'didnt-help', outcomeLabel: "didn't help" }],
      userWords: ['it fails <again>'],
      labels: { facts: 'Facts', tried: 'Steps tried', words: "In the user's words", none: 'none' },
      raw: { code: '0x80070002', subcodes: [], kb: [], context: null, os: null, locale: 'en' },
    };
    const rendered = renderMessage(handoff);
    assert.ok(rendered);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    const json = JSON.stringify(rendered.blocks);
    assert.ok(json.includes('> it fails &lt;again&gt;'));
    assert.ok(json.includes('"fields"'));
  });

  it('shows an answered card without buttons, with the answer', () => {
    const rendered = renderMessage(stepCard());
    const answered = answeredCard(rendered?.content ?? null, "didn't help");
    assert.deepEqual(blockProblems(answered.blocks), []);
    assert.ok(!answered.blocks.some((b) => b.type === 'actions'));
    assert.match(JSON.stringify(answered.blocks.at(-1)), /didn't help/);
    assert.equal(answeredCard(null, 'x').blocks.length, 1);
  });

  it('does not render a card update as a message', () => {
    assert.equal(renderMessage({ kind: 'card-update', id: 'm3', cardId: 'm2', answer: 'ok' }), null);
  });
});
