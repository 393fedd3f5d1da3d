/**
 * WINFIX_EMPLOYEES_ARE_ADMINS: read by the configuration (default ask, a clear error for anything
 * else), and what `winfix chat` does with the default: ask once, then keep the steps that need
 * administrator rights for the technician when the employee cannot run them.
 */
import assert from 'node:assert/strict';
import { readConfig } from '../../cli/config';
import { spawnCli } from '../helpers/run-cli';

const MESSAGE = 'Windows Update fails with 0x80070002 on Windows 11 23H2';

function envWithout(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WINFIX_STORAGE: 'memory' };
  delete env.WINFIX_EMPLOYEES_ARE_ADMINS;
  return env;
}

describe('WINFIX_EMPLOYEES_ARE_ADMINS', () => {
  it('defaults to ask, takes yes/no/ask in any case, and names what is wrong otherwise', () => {
    assert.equal(readConfig({}).employeesAreAdmins, 'ask');
    assert.equal(readConfig({ WINFIX_EMPLOYEES_ARE_ADMINS: ' No ' }).employeesAreAdmins, 'no');
    assert.equal(readConfig({ WINFIX_EMPLOYEES_ARE_ADMINS: 'YES' }).employeesAreAdmins, 'yes');
    assert.throws(
      () => readConfig({ WINFIX_EMPLOYEES_ARE_ADMINS: 'sometimes' }),
      /WINFIX_EMPLOYEES_ARE_ADMINS must be yes, no or ask \(got "sometimes"\)/,
    );
  });

  it('winfix chat asks by default, and "No" keeps the administrator steps for the technician', () => {
    const run = spawnCli(['chat', '--locale', 'en'], `${MESSAGE}\n2\n2\n2\n2\n`, envWithout());
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /Can you run programs as administrator on this PC\?/);
    assert.match(run.out, / {2}1\) Yes, I can\n {2}2\) No, I can't\n {2}3\) I don't know/);
    assert.match(run.out, /Steps that need administrator rights are left to the technician/);
    assert.match(run.out, /no administrator rights needed/);
    assert.match(run.out, /Step 4 of \d+/, 'a few steps walked with "2" (Didn\'t help)');
    assert.doesNotMatch(run.out, / · needs administrator rights · /, 'no step that needs them');
  });

  it('winfix chat with "no" never asks', () => {
    const run = spawnCli(['chat', '--locale', 'en'], `${MESSAGE}\n2\n2\n2\n`, {
      ...envWithout(),
      WINFIX_EMPLOYEES_ARE_ADMINS: 'no',
    });
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.out, /Can you run programs as administrator/);
    assert.match(run.out, /Step 4 of \d+/);
    assert.doesNotMatch(run.out, / · needs administrator rights · /, 'no step that needs them');
  });
});
