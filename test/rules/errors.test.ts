import assert from 'node:assert/strict';
import { KbInvalidError, RULES_ERROR_CLASSES } from '../../rules/errors';

describe('rules errors', () => {
  it('have unique winfix_ codes', () => {
    const codes = RULES_ERROR_CLASSES.map((C) => new C([] as never).code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^winfix_[a-z_]+$/);
  });

  it('keep the cause and list the problems', () => {
    const error = new KbInvalidError([{ where: 'steps/a.json', message: 'bad' }]);
    assert.match(error.message, /1 problem\):\n {2}steps\/a\.json: bad/);
    assert.equal(error.name, 'KbInvalidError');
  });
});
