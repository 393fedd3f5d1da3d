import assert from 'node:assert/strict';
import { createBot, InMemoryConversationStore } from '../../../bot';
import { steppingClock } from '../../bot/chat-driver';
import { cardOf, cardText } from '../../helpers/teams-user';
import { type Harness, sharedKnowledge, startHarness } from './harness';

const TECHS = '19:technicians-ja@thread.tacv2';

describe('Teams: the technicians’ copy of a hand-off is in the technicians’ language', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    assert.deepEqual(h.channel.problems, []);
  });

  it('an English employee’s hand-off reaches Japanese technicians in Japanese throughout', async () => {
    h = await startHarness((channel) => ({
      bot: createBot({
        knowledge: sharedKnowledge(),
        store: new InMemoryConversationStore(),
        clock: steppingClock(),
        defaultLocale: 'en',
        technicianLocale: 'ja',
      }),
      technicians: { conversationId: TECHS, tenantId: 'tenant-1', serviceUrl: channel.serviceUrl },
    }));
    const user = h.user('a:aiko-en', { userId: '29:aiko', name: 'Aiko Tanaka', aadObjectId: 'aad-aiko' });
    await user.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    await user.say("Didn't help");
    await user.say('I want to talk to a technician');
    await h.service.connector.idle();
    const [posted] = h.channel.sentTo(TECHS).filter((c) => c.kind === 'send');
    const text = cardText(cardOf(posted?.activity));
    assert.match(
      text,
      /^🆘 Aiko Tanaka さんからの引き継ぎ（ボットとの個人チャット）: 担当者との対応を希望\n/,
    );
    assert.match(text, /^会話 a:aiko-en · Entra オブジェクト ID aad-aiko$/m);
    assert.match(text, /担当者向けのまとめ/);
    assert.match(text, /エラーコード: 0x80070002/);
    assert.match(text, /言語: English/, 'the employee’s language, by name');
    assert.doesNotMatch(
      text,
      /Hand-off from|Summary for the technician|Steps tried|What the technician|user-asked/,
    );
    assert.match(text, /I want to talk to a technician/, 'the employee’s own words stay as written');
    const toUser = user
      .sent()
      .map((s) => cardText(cardOf(s.activity)))
      .join('\n');
    assert.match(toUser, /Summary for the technician/, 'the employee’s copy stays in English');
  });
});
