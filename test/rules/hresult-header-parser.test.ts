/** scripts/hresult-header-parser.ts: the C header defines it reads, evaluates and turns into the tables. */
import assert from 'node:assert/strict';
import {
  buildTables,
  evaluateExpression,
  evaluateHeader,
  extractDefines,
  type HeaderInput,
  hresultFromSetupapi,
  hresultFromWin32,
  parseExtra,
  renderTable,
  stripComments,
} from '../../scripts/hresult-header-parser';

describe('hresult header parser', () => {
  const snippet = [
    '/* header comment with #define NOT_THIS 1 */',
    '#define FACILITY_WIN32 7',
    '#define FACILITY_WINDOWSUPDATE 36',
    '#define ERROR_SUCCESS __MSABI_LONG(0)',
    '#define NO_ERROR __MSABI_LONG(0)',
    '#define ERROR_FILE_NOT_FOUND 2L // trailing comment',
    '#define ERROR_INVALID_PARAMETER __MSABI_LONG(87)',
    '#define ERROR_INVALID_FUNCTION __MSABI_LONG(1)',
    '#define WSABASEERR 10000',
    '#define WSAEINTR (WSABASEERR + 4)',
    '#define DNS_ERROR_NO_MEMORY ERROR_OUTOFMEMORY',
    '#define SEC_E_OK ((HRESULT)0x00000000)',
    '#define S_OK ((HRESULT)0x00000000)',
    '#define E_INVALIDARG _HRESULT_TYPEDEF_(0x80070057L)',
    '#define E_NOT_SUFFICIENT_BUFFER HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)',
    '#define ERROR_INSUFFICIENT_BUFFER __MSABI_LONG(122)',
    '#define OLE_E_FIRST ((HRESULT)0x80040000)',
    '#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)',
    '#define LONG_ONE \\',
    '  0x80240001',
  ].join('\n');

  it('strips comments but keeps line numbers', () => {
    const text = 'a /* x\ny */ b // c\nd';
    assert.equal(stripComments(text).split('\n').length, 3);
    assert.doesNotMatch(stripComments(text), /[xyc]/);
    assert.equal(stripComments('"a // not a comment"'), '"a // not a comment"');
  });

  it('extracts object-like defines in order, joining continued lines', () => {
    const defs = extractDefines(snippet);
    const names = defs.map((d) => d.name);
    assert.ok(!names.includes('NOT_THIS'));
    assert.ok(!names.includes('SUCCEEDED'), 'function-like macros are skipped');
    assert.equal(names[0], 'FACILITY_WIN32');
    assert.deepEqual(defs.at(-1), { name: 'LONG_ONE', body: '0x80240001', line: 19 });
  });

  it('evaluates the value forms used by the headers', () => {
    assert.deepEqual(evaluateExpression('__MSABI_LONG(2)'), { value: 2, kind: 'plain' });
    assert.deepEqual(evaluateExpression('2L'), { value: 2, kind: 'plain' });
    assert.deepEqual(evaluateExpression('0U'), { value: 0, kind: 'plain' });
    assert.deepEqual(evaluateExpression('_HRESULT_TYPEDEF_(0x80240001L)'), {
      value: 0x80240001,
      kind: 'hresult',
    });
    assert.deepEqual(evaluateExpression('((HRESULT)0x00000001)'), { value: 1, kind: 'hresult' });
    assert.deepEqual(evaluateExpression('((HRESULT)0x80004005L)'), { value: 0x80004005, kind: 'hresult' });
    assert.deepEqual(evaluateExpression('__MSABI_LONG(0x80200001)'), { value: 0x80200001, kind: 'plain' });
    const symbols = new Map([
      ['APPLICATION_ERROR_MASK', { value: 0x20000000, kind: 'plain' as const }],
      ['ERROR_SEVERITY_ERROR', { value: 0xc0000000, kind: 'plain' as const }],
      ['WSABASEERR', { value: 10000, kind: 'plain' as const }],
      ['ERROR_INSUFFICIENT_BUFFER', { value: 122, kind: 'plain' as const }],
    ]);
    assert.deepEqual(evaluateExpression('(APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR|0x203)', symbols), {
      value: 0xe0000203,
      kind: 'plain',
    });
    assert.deepEqual(evaluateExpression('(WSABASEERR + 1001)', symbols), { value: 11001, kind: 'plain' });
    assert.deepEqual(evaluateExpression('HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)', symbols), {
      value: 0x8007007a,
      kind: 'hresult',
    });
    assert.equal(evaluateExpression('UNKNOWN_NAME + 1'), null);
    assert.equal(evaluateExpression('L"a string"'), null);
    assert.equal(evaluateExpression(''), null);
    assert.equal(evaluateExpression('__MINGW_NAME_AW(SetupOpenInfFile)'), null);
  });

  it('implements HRESULT_FROM_WIN32 and HRESULT_FROM_SETUPAPI', () => {
    assert.equal(hresultFromWin32(2), 0x80070002);
    assert.equal(hresultFromWin32(0), 0);
    assert.equal(hresultFromWin32(0x80070005), 0x80070005, 'values that already are HRESULTs pass through');
    assert.equal(hresultFromSetupapi(0xe0000203), 0x800f0203);
    assert.equal(hresultFromSetupapi(0xe0001000), 0x800f1000);
    assert.equal(hresultFromSetupapi(5), 0x80070005, 'plain Win32 errors go through HRESULT_FROM_WIN32');
  });

  it('resolves names defined earlier and records aliases', () => {
    const evaluated = evaluateHeader(snippet);
    const byName = new Map(evaluated.map((e) => [e.name, e]));
    assert.equal(byName.get('WSAEINTR')?.value, 10004);
    assert.equal(byName.has('DNS_ERROR_NO_MEMORY'), false, 'ERROR_OUTOFMEMORY is not defined in the snippet');
    assert.equal(byName.get('NO_ERROR')?.alias, false);
    // E_NOT_SUFFICIENT_BUFFER refers to a name defined after it, so it does not evaluate (as in C).
    assert.equal(byName.has('E_NOT_SUFFICIENT_BUFFER'), false);
  });

  const headers = (text: string): HeaderInput[] => [
    {
      file: 'winnt.h',
      role: 'context',
      text: '#define APPLICATION_ERROR_MASK 0x20000000\n#define ERROR_SEVERITY_ERROR 0xC0000000',
    },
    { file: 'winerror.h', role: 'win32', facilities: true, text },
    { file: 'wuerror.h', role: 'hresult', text: '#define WU_E_NO_SERVICE _HRESULT_TYPEDEF_(0x80240001L)' },
    {
      file: 'setupapi.h',
      role: 'setupapi',
      names: /^ERROR_/,
      text: [
        '#define ERROR_NO_DRIVER_SELECTED (APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR|0x203)',
        '#define ERROR_NO_DEFAULT_INTERFACE_DEVICE ERROR_NO_DRIVER_SELECTED',
        '#define DIF_SELECTDEVICE 0x00000001',
      ].join('\n'),
    },
  ];

  it('builds the four tables from headers and hand-kept extras', () => {
    const extra = parseExtra({
      hresult: [{ code: '0x800F0922', name: 'CBS_E_INSTALLERS_FAILED', source: 'Microsoft Learn' }],
      facilities: [{ number: 208, name: 'FACILITY_DELIVERY_OPTIMIZATION', source: 'Windows SDK' }],
    });
    const t = buildTables(headers(snippet), extra);
    assert.deepEqual(
      [...t.win32.entries()].sort((a, b) => a[0] - b[0]),
      [
        [0, 'ERROR_SUCCESS'],
        [1, 'ERROR_INVALID_FUNCTION'],
        [2, 'ERROR_FILE_NOT_FOUND'],
        [87, 'ERROR_INVALID_PARAMETER'],
        [122, 'ERROR_INSUFFICIENT_BUFFER'],
        [10004, 'WSAEINTR'],
      ],
    );
    assert.equal(t.hresult.get('0x00000000'), 'S_OK', 'generic COM names beat SEC_E_OK');
    assert.equal(t.hresult.get('0x80070057'), 'E_INVALIDARG');
    assert.equal(t.hresult.get('0x80240001'), 'LONG_ONE');
    assert.equal(t.hresult.get('0x800f0922'), 'CBS_E_INSTALLERS_FAILED');
    assert.equal(t.hresult.has('0x80040000'), false, '*_FIRST range markers are left out');
    assert.deepEqual([...t.setupapi.entries()], [['0x800f0203', 'ERROR_NO_DRIVER_SELECTED']]);
    assert.deepEqual(
      [...t.facilities.entries()].sort((a, b) => a[0] - b[0]),
      [
        [7, 'FACILITY_WIN32'],
        [36, 'FACILITY_WINDOWSUPDATE'],
        [208, 'FACILITY_DELIVERY_OPTIMIZATION'],
      ],
    );
  });

  it('renders deterministic JSON with _source first and keys in numeric order', () => {
    // Same defines, other order (only lines that do not depend on each other are moved).
    const lines = snippet.split('\n');
    const independent = lines.filter((l) => /^#define (ERROR_(FILE|INVALID)|FACILITY_|E_INVALIDARG)/.test(l));
    const shuffled = [...lines.filter((l) => !independent.includes(l)), ...independent.reverse()].join('\n');
    const a = buildTables(headers(snippet));
    const b = buildTables(headers(shuffled));
    const render = (t: typeof a) => [
      renderTable('test', t.win32),
      renderTable('test', t.hresult),
      renderTable('test', t.setupapi),
      renderTable('test', t.facilities),
    ];
    assert.deepEqual(render(a), render(buildTables(headers(snippet))), 'same input, same bytes');
    assert.deepEqual(render(a), render(b), 'the order of the defines does not change the output');
    const win32 = render(a)[0] ?? '';
    assert.equal(
      win32,
      '{\n  "_source": "test",\n  "0": "ERROR_SUCCESS",\n  "1": "ERROR_INVALID_FUNCTION",\n' +
        '  "2": "ERROR_FILE_NOT_FOUND",\n  "87": "ERROR_INVALID_PARAMETER",\n' +
        '  "122": "ERROR_INSUFFICIENT_BUFFER",\n  "10004": "WSAEINTR"\n}\n',
    );
  });

  it('rejects malformed hand-kept entries', () => {
    assert.throws(() => parseExtra({ hresult: [{ code: '800F0922', name: 'X', source: 's' }] }), /code/);
    assert.throws(() => parseExtra({ hresult: [{ code: '0x800f0922', name: 'X', source: '' }] }), /source/);
    assert.throws(() => parseExtra({ facilities: [{ number: 208, name: 'DO', source: 's' }] }), /name/);
  });
});
