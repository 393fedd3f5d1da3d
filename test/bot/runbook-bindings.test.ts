import assert from 'node:assert/strict';
import { fillParameters } from '../../bot/run-for-me-offer';
import { loadKb } from '../../rules/kb/load';
import { checkParameters } from '../../rules/kb/runbook-parameters';

// Every runbook binding the bot can offer fills parameters the catalog (and so the coordinator and the
// runbook's own ValidatePattern) accepts: a button that every press would refuse is a broken promise.
const kb = loadKb();
const bound = [...kb.steps.values()].filter((s) => s.runbook !== null);

describe('runbook bindings the bot offers', () => {
  it('the knowledge base binds several steps, Install-CatalogUpdate among them', () => {
    assert.ok(bound.length >= 8);
    assert.ok(bound.some((s) => s.runbook?.name === 'Install-CatalogUpdate'));
  });

  for (const step of bound)
    it(`${step.id} → ${step.runbook?.name}: the filled parameters pass the catalog`, () => {
      const binding = step.runbook;
      assert.ok(binding);
      const runbook = kb.runbooks.get(binding.name);
      assert.ok(runbook, `${binding.name} is in the catalog`);
      const params = fillParameters(binding, ['KB5034441']);
      assert.ok(params);
      assert.deepEqual(checkParameters(runbook.parameters, params), []);
    });

  it('a KB number is passed as the catalog writes it, whatever the user typed', () => {
    const binding = { name: 'Install-CatalogUpdate', parameters: { KbNumber: '{kb}' } };
    for (const typed of ['KB5034441', 'kb5034441', '5034441'])
      assert.deepEqual(fillParameters(binding, [typed]), { KbNumber: 'KB5034441' }, typed);
    assert.equal(fillParameters(binding, []), null, 'no KB number, no run');
    assert.equal(fillParameters(binding, ['KB12']), null, 'not a KB number');
  });
});
