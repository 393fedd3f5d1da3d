import assert from 'node:assert/strict';
import { parseRunbookOutput } from '../../../connectors/azure-automation';

describe('parseRunbookOutput', () => {
  it('reads the last JSON line of a runbook’s output', () => {
    const output =
      'Stopping services\r\n{"note":"not a result"}\r\n' +
      '{"runbook":"Reset-UpdateCache","computer":"PC-0042","ok":true,"changed":true,"rebootRequired":true,' +
      '"whatIf":false,"actions":["bits: stopped"],"errors":[],"before":{"x":1}}\r\n\r\n';
    const summary = parseRunbookOutput(output);
    assert.ok(summary);
    assert.deepEqual(
      [
        summary.runbook,
        summary.computer,
        summary.ok,
        summary.changed,
        summary.rebootRequired,
        summary.dryRun,
      ],
      ['Reset-UpdateCache', 'PC-0042', true, true, true, false],
    );
    assert.deepEqual(summary.actions, ['bits: stopped']);
    assert.deepEqual(summary.result.before, { x: 1 });
  });

  it('takes the last result when there are several, and keeps errors readable and bounded', () => {
    const errors = Array.from({ length: 60 }, (_, i) => (i === 0 ? { code: '0x80070005' } : `e${i}`));
    const output = `{"ok":true}\n${JSON.stringify({ ok: false, errors, actions: 'one action', computer: 7 })}`;
    const summary = parseRunbookOutput(output);
    assert.equal(summary?.ok, false);
    assert.equal(summary?.errors[0], '{"code":"0x80070005"}');
    assert.equal(summary?.errors.length, 51);
    assert.equal(summary?.errors[50], '… and 10 more');
    assert.deepEqual(summary?.actions, ['one action']);
    assert.equal(summary?.computer, null);
  });

  it('tolerates garbage: null, never an exception', () => {
    for (const garbage of [
      '',
      'Wednesday, February 7, 2018 3:47:17 PM',
      '{"ok": tru',
      '{"ok":"yes"}',
      '[{"ok":true}]',
      '<html><body>502 Bad Gateway</body></html>',
      '\uFEFF\u0000\u0001{',
      'null',
      undefined,
      42,
      { ok: true },
    ])
      assert.equal(parseRunbookOutput(garbage), null, String(garbage));
    assert.equal(parseRunbookOutput('\uFEFF{"ok":true}')?.ok, true, 'a byte-order mark is fine');
  });
});
