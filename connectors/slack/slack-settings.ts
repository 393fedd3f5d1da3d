/**
 * What the Slack connector needs to know, as read by `cli/config.ts` (the only place that reads the
 * environment), and which mode follows from it: Socket Mode with an app-level token, HTTP mode with a
 * signing secret, or off.
 */
import { SlackConfigError } from './errors';

export interface SlackSettings {
  /** SLACK_BOT_TOKEN (`xoxb-…`): the bot's token for the Web API. Slack is off without it. */
  botToken: string | null;
  /** SLACK_SIGNING_SECRET: verifies requests to `/slack/events` (HTTP mode). */
  signingSecret: string | null;
  /** SLACK_APP_TOKEN (`xapp-…`, scope `connections:write`): Socket Mode, no public endpoint needed. */
  appToken: string | null;
  /** SLACK_API_URL: the Web API base URL (default `https://slack.com/api/`); tests point it at a fake. */
  apiUrl: string;
  /**
   * SLACK_TECHNICIANS: the technicians, comma-separated Slack user ids (U…/W…) or e-mails (matched only
   * when the app has the `users:read.email` scope) (default none).
   */
  technicians: string[];
  /**
   * SLACK_TECHNICIAN_CHANNEL: channel id where hand-off summaries and remote-run approval cards go, the
   * bot a member of it (default none: no hand-off copies, and approval requests expire unanswered).
   */
  technicianChannel: string | null;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export type SlackMode = 'off' | 'socket' | 'http';

/** Settings with nothing configured (Slack off). */
export const SLACK_OFF: SlackSettings = {
  botToken: null,
  signingSecret: null,
  appToken: null,
  apiUrl: DEFAULT_SLACK_API_URL,
  technicians: [],
  technicianChannel: null,
};

export interface ModeDecision {
  mode: SlackMode;
  /** Why, in one line for the log. */
  reason: string;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/**
 * Socket Mode when an app-level token is set (it wins over a signing secret), HTTP mode with a signing
 * secret, off when nothing is set. A half-done configuration is an error, not a silent "off".
 */
export function decideSlackMode(settings: SlackSettings): ModeDecision {
  const { botToken, appToken, signingSecret } = settings;
  if (!botToken && !appToken && !signingSecret)
    return {
      mode: 'off',
      reason:
        'Slack is off: not configured (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN for Socket Mode, or with SLACK_SIGNING_SECRET for HTTP mode)',
    };
  const problems: string[] = [];
  if (!botToken) problems.push('SLACK_BOT_TOKEN is missing');
  else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…)');
  if (!appToken && !signingSecret)
    problems.push('set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  const badIds = settings.technicians.filter((id) => !USER_ID.test(id) && !EMAIL.test(id));
  if (badIds.length > 0)
    problems.push(`SLACK_TECHNICIANS must be user ids (U…/W…) or e-mails, got ${badIds.join(', ')}`);
  try {
    new URL(settings.apiUrl);
  } catch {
    problems.push(`SLACK_API_URL is not a URL: "${settings.apiUrl}"`);
  }
  if (problems.length > 0) throw new SlackConfigError(`Slack is misconfigured: ${problems.join('; ')}`);
  return appToken
    ? { mode: 'socket', reason: 'Slack: Socket Mode (SLACK_APP_TOKEN)' }
    : { mode: 'http', reason: 'Slack: HTTP mode, events at /slack/events (SLACK_SIGNING_SECRET)' };
}
