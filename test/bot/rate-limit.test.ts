/** Per-user rate limits: the sliding window itself, and the bot's answers to a flood and to too many runs. */
import assert from 'node:assert/strict';
import {
  type Clock,
  createBot,
  InMemoryConversationStore,
  type OutgoingMessage,
  type Sender,
} from '../../bot';
import { RateLimiter } from '../../bot/rate-limit';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';
import type { Computer, RemoteRunsPort, RunRequest, RunRequestResult } from '../../runs';
import { ChatDriver } from './chat-driver';

class ManualClock implements Clock {
  at = Date.parse('2026-03-02T09:00:00Z');
  now() {
    return new Date(this.at);
  }
  advance(ms: number) {
    this.at += ms;
  }
}

const texts = (replies: OutgoingMessage[]) => replies.map((m) => ('text' in m ? m.text : m.kind));

describe('RateLimiter', () => {
  it('accepts `limit` events per window, then refuses, telling only the first refusal', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000 }, clock);
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('u1'), { ok: true });
    assert.deepEqual(limiter.take('u1'), { ok: false, retryAfterSeconds: 60, first: true });
    assert.deepEqual(limiter.take('u1'), { ok: false, retryAfterSeconds: 60, first: false });
    assert.deepEqual(limiter.take('u2'), { ok: true }, 'another user has a window of their own');
    clock.advance(60_000);
    assert.deepEqual(limiter.take('u1'), { ok: true }, 'the window has slid past the first three');
  });

  it('slides: the oldest event leaving the window frees one place', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000 }, clock);
    for (const step of [0, 30_000, 15_000]) {
      clock.advance(step);
      assert.equal(limiter.take('u1').ok, true);
    }
    clock.advance(14_000); // 59 s after the first event
    assert.deepEqual(limiter.take('u1'), { ok: false, retryAfterSeconds: 1, first: true });
    clock.advance(1_000);
    assert.equal(limiter.take('u1').ok, true);
    const next = limiter.take('u1');
    assert.equal(next.ok, false);
    assert.equal(!next.ok && next.first, true, 'told again after an accepted event');
    assert.equal(!next.ok && next.retryAfterSeconds, 30);
  });

  it('is off at 0 and rejects nonsense limits', () => {
    const limiter = new RateLimiter({ limit: 0, windowMs: 60_000 }, new ManualClock());
    for (let i = 0; i < 1000; i++) assert.equal(limiter.take('u1').ok, true);
    assert.throws(() => new RateLimiter({ limit: -1, windowMs: 1 }), RangeError);
    assert.throws(() => new RateLimiter({ limit: 1.5, windowMs: 1 }), RangeError);
    assert.throws(() => new RateLimiter({ limit: 1, windowMs: 0 }), RangeError);
  });

  it('forgets users whose window has run out once it remembers many', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000 }, clock);
    for (let i = 0; i < 10_000; i++) limiter.take(`old-${i}`);
    assert.equal(limiter.size, 10_000);
    clock.advance(1_000);
    limiter.take('new');
    assert.equal(limiter.size, 1);
  });
});

class RecordingRemote implements RemoteRunsPort {
  readonly approvalMinutes = 30;
  readonly dryRun = false;
  readonly requests: RunRequest[] = [];
  async computersOf(_platform: string, _user: Sender): Promise<Computer[]> {
    return [{ name: 'PC-0042', workerGroup: 'hrw-pc-0042' }];
  }
  allows() {
    return true;
  }
  async request(request: RunRequest): Promise<RunRequestResult> {
    this.requests.push(request);
    return {
      kind: 'requested',
      requestId: `req-${this.requests.length}`,
      expiresAt: '2026-03-02T09:30:00Z',
      approvedByPolicy: false,
    };
  }
  async onTechnicianAction(): Promise<OutgoingMessage[]> {
    return [];
  }
}

