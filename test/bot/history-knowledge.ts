/**
 * A small knowledge base where the KB's own "check the update history" step (its reveals: a KB update
 * fails, a driver update fails, …) is planned first for 0x800f0922, with the real steps its reveals
 * lead to: the step that asks what the user found is open at once (tests of typed findings).
 */
import assert from 'node:assert/strict';
import type { Step } from '../../rules/kb/schema';
import type { Knowledge } from '../../rules/knowledge';
import { Planner } from '../../rules/planner/planner';
import { createUnderstander } from '../../rules/understand';
import { is, kbOf, rule } from '../helpers/kb-fixture';

export const HISTORY_CASE = 'Windows Update fails with 0x800f0922 on Windows 11 23H2';

export function historyKnowledge(full: Knowledge): Knowledge {
  const real = (id: string): Step => {
    const found = full.kb.steps.get(id);
    assert.ok(found, id);
    return { ...found, next: { success: 'done', failure: 'handoff' } };
  };
  const history = real('check-update-history');
  const targets = (history.reveals ?? []).map((r) => ({ ...real(r.next), reveals: [] }));
  const kb = kbOf(
    [history, ...targets],
    [rule('history-first', [is('code', '0x800f0922')], 'entry', 'check-update-history')],
  );
  kb.releases = full.kb.releases;
  return {
    kb,
    planner: new Planner(kb),
    understand: createUnderstander({ aliases: {}, releases: kb.releases }),
  };
}
