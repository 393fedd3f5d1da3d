import assert from 'node:assert/strict';
import type { StepCard } from '../../../bot/messages';
import { renderText } from '../../../connectors/console/render-text';

const card: StepCard = {
  kind: 'step',
  id: 'm7',
  stepId: 'reset-update-cache',
  position: 2,
  total: 5,
  heading: 'Step 2 of 5',
  title: 'Reset the update cache',
  why: 'A damaged download cache stops updates.',
  instructions: ['Open Command Prompt as administrator.', 'Run the commands below.'],
  commands: [{ shell: 'cmd', shellLabel: 'Command Prompt', code: 'net stop wuauserv\nnet start wuauserv' }],
  caution: 'Run it once.',
  risk: 'medium',
  admin: true,
  reboot: false,
  minutes: 10,
  meta: 'Risk: medium · needs administrator rights · no restart · about 10 min',
  choices: [
    {
      label: 'Fixed it',
      action: { verb: 'outcome', step: 'reset-update-cache', outcome: 'fixed' },
      style: 'primary',
    },
    {
      label: "Didn't help",
      action: { verb: 'outcome', step: 'reset-update-cache', outcome: 'didnt-help' },
      style: 'default',
    },
    {
      label: 'Skip',
      action: { verb: 'outcome', step: 'reset-update-cache', outcome: 'skipped' },
      style: 'default',
    },
  ],
  revealPrompt: 'Or tell me what you saw:',
  reveals: [
    {
      label: 'Disk is full',
      action: { verb: 'outcome', step: 'reset-update-cache', outcome: 'revealed:disk-full' },
      style: 'default',
    },
  ],
  runForMe: null,
};

describe('console rendering', () => {
  it('renders a step card: commands indented, meta line, numbered buttons then reveals', () => {
    const { text, choices } = renderText(card);
    assert.ok(text);
    assert.match(text, /^── Step 2 of 5: Reset the update cache ──$/m);
    assert.match(text, /^ {2}Command Prompt:\n {4}net stop wuauserv\n {4}net start wuauserv$/m);
    assert.match(text, /^ {2}Risk: medium · needs administrator rights · no restart · about 10 min$/m);
    assert.match(text, /^ {2}1\) Fixed it\n {2}2\) Didn't help\n {2}3\) Skip$/m);
    assert.match(text, /^ {2}4\) Disk is full$/m);
    assert.deepEqual(
      choices.map((c) => c.label),
      ['Fixed it', "Didn't help", 'Skip', 'Disk is full'],
    );
  });

  it('prints nothing for a card update and numbers a question', () => {
    assert.equal(renderText({ kind: 'card-update', id: 'm9', cardId: 'm7', answer: 'Fixed it' }).text, null);
    const q = renderText({
      kind: 'question',
      id: 'm3',
      topic: 'os',
      text: 'Which Windows?',
      hint: 'winver',
      choices: [
        { label: 'Windows 11 23H2', action: { verb: 'choose-os', value: 'win11-23h2' }, style: 'default' },
      ],
    });
    assert.equal(q.text, 'Which Windows?\n  (winver)\n  1) Windows 11 23H2');
    assert.equal(q.choices.length, 1);
  });
});
