import assert from 'node:assert/strict';
import { type CsvResult, parseCsv } from '../../cli/csv';

function records(result: CsvResult): [number, string[]][] {
  assert.ok(result.ok, result.ok ? '' : `line ${result.line}: ${result.message}`);
  return result.records.map((r) => [r.line, r.fields]);
}

describe('parseCsv (RFC 4180)', () => {
  it('splits fields at commas and records at LF, CRLF and a lone CR', () => {
    assert.deepEqual(records(parseCsv('a,b,c\r\n1,2,3\n4,5,6\r7,8,9')), [
      [1, ['a', 'b', 'c']],
      [2, ['1', '2', '3']],
      [3, ['4', '5', '6']],
      [4, ['7', '8', '9']],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, numbering records by their first line', () => {
    const text = 'name,note\n"Smith, Jane","she said ""hi"""\n"two\r\nlines",x\nlast,""\n';
    assert.deepEqual(records(parseCsv(text)), [
      [1, ['name', 'note']],
      [2, ['Smith, Jane', 'she said "hi"']],
      [3, ['two\r\nlines', 'x']],
      [5, ['last', '']],
    ]);
  });

  it('keeps empty fields, including a trailing one, and makes no record of the final line break', () => {
    assert.deepEqual(records(parseCsv(',a,,\n')), [[1, ['', 'a', '', '']]]);
    assert.deepEqual(records(parseCsv('')), []);
    assert.deepEqual(records(parseCsv('x\n\ny')), [
      [1, ['x']],
      [2, ['']],
      [3, ['y']],
    ]);
  });

  it('drops a byte order mark and keeps spaces as written', () => {
    assert.deepEqual(records(parseCsv('\uFEFFidentity, computer \n')), [[1, ['identity', ' computer ']]]);
  });

  it('skips blank lines and # comment lines only when asked, and never inside quotes', () => {
    const text = '# list\r\na,b\r\n\r\n#c,d\n"#not, a comment",e\n"x\n# still x",f\n';
    assert.deepEqual(records(parseCsv(text, { comments: true, skipBlankLines: true })), [
      [2, ['a', 'b']],
      [5, ['#not, a comment', 'e']],
      [6, ['x\n# still x', 'f']],
    ]);
    assert.deepEqual(
      records(parseCsv('# x\n\na', {})).map(([, f]) => f),
      [['# x'], [''], ['a']],
    );
  });

  it('reports an unclosed quote, text after a closing quote and a stray quote, with the line', () => {
    assert.deepEqual(parseCsv('a\n"open,\nb\n'), {
      ok: false,
      line: 2,
      message: 'the quoted field opened on line 2 is never closed',
    });
    const after = parseCsv('a,b\n"x"y,z');
    assert.equal(after.ok, false);
    assert.equal(!after.ok && after.line, 2);
    assert.match(!after.ok ? after.message : '', /^"y" after a closing quote/);
    const stray = parseCsv('a\nab"c,d');
    assert.deepEqual(!stray.ok && [stray.line, /quote inside a field/.test(stray.message)], [2, true]);
  });
});
