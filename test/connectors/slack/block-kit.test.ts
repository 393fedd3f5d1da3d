import assert from 'node:assert/strict';
import type {
  ApprovalMessage,
  Choice,
  HandoffMessage,
  JobStatusMessage,
  QuestionMessage,
  StepCard,
} from '../../../bot';
import {
  answeredCard,
  escapeMrkdwn,
  LIMITS,
  renderMessage,
  technicianNote,
} from '../../../connectors/slack/block-kit';
import { decodeButtonValue, inputFieldsOf } from '../../../connectors/slack/slack-inputs';
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
      next: [
        {
          stepId: 'reset-update-components',
          title: 'Reset the update components',
          runbook: 'Reset-UpdateComponents',
          note: 'can run remotely',
        },
      ],
      userWords: ['it fails <again>'],
      labels: {
        facts: 'Facts',
        tried: 'Steps tried',
        next: 'What IT should try next',
        words: "In the user's words",
        none: 'none',
      },
      raw: { code: '0x80070002', subcodes: [], kb: [], context: null, os: null, locale: 'en' },
    };
    const rendered = renderMessage(handoff);
    assert.ok(rendered);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    const json = JSON.stringify(rendered.blocks);
    assert.ok(json.includes('> it fails &lt;again&gt;'));
    assert.ok(json.includes('"fields"'));
    assert.ok(json.includes('*What IT should try next*\\n1. Reset the update components (can run remotely)'));
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

  it('renders "Run it for me" on a step card as one more button carrying its action', () => {
    const runForMe: Choice = {
      label: 'Run it for me',
      action: { verb: 'run-for-me', step: 's1' },
      style: 'default',
    };
    const rendered = renderMessage(stepCard({ runForMe }));
    assert.ok(rendered);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    const buttons = rendered.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as {
      text: { text: string };
      value: string;
    }[];
    const button = buttons.find((b) => b.text.text === 'Run it for me');
    assert.ok(button);
    assert.deepEqual(decodeButtonValue(button.value), { cardId: 'm7', action: runForMe.action });
  });
});

function approvalMessage(extra: Partial<ApprovalMessage> = {}): ApprovalMessage {
  return {
    kind: 'approval',
    id: 'approval-req-1',
    requestId: 'req-1',
    status: 'pending',
    heading: 'Remote run requested: Get-UpdateHealth on PC-0042',
    facts: [
      { label: 'Requested by', value: 'Aiko <Test> & co' },
      { label: 'PC (worker group)', value: 'PC-0042 (hrw-pc-0042)' },
      { label: 'Runbook', value: 'Get-UpdateHealth' },
      { label: 'Parameters', value: '-EventDays 30' },
    ],
    tried: ['Pause and resume updates: didn’t help', 'Restart and retry: didn’t help'],
    triedLabel: 'Already tried with the bot',
    decision: null,
    job: null,
    dryRunNotice: 'Dry run: winfix is not connected to Azure Automation; approving runs nothing.',
    reasonInput: { label: 'Reason for rejecting (optional)', placeholder: "e.g. I'll call the user first" },
    choices: [
      { label: 'Approve', action: { verb: 'approve', request: 'req-1', digest: 'dg1' }, style: 'primary' },
      { label: 'Reject', action: { verb: 'reject', request: 'req-1', digest: 'dg1' }, style: 'danger' },
    ],
    text: 'Remote run requested: Get-UpdateHealth on PC-0042\nRequested by: Aiko',
    ...extra,
  };
}

type AnyBlock = Record<string, unknown> & { type: string };
const buttonsIn = (blocks: AnyBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as Record<string, unknown>[]) : []));

