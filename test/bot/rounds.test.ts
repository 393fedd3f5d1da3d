import assert from 'node:assert/strict';
import { Rounds } from '../../bot/rounds';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Rounds', () => {
  it('runs one round at once, never two at a time, and goes on after a failed round', async () => {
    let active = 0;
    let most = 0;
    let rounds = 0;
    const errors: string[] = [];
    const r = new Rounds(
      async () => {
        rounds += 1;
        active += 1;
        most = Math.max(most, active);
        await tick(5);
        active -= 1;
        if (rounds === 2) throw new Error('database down');
      },
      1,
      (error) => errors.push(error.message),
    );
    r.start();
    r.start(); // a second start while running changes nothing
    assert.equal(rounds, 1, 'the first round starts at once');
    while (rounds < 4) await tick(2);
    await r.stop();
    assert.equal(most, 1, 'rounds never overlap');
    assert.deepEqual(errors, ['database down']);
  });

  it('stop waits for the round in progress and no round follows it', async () => {
    let ended = false;
    let rounds = 0;
    const r = new Rounds(
      async () => {
        rounds += 1;
        await tick(20);
        ended = true;
      },
      1,
      () => {},
    );
    r.start();
    await r.stop();
    assert.equal(ended, true, 'stop resolved after the round ended');
    await tick(20);
    assert.equal(rounds, 1, 'nothing ran after stop');
  });

  it('a round that throws something other than an Error is reported as one', async () => {
    const errors: Error[] = [];
    const r = new Rounds(
      () => Promise.reject('plain text'),
      1000,
      (error) => errors.push(error),
    );
    r.start();
    await r.stop();
    assert.equal(errors[0]?.message, 'plain text');
  });
});
