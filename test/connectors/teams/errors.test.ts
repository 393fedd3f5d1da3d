import assert from 'node:assert/strict';
import {
  BOT_ERROR_CLASSES,
  BotInputError,
  ConversationBusyError,
  ConversationConflictError,
} from '../../../bot';
import {
  deliveryError,
  TEAMS_ERROR_CLASSES,
  TeamsBadRequestError,
  TeamsConfigError,
  TeamsConversationGoneError,
  TeamsDeliveryError,
  TeamsNoReferenceError,
  TeamsServiceUrlRefusedError,
  TeamsTechniciansUnreachableError,
} from '../../../connectors/teams';

describe('Teams connector: errors', () => {
  const samples = [
    new TeamsBadRequestError('x'),
    new TeamsNoReferenceError('c'),
    new TeamsConversationGoneError('c', 403),
    new TeamsDeliveryError('c', 500),
    new TeamsTechniciansUnreachableError('c', true),
    new TeamsConfigError('x'),
    new TeamsServiceUrlRefusedError('x'),
  ];

  it('has one unique winfix_teams_* code per class, distinct from the core’s', () => {
    assert.equal(samples.length, TEAMS_ERROR_CLASSES.length);
    const codes = samples.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_teams_[a-z_]+$/);
    const botCodes = [
      new ConversationConflictError('k', 1, 2),
      new ConversationBusyError('x'),
      new BotInputError('x'),
    ].map((e): string => e.code);
    assert.equal(botCodes.length, BOT_ERROR_CLASSES.length);
    for (const code of codes) assert.ok(!botCodes.includes(code), code);
    for (const error of samples) assert.equal(error.name, error.constructor.name);
  });

  it('classifies channel failures: 403/404 mean the bot is gone, the rest are delivery errors; the cause is kept', () => {
    const http = (status: number) =>
      Object.assign(new Error(`Request failed with status ${status}`), { status });
    for (const status of [403, 404]) {
      const error = deliveryError('a:1', http(status));
      assert.ok(error instanceof TeamsConversationGoneError);
      assert.equal((error.cause as Error).message, `Request failed with status ${status}`);
    }
    const throttled = deliveryError('a:1', http(429));
    assert.ok(throttled instanceof TeamsDeliveryError && throttled.status === 429);
    const network = deliveryError('a:1', new TypeError('fetch failed'));
    assert.ok(network instanceof TeamsDeliveryError && network.status === null);
    assert.match(network.message, /fetch failed/);
    const already = new TeamsNoReferenceError('a:1');
    assert.equal(deliveryError('a:1', already), already);
  });
});