describe('Block Kit rendering: remote runs', () => {
  it('renders a pending approval card: header, facts as fields, tried, notices, reason field, buttons', () => {
    const rendered = renderMessage(approvalMessage());
    assert.ok(rendered);
    const blocks = rendered.blocks as unknown as AnyBlock[];
    assert.deepEqual(blockProblems(blocks), []);
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'section', 'context', 'input', 'actions'],
    );
    const fields = blocks[1]?.fields as { type: string; text: string }[];
    assert.deepEqual(fields[0], { type: 'mrkdwn', text: '*Requested by*\nAiko &lt;Test&gt; &amp; co' });
    const tried = blocks[2]?.text as { text: string } | undefined;
    assert.match(tried?.text ?? '', /^\*Already tried with the bot\*\n• /);
    assert.match(JSON.stringify(blocks[3]), /Dry run: winfix is not connected/);
    const input = blocks[4] as AnyBlock & { element: Record<string, unknown>; label: { text: string } };
    assert.equal(input.block_id, 'winfix_reason');
    assert.equal(input.optional, true);
    assert.equal(input.label.text, 'Reason for rejecting (optional)');
    assert.equal(input.element.type, 'plain_text_input');
    assert.equal(input.element.action_id, 'reason');
    assert.equal(input.element.multiline, false);
    assert.deepEqual(input.element.placeholder, {
      type: 'plain_text',
      text: "e.g. I'll call the user first",
    });
    const buttons = buttonsIn(blocks);
    assert.deepEqual(
      buttons.map((b) => [(b.text as { text: string }).text, b.style]),
      [
        ['Approve', 'primary'],
        ['Reject', 'danger'],
      ],
    );
    assert.deepEqual(decodeButtonValue(String(buttons[0]?.value)).action, {
      verb: 'approve',
      request: 'req-1',
      digest: 'dg1',
    });
    assert.deepEqual(decodeButtonValue(String(buttons[1]?.value)).action, {
      verb: 'reject',
      request: 'req-1',
      digest: 'dg1',
    });
    assert.equal(rendered.text, approvalMessage().text, 'the plain text is the fallback');
    assert.ok(rendered.content && !rendered.content.some((b) => b.type === 'actions' || b.type === 'input'));
  });

  it('renders a decided card without the reason field; Stop while the job runs; nothing once done', () => {
    const running = renderMessage(
      approvalMessage({
        status: 'approved',
        decision: 'Approved by Kenji Sato at 2026-03-02 09:05 UTC',
        job: 'Job: Running',
        reasonInput: null,
        choices: [{ label: 'Stop the job', action: { verb: 'stop-job', request: 'req-1' }, style: 'danger' }],
      }),
    );
    assert.ok(running);
    const blocks = running.blocks as unknown as AnyBlock[];
    assert.deepEqual(blockProblems(blocks), []);
    assert.ok(!blocks.some((b) => b.type === 'input'));
    const json = JSON.stringify(blocks);
    assert.match(json, /:white_check_mark: Approved by Kenji Sato/);
    assert.match(json, /:gear: Job: Running/);
    assert.deepEqual(
      buttonsIn(blocks).map((b) => decodeButtonValue(String(b.value)).action),
      [{ verb: 'stop-job', request: 'req-1' }],
    );
    // A pending card without a reason field from the core shows none; a status other than pending never does.
    const odd = renderMessage(approvalMessage({ status: 'rejected', choices: [], decision: 'Rejected' }));
    assert.ok(odd);
    assert.ok(!odd.blocks.some((b) => b.type === 'input' || b.type === 'actions'));
  });

  it('keeps an approval card within Slack limits: ten fields a section, long values, many lines', () => {
    const facts = Array.from({ length: 23 }, (_, i) => ({ label: `Fact ${i}`, value: 'v'.repeat(2500) }));
    const tried = Array.from({ length: 800 }, (_, i) => `Step ${i}: ${'w'.repeat(200)}`);
    const rendered = renderMessage(
      approvalMessage({ facts, tried, heading: 'H'.repeat(400), text: 'T'.repeat(9000) }),
    );
    assert.ok(rendered);
    const blocks = rendered.blocks as unknown as AnyBlock[];
    assert.deepEqual(blockProblems(blocks), []);
    assert.equal(blocks.length, LIMITS.blocksPerMessage);
    const sections = blocks.filter((b) => Array.isArray(b.fields));
    assert.deepEqual(
      sections.map((b) => (b.fields as unknown[]).length),
      [10, 10, 3],
    );
    assert.deepEqual(
      blocks.slice(-2).map((b) => b.type),
      ['input', 'actions'],
      'the reason field and the buttons survive the cut',
    );
    assert.ok(rendered.text.length <= LIMITS.fallbackText);
  });

  it('shows a remote run’s progress to the user with its status word and text', () => {
    const status: JobStatusMessage = {
      kind: 'job-status',
      id: 'm4',
      requestId: 'req-1',
      stage: 'rejected',
      ok: null,
      status: 'Rejected',
      text: 'Kenji declined the remote run. Reason: <call me>',
    };
    const rendered = renderMessage(status);
    assert.ok(rendered);
    assert.deepEqual(blockProblems(rendered.blocks), []);
    assert.equal(rendered.text, 'Rejected: Kenji declined the remote run. Reason: <call me>');
    assert.match(
      JSON.stringify(rendered.blocks),
      /:no_entry: \*Rejected\* {2}Kenji declined .*&lt;call me&gt;/,
    );
    const failed = renderMessage({ ...status, stage: 'finished', ok: false, status: 'Finished', text: 'x' });
    assert.match(JSON.stringify(failed?.blocks), /:x: \*Finished\*/);
  });

  it('renders a note for the technicians: a title line, then the output verbatim', () => {
    const output = Array.from({ length: 400 }, (_, i) => `line ${i} <&>`).join('\n');
    const note = technicianNote(`Result of Get-UpdateHealth on PC-0042 (Completed):\n${output}`);
    assert.deepEqual(blockProblems(note.blocks), []);
    assert.equal(note.blocks[0]?.type, 'section');
    const pre = note.blocks.slice(1) as unknown as {
      elements: { type: string; elements: { text: string }[] }[];
    }[];
    assert.ok(pre.length >= 2, 'long output in several blocks');
    assert.equal(pre.map((b) => b.elements[0]?.elements[0]?.text).join(''), output, 'verbatim, unescaped');
    assert.ok(note.text.length <= LIMITS.fallbackText);
  });

  it('reads the typed reason from state.values, only from its own inputs', () => {
    assert.deepEqual(
      inputFieldsOf({
        winfix_reason: { reason: { type: 'plain_text_input', value: 'call the user first' } },
        other_app: { note: { type: 'plain_text_input', value: 'not ours' } },
      }),
      { reason: 'call the user first' },
    );
    assert.equal(
      inputFieldsOf({ winfix_reason: { reason: { type: 'plain_text_input', value: null } } }),
      null,
    );
    assert.equal(
      inputFieldsOf({ winfix_reason: { reason: { type: 'plain_text_input', value: '  ' } } }),
      null,
    );
    assert.equal(inputFieldsOf(undefined), null);
  });
});