describe('rate limits in the conversation core', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  it('answers a flood once, in the conversation language, stores nothing, and lets the user in again', async () => {
    const clock = new ManualClock();
    const store = new InMemoryConversationStore();
    const bot = createBot({ knowledge, store, clock, rateLimits: { messagesPerMinute: 3, runsPerHour: 5 } });
    const chat = new ChatDriver(bot, 'c1', { id: 'u1', name: 'Aiko' });
    await chat.say('Windows Update がエラー 0x80070002 で失敗します');
    await chat.say('Windows 11 です');
    await chat.say('はい');
    const version = (await store.get('test:c1'))?.version;
    const refused = await chat.say('もしもし');
    assert.equal(refused.length, 1);
    assert.match(texts(refused)[0] ?? '', /メッセージが多すぎる.*60 秒ほど待って/);
    assert.deepEqual(await chat.say('もしもし?'), [], 'told once, then quiet');
    assert.deepEqual(await chat.act({ verb: 'resume' }), [], 'button presses count too');
    assert.equal((await store.get('test:c1'))?.version, version, 'refused messages change nothing');
    // Another user is not held back by this one.
    const other = new ChatDriver(bot, 'c2', { id: 'u2', name: 'Boris', locale: 'ru-RU' });
    assert.ok((await other.say('Ошибка 0x80070002 при обновлении')).length > 0);
    // System events (a run's result) are never limited.
    const system = await bot.handle({
      platform: 'test',
      conversationId: 'c1',
      user: { id: 'u1' },
      kind: 'system',
      event: { type: 'remote-update', requestId: 'none', stage: 'expired' },
    });
    assert.ok(Array.isArray(system));
    clock.advance(60_000);
    const back = await chat.say('0x80070002');
    assert.ok(back.length > 0);
    assert.doesNotMatch(texts(back).join('\n'), /多すぎる/);
  });

  it('answers a new user over the limit in their platform language', async () => {
    const bot = createBot({
      knowledge,
      clock: new ManualClock(),
      rateLimits: { messagesPerMinute: 1, runsPerHour: 5 },
    });
    const base = { platform: 'test', conversationId: 'c9', user: { id: 'u9', locale: 'ru-RU' } } as const;
    await bot.handle({ ...base, kind: 'action', action: { verb: 'resume' } });
    const refused = await bot.handle({ ...base, kind: 'text', text: 'hello' });
    assert.match(texts(refused)[0] ?? '', /Вы отправляете сообщения быстрее.*Подождите 60 с/);
  });

  it('refuses a remote run over the hourly limit without asking the technicians', async () => {
    const clock = new ManualClock();
    const remote = new RecordingRemote();
    const bot = createBot({ knowledge, clock, remote, rateLimits: { messagesPerMinute: 0, runsPerHour: 1 } });
    const chat = new ChatDriver(bot, 'c1', { id: 'u1', name: 'Aiko' });
    await chat.say('Windows Update fails with 0x80070002 on Windows 11 23H2');
    assert.equal(chat.step().stepId, 'restart-and-retry');
    await chat.press("Didn't help");
    assert.equal(chat.step().stepId, 'sync-clock');
    await chat.press('Run it for me');
    assert.equal(remote.requests.length, 1);
    clock.advance(10 * 60_000);
    const rejected = await bot.handle({
      platform: 'test',
      conversationId: 'c1',
      user: { id: 'u1' },
      kind: 'system',
      event: { type: 'remote-update', requestId: 'req-1', stage: 'rejected', by: 'Kenji Sato' },
    });
    const card = rejected.find((m) => m.kind === 'step');
    assert.ok(card?.kind === 'step' && card.runForMe, 'the step card is back with its button');
    await chat.act({ verb: 'run-for-me', step: 'sync-clock' }, card.id);
    assert.equal(remote.requests.length, 1, 'the second request never reached the technicians');
    assert.match(chat.text(), /asked for 1 remote runs within the last hour.*again in 50 minutes/);
    clock.advance(50 * 60_000);
    await chat.act({ verb: 'run-for-me', step: 'sync-clock' }, card.id);
    assert.equal(remote.requests.length, 2, 'an hour after the first, the user may ask again');
  });
});
