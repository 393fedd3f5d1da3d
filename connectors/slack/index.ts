/** The Slack connector's public API (the composition root imports from here). */
export type { ConnectorLogger } from './connector-logger';
export * from './errors';
export { createSlackConnector, type SlackConnector, type SlackConnectorOptions } from './slack-connector';
export {
  type ApprovalCardMessage,
  approvalCardKey,
  SlackNotifier,
  type SlackNotifierOptions,
} from './slack-notifier';
export {
  DEFAULT_SLACK_API_URL,
  decideSlackMode,
  SLACK_OFF,
  type SlackMode,
  type SlackSettings,
} from './slack-settings';
