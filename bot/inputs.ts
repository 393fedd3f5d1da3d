/**
 * What a connector hands to the bot: a text message, a button press (an action the bot put on a card)
 * or a system event. Connectors only translate their platform's payloads into these shapes.
 */
import type { Context, Locale } from '../rules/vocabulary';

/** How a step went, as recorded in the conversation: `revealed:<id>` names one of the step's reveals. */
export type StepOutcome = 'fixed' | 'didnt-help' | 'skipped' | `revealed:${string}`;

/** One of the OS choices the bot offers (see os-choices.ts), or "unknown". */
export type OsChoiceId =
  | 'win11-25h2'
  | 'win11-24h2'
  | 'win11-23h2'
  | 'win10-22h2'
  | 'win81'
  | 'win7'
  | 'unknown';

/** The payload of a button. Connectors put it on the button and hand it back unchanged when pressed. */
export type BotAction =
  | { verb: 'outcome'; step: string; outcome: StepOutcome }
  | { verb: 'choose-context'; value: Context | 'unknown' }
  | { verb: 'choose-os'; value: OsChoiceId }
  | { verb: 'confirm-restart'; code: string; restart: boolean }
  | { verb: 'next-code'; code: string; accept: boolean }
  | { verb: 'no-code' }
  | { verb: 'locale'; value: Locale }
  | { verb: 'handoff' }
  | { verb: 'start-over' }
  /** A client coming back (e.g. the terminal chat after a restart): show the open question or step again. */
  | { verb: 'resume' }
  /** Reserved for remote runs (issue 6): never offered yet, answered with "not supported yet". */
  | { verb: 'run-for-me'; step: string };

/** Events that do not come from the user (remote runs, issue 6). Handled as "not supported yet". */
export type SystemEvent =
  | { type: 'approval-decided'; requestId: string; approved: boolean; by: string }
  | {
      type: 'job-progress';
      jobId: string;
      status: 'queued' | 'running' | 'completed' | 'failed';
      detail?: string;
    };

export interface Sender {
  /** The user's id on the platform. */
  id: string;
  /** Display name, when the platform gives one. */
  name?: string | null;
  /** The platform's locale for the user ("ja-JP", "ru", "en-US"), when it gives one. */
  locale?: string | null;
}

interface InputBase {
  /** "teams", "slack", "console" … */
  platform: string;
  /** The platform's conversation id; with `platform` it keys the conversation's state. */
  conversationId: string;
  user: Sender;
}

export interface TextInput extends InputBase {
  kind: 'text';
  text: string;
}

export interface ActionInput extends InputBase {
  kind: 'action';
  action: BotAction;
  /** The id of the card the button was on, when the connector knows it (stale presses are refused). */
  cardId?: string | null;
}

export interface SystemInput extends InputBase {
  kind: 'system';
  event: SystemEvent;
}

export type IncomingMessage = TextInput | ActionInput | SystemInput;

export function conversationKey(input: Pick<InputBase, 'platform' | 'conversationId'>): string {
  return `${input.platform}:${input.conversationId}`;
}
