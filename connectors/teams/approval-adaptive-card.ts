/**
 * The technicians' approval card as an Adaptive Card 1.5: heading, the request as a FactSet, what was
 * already tried, the decision, the job's progress, a dry-run notice, and while pending a reason field
 * (Input.Text id "reason": Teams merges its value into the submit payload) with Approve / Reject; Stop
 * while the job runs. Pure JSON, no SDK.
 */
import type { ApprovalMessage } from '../../bot';
import { choiceButton } from './card-actions';

type Element = Record<string, unknown>;

const text = (value: string, extra: Element = {}): Element => ({
  type: 'TextBlock',
  text: value.replace(/\r?\n/g, '\n\n'),
  wrap: true,
  ...extra,
});

export function approvalAdaptiveCard(message: ApprovalMessage) {
  const body: Element[] = [
    text(message.heading, { size: 'Medium', weight: 'Bolder' }),
    { type: 'FactSet', facts: message.facts.map((f) => ({ title: f.label, value: f.value })) },
  ];
  if (message.tried.length > 0)
    body.push(
      text(message.triedLabel, { weight: 'Bolder', spacing: 'Medium' }),
      ...message.tried.map((line) => text(`• ${line}`, { spacing: 'Small' })),
    );
  const status: Element[] = [];
  if (message.decision) status.push(text(message.decision, { weight: 'Bolder' }));
  if (message.job) status.push(text(message.job));
  if (status.length > 0) body.push({ type: 'Container', style: 'emphasis', items: status });
  if (message.dryRunNotice) body.push(text(message.dryRunNotice, { color: 'Warning', isSubtle: true }));
  if (message.reasonInput)
    body.push({
      type: 'Input.Text',
      id: 'reason',
      label: message.reasonInput.label,
      placeholder: message.reasonInput.placeholder,
      maxLength: 500,
    });
  if (message.choices.length > 0)
    body.push({
      type: 'ActionSet',
      actions: message.choices.map((choice) => choiceButton(choice, message.id)),
    });
  return {
    type: 'AdaptiveCard' as const,
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: message.text,
    body,
  };
}
