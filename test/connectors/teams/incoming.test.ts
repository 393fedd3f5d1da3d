import assert from 'node:assert/strict';
import {
  type ActivityLike,
  checkActivityBody,
  readSubmit,
  stripBotMention,
  submitData,
  toIncoming,
} from '../../../connectors/teams/incoming';

const base: ActivityLike = {
  type: 'message',
  id: 'in-1',
  from: { id: '29:u', name: 'Ivan' },
  recipient: { id: '28:bot' },
  conversation: { id: 'a:1c' },
  locale: 'ru-RU',
};

describe('Teams connector: incoming activities', () => {
  it('maps a text message to a text input with the user, name and locale', () => {
    assert.deepEqual(toIncoming({ ...base, text: '  0x80070002  ' }), {
      platform: 'teams',
      conversationId: 'a:1c',
      user: { id: '29:u', name: 'Ivan', locale: 'ru-RU', directoryId: null },
      kind: 'text',
      text: '0x80070002',
    });
  });

  it('passes the Entra object id (lowercased) and what was typed into the card’s inputs', () => {
    const action = { verb: 'reject', request: 'r1', digest: 'd' } as const;
    const input = toIncoming({
      ...base,
      text: undefined,
      from: { id: '29:u', name: 'Ivan', aadObjectId: 'B2B2B2B2-0000-4000-8000-000000000002' },
      value: { ...submitData('approval-r1', action), reason: 'call the user first', count: 3 },
    });
    assert.equal(input?.user.directoryId, 'b2b2b2b2-0000-4000-8000-000000000002');
    assert.deepEqual(input?.kind === 'action' && input.fields, { reason: 'call the user first' });
  });

  it('maps our Action.Submit payload to an action input with the card id', () => {
    const action = { verb: 'outcome', step: 'sfc-scan', outcome: 'didnt-help' } as const;
    const input = toIncoming({ ...base, text: undefined, value: submitData('m5', action) });
    assert.deepEqual(input && input.kind === 'action' && [input.action, input.cardId], [action, 'm5']);
  });

  it('ignores submits from other cards, and activities that are not messages', () => {
    assert.equal(toIncoming({ ...base, value: { comment: 'hi' } }), null);
    assert.equal(toIncoming({ ...base, value: { winfix: 1, cardId: 'm1', action: {} } }), null);
    for (const type of ['conversationUpdate', 'typing', 'invoke', 'messageReaction', 'installationUpdate'])
      assert.equal(toIncoming({ ...base, type, text: 'x' }), null, type);
    assert.equal(toIncoming({ ...base, text: '' }), null, 'an empty message');
  });

  it('passes a picture without text to the core (it asks for what it needs)', () => {
    const input = toIncoming({ ...base, text: undefined, attachments: [{ contentType: 'image/png' }] });
    assert.equal(input?.kind === 'text' && input.text, '');
  });

  it('removes only the bot’s own @mention', () => {
    const activity: ActivityLike = {
      ...base,
      text: '<at>winfix</at> please ask <at>Anna</at> about 0x80070002',
      entities: [
        { type: 'mention', text: '<at>winfix</at>', mentioned: { id: '28:bot' } },
        { type: 'mention', text: '<at>Anna</at>', mentioned: { id: '29:anna' } },
      ],
    };
    assert.equal(stripBotMention(activity.text ?? '', activity), 'please ask <at>Anna</at> about 0x80070002');
  });

  it('takes the locale from the clientInfo entity when the activity has none', () => {
    const input = toIncoming({
      ...base,
      locale: undefined,
      text: 'x',
      entities: [{ type: 'clientInfo', locale: 'ja-JP' }],
    });
    assert.equal(input?.user.locale, 'ja-JP');
  });

  it('reads back only well-formed submit payloads', () => {
    assert.equal(readSubmit(null), null);
    assert.equal(readSubmit({ winfix: 2, cardId: 'm1', action: { verb: 'handoff' } }), null);
    assert.equal(readSubmit({ winfix: 1, cardId: '', action: { verb: 'handoff' } }), null);
    assert.deepEqual(readSubmit({ winfix: 1, cardId: 'm1', action: { verb: 'handoff' } }), {
      winfix: 1,
      cardId: 'm1',
      action: { verb: 'handoff' },
    });
  });

  it('checks bodies: JSON content type, JSON object, type, conversation, serviceUrl, channel, from, recipient', () => {
    const good = { ...base, serviceUrl: 'https://smba.trafficmanager.net/amer/', channelId: 'msteams' };
    assert.deepEqual(checkActivityBody('application/json; charset=utf-8', JSON.stringify(good)), good);
    const status = (contentType: string | undefined, body: string) => {
      try {
        checkActivityBody(contentType, body);
        return 'ok';
      } catch (error) {
        return `${(error as { status: number }).status} ${(error as Error).message}`;
      }
    };
    assert.match(status('text/json', '{}'), /^415 /);
    assert.match(status('application/json', '{'), /^400 body is not valid JSON/);
    assert.match(status('application/json', JSON.stringify({ ...good, channelId: '' })), /^400 .*channelId/);
    assert.match(status('application/json', JSON.stringify({ ...good, from: {} })), /^400 .*from\.id/);
    assert.match(
      status('application/json', JSON.stringify({ ...good, serviceUrl: 'not a url' })),
      /^400 .*http\(s\)/,
    );
  });
});
