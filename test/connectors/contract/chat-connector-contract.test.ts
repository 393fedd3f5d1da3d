/**
 * The chat connector contract (connectors/chat/contract.ts), the same scenarios against every
 * connector: Teams (fake Bot Connector channel), Slack (fake Slack Web API) and the console.
 */
import assert from 'node:assert/strict';
import type { DeliveryFailure } from '../../../connectors/chat/contract';
import { type ConnectorDriver, consoleDriver, slackDriver, teamsDriver } from './drivers';

const APOLOGY = {
  ja: /申し訳ありません。こちらで問題が発生した/,
  en: /Sorry, something went wrong on my side/,
  ru: /Извините, у меня что-то пошло не так/,
};

const CASE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

for (const [name, start] of [
  ['Teams', teamsDriver],
  ['Slack', slackDriver],
  ['console', consoleDriver],
] as const) {
  describe(`chat connector contract: ${name}`, function () {
    this.timeout(20000);
    let chat: ConnectorDriver;

    beforeEach(async () => {
      chat = await start();
    });

    afterEach(async () => {
      await chat.stop();
    });

    it('implements the contract: its platform, its routes, start and stop', () => {
      assert.equal(typeof chat.connector.platform, 'string');
      assert.ok(Array.isArray(chat.connector.routes));
      for (const route of chat.connector.routes) assert.match(route.path, /^\//);
    });

    it('answers a message with a code with a step card', async () => {
      await chat.say('en', CASE);
      assert.ok(
        chat.shown('en').some((text) => /0x80070002/i.test(text)),
        chat.shown('en').join('\n---\n'),
      );
      assert.deepEqual(chat.buttons('en').slice(0, 3), ['Fixed it', "Didn't help", 'Skip']);
    });

    it('handles a duplicate delivery once', async () => {
      await chat.say('en', CASE, 'delivery-1');
      const once = chat.shown('en').length;
      assert.ok(once > 0);
      await chat.say('en', CASE, 'delivery-1');
      assert.equal(chat.shown('en').length, once, 'nothing more for the same delivery');
      await chat.say('en', 'help', 'delivery-2');
      assert.ok(chat.shown('en').length > once, 'a new delivery is answered');
    });

    for (const locale of ['ja', 'en', 'ru'] as const)
      it(`answers a turn the core fails on with the apology in ${locale}`, async () => {
        chat.store.get = async () => {
          throw new Error('the conversation store is down');
        };
        await chat.say(locale, CASE);
        const shown = chat.shown(locale);
        assert.equal(shown.length, 1, shown.join('\n'));
        assert.match(shown[0] ?? '', APOLOGY[locale]);
      });

    it('keeps the order of a conversation’s messages', async () => {
      await Promise.all([chat.sayNoWait('en', CASE), chat.sayNoWait('en', 'help')]);
      await chat.idle();
      const shown = chat.shown('en');
      const code = shown.findIndex((text) => /0x80070002/i.test(text));
      const help = shown.findIndex((text) => /Send me the error code you see/.test(text));
      assert.ok(code >= 0 && help >= 0, shown.join('\n---\n'));
      assert.ok(code < help, 'the answer to the first message comes first');
    });

    it('updates an answered card in place', async () => {
      await chat.say('en', CASE);
      assert.equal(chat.updatedInPlace('en'), 0);
      await chat.press('en', "Didn't help");
      assert.equal(chat.updatedInPlace('en'), 1);
      assert.ok(chat.buttons('en').includes("Didn't help"), 'the next step has its buttons');
    });

    it('sends proactively to a known conversation', async () => {
      await chat.say('en', CASE);
      const outcome = await chat.connector.sendProactive(chat.conversation('en'), [
        { kind: 'text', id: 'job-done', text: 'The job on PC-042 finished.' },
      ]);
      assert.deepEqual(outcome, { ok: true, delivered: 1 });
      assert.equal(chat.shown('en').at(-1), 'The job on PC-042 finished.');
    });

    it('reports a delivery failure', async () => {
      await chat.say('en', CASE);
      const failures: DeliveryFailure[] = [];
      chat.connector.onDeliveryFailure((failure) => failures.push(failure));
      chat.breakDelivery('en');
      const outcome = await chat.connector.sendProactive(chat.conversation('en'), [
        { kind: 'text', id: 'job-done', text: 'The job on PC-042 finished.' },
      ]);
      assert.equal(outcome.ok, false);
      assert.equal(failures.length, 1);
      assert.equal(failures[0]?.conversationId, chat.conversation('en'));
      assert.equal(failures[0]?.platform, chat.connector.platform);
      assert.match(failures[0]?.code ?? '', /^winfix_/);
      if (!outcome.ok) assert.deepEqual(outcome.failure, failures[0]);
    });
  });
}
