/**
 * The technicians' approval card as an Adaptive Card 1.5: heading, the request as a FactSet, what was
 * already tried, the decision, the job's progress, a dry-run notice. Pure JSON, no SDK.
 *
 * Two versions (Universal Actions "user specific views"):
 * - the card for everyone (`approvalCardForEveryone`), the one posted to the technicians' channel and
 *   redrawn there with PUT: its facts and state and NOTHING to press, so it cannot be pressed twice by
 *   design; while something could be pressed it carries a `refresh` naming the technicians' Teams user
 *   ids, and a line telling technicians where their buttons are;
 * - one person's own view (`approvalAdaptiveCard`), the answer to their refresh or press: the card as
 *   the core drew it for them — while the request is open, for a technician, the reason field (Input.Text
 *   id "reason": Teams merges its value into the action's data) with Approve / Reject; Stop while the job
 *   runs — and, when it has buttons, the same `refresh`, so their view stays current.
 */
import type { ApprovalMessage } from '../../bot';
import { choiceButton, refreshFor } from './card-actions';

type Element = Record<string, unknown>;

/** The Teams user ids (29:…) whose client refreshes the card by itself; null: none known (see refreshFor). */
export type Viewers = readonly string[] | null;

const text = (value: string, extra: Element = {}): Element => ({
  type: 'TextBlock',
  text: value.replace(/\r?\n/g, '\n\n'),
  wrap: true,
  ...extra,
});

function draw(message: ApprovalMessage, extra: { refresh: Element | null; hint: string | null }) {
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
  if (extra.hint) body.push(text(extra.hint, { isSubtle: true, size: 'Small' }));
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
    ...(extra.refresh ? { refresh: extra.refresh } : {}),
    body,
  };
}

const refreshOf = (message: ApprovalMessage, viewers: Viewers) =>
  refreshFor(message.id, { verb: 'view-approval', request: message.requestId }, viewers);

/**
 * One person's view of the card, as the core drew it for them (buttons only if they may act now); with a
 * `refresh` while it has buttons, so it is fetched again when shown (it may have been decided meanwhile).
 */
export function approvalAdaptiveCard(message: ApprovalMessage, viewers: Viewers = null) {
  const live = message.choices.length > 0;
  return draw(message, { refresh: live ? refreshOf(message, viewers) : null, hint: null });
}

/**
 * The card for everyone: no buttons and no reason field whatever the core drew; while the core's card
 * had something to press, a `refresh` for the technicians and the core's hint where their buttons are.
 */
export function approvalCardForEveryone(message: ApprovalMessage, viewers: Viewers = null) {
  const live = message.choices.length > 0;
  return draw(
    { ...message, choices: [], reasonInput: null },
    { refresh: live ? refreshOf(message, viewers) : null, hint: live ? (message.buttonsHint ?? null) : null },
  );
}
