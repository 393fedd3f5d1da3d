/** Typed findings matched to a step's reveals (bot/reveal-match.ts), on the knowledge base's own steps. */
import assert from 'node:assert/strict';
import { matchReveal } from '../../bot/reveal-match';
import type { Step } from '../../rules/kb/schema';
import { createKnowledge, type Knowledge } from '../../rules/knowledge';

describe('typed findings → the step’s reveals', () => {
  let knowledge: Knowledge;
  before(() => {
    knowledge = createKnowledge();
  });

  const stepOf = (id: string): Step => {
    const step = knowledge.kb.steps.get(id);
    assert.ok(step, id);
    return step;
  };
  const match = (id: string, text: string) => {
    const understood = knowledge.understand(text);
    return matchReveal(stepOf(id), text, understood.kb.length > 0)?.id ?? null;
  };

  it('reads a failing KB update in any language', () => {
    assert.equal(match('check-update-history', 'the update KB5034441 failed'), 'kb-fails');
    assert.equal(match('check-update-history', 'KB5034441 が失敗'), 'kb-fails');
    assert.equal(match('check-update-history', 'не устанавливается KB5034441'), 'kb-fails');
  });

  it('reads the other findings by their words', () => {
    assert.equal(match('check-update-history', 'a driver update failed'), 'driver-fails');
    assert.equal(match('check-update-history', 'ドライバーの更新が失敗しています'), 'driver-fails');
    assert.equal(match('check-network', 'it shows 169.254.10.4'), 'no-address');
    assert.equal(match('check-network', 'we are on the VPN'), 'vpn-or-proxy');
    assert.equal(match('backup-check-status', 'restoring gives 0x80070003'), 'restore-path-not-found');
  });

  it('takes nothing when no finding clearly fits', () => {
    assert.equal(match('check-update-history', 'it failed'), null, 'a KB and a driver update both fail');
    assert.equal(match('check-update-history', 'hello?'), null);
    assert.equal(match('check-network', 'I ran it'), null);
    assert.equal(match('restart-and-retry', 'the update KB5034441 failed'), null, 'a step without findings');
  });
});
