import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  decodeHresult,
  describeUnknown,
  FACILITY,
  facilityMeaning,
  facilityName,
  InvalidHresultError,
  parseHresult,
} from '../../rules/hresult/decode';
import { LOCALES } from '../../rules/vocabulary';
import { generate } from '../../scripts/gen-hresult';
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

const DATA_DIR = path.join(__dirname, '..', '..', 'rules', 'hresult', 'data');
const MINGW_INCLUDE = '/usr/share/mingw-w64/include';

function readData(name: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(DATA_DIR, name), 'utf8')) as Record<string, string>;
}

describe('hresult decode', () => {
  describe('FACILITY_WIN32 (7)', () => {
    it('0x80070002 is ERROR_FILE_NOT_FOUND in facility WIN32', () => {
      const d = decodeHresult('0x80070002');
      assert.equal(d.code, '0x80070002');
      assert.equal(d.severity, 'failure');
      assert.equal(d.customer, false);
      assert.deepEqual(d.facility, { number: 7, name: 'WIN32' });
      assert.equal(d.codeNumber, 2);
      assert.equal(d.name, 'ERROR_FILE_NOT_FOUND');
      assert.equal(d.nameSource, 'win32');
    });

    it('0x80070003 is ERROR_PATH_NOT_FOUND', () => {
      assert.equal(decodeHresult('0x80070003').name, 'ERROR_PATH_NOT_FOUND');
    });

    it('0x80070103 is ERROR_NO_MORE_ITEMS (Win32 error 259)', () => {
      const d = decodeHresult('0x80070103');
      assert.equal(d.codeNumber, 259);
      assert.equal(d.name, 'ERROR_NO_MORE_ITEMS');
    });

    it('0x8007000d is ERROR_INVALID_DATA', () => {
      assert.equal(decodeHresult('0x8007000d').name, 'ERROR_INVALID_DATA');
    });

    // winerror.h names 0x80070057 twice: E_INVALIDARG (the COM name) and, through
    // HRESULT_FROM_WIN32(87), ERROR_INVALID_PARAMETER. In facility WIN32 the code *is* Win32 error 87,
    // and Microsoft's Windows Update servicing docs (KB 947821, "Fix Windows Update corruptions and
    // installation failures") list it as ERROR_INVALID_PARAMETER, so that is the name; the COM
    // name stays reachable as an alias for matching logs that print E_INVALIDARG.
    it('0x80070057 is ERROR_INVALID_PARAMETER, with E_INVALIDARG as an alias', () => {
      const d = decodeHresult('0x80070057');
      assert.equal(d.name, 'ERROR_INVALID_PARAMETER');
      assert.equal(d.codeNumber, 87);
      assert.deepEqual(d.aliases, ['E_INVALIDARG']);
    });

    it('decodes WinINet errors wrapped in facility 7 (0x80072ee2 ERROR_INTERNET_TIMEOUT)', () => {
      assert.equal(decodeHresult('0x80072ee2').name, 'ERROR_INTERNET_TIMEOUT');
    });
  });

  describe('FACILITY_WINDOWSUPDATE (36)', () => {
    it('0x80240001 is WU_E_NO_SERVICE', () => {
      const d = decodeHresult('0x80240001');
      assert.deepEqual(d.facility, { number: 36, name: 'WINDOWSUPDATE' });
      assert.equal(d.name, 'WU_E_NO_SERVICE');
      assert.equal(d.nameSource, 'hresult');
    });
  });

  describe('FACILITY_SETUPAPI (15): SetupAPI and component-based servicing', () => {
    it('0x800f0922 is CBS_E_INSTALLERS_FAILED', () => {
      const d = decodeHresult('0x800f0922');
      assert.deepEqual(d.facility, { number: 15, name: 'SETUPAPI' });
      assert.equal(d.name, 'CBS_E_INSTALLERS_FAILED');
    });

    it('0x800f0831 is CBS_E_STORE_CORRUPTION', () => {
      assert.equal(decodeHresult('0x800f0831').name, 'CBS_E_STORE_CORRUPTION');
    });

    it('0x800f081f is CBS_E_SOURCE_MISSING', () => {
      assert.equal(decodeHresult('0X800F081F').name, 'CBS_E_SOURCE_MISSING');
    });

    it('0x800f0203 is the SetupAPI error ERROR_NO_DRIVER_SELECTED (SPAPI_E_ form as alias)', () => {
      const d = decodeHresult('0x800f0203');
      assert.equal(d.name, 'ERROR_NO_DRIVER_SELECTED');
      assert.equal(d.nameSource, 'setupapi');
      assert.deepEqual(d.aliases, ['SPAPI_E_NO_DRIVER_SELECTED']);
    });

    it('a raw SetupAPI error number (0xe0000203) maps through HRESULT_FROM_SETUPAPI', () => {
      const d = decodeHresult('0xe0000203');
      assert.equal(d.name, 'ERROR_NO_DRIVER_SELECTED');
      assert.equal(d.customer, true);
      assert.match(describeUnknown(d, 'en'), /from SetupAPI:/);
    });

    it('an unnamed servicing code still decodes to facility SETUPAPI', () => {
      const d = decodeHresult('0x800f0bad');
      assert.equal(d.name, null);
      assert.equal(d.facility.name, 'SETUPAPI');
      assert.equal(d.codeNumber, 0x0bad);
    });
  });

  describe('unknown and success codes', () => {
    it('an unknown code in an unknown facility still has severity, facility number and code', () => {
      const d = decodeHresult('0x8badf00d');
      assert.equal(d.severity, 'failure');
      assert.equal(d.customer, false);
      assert.deepEqual(d.facility, { number: 0xbad, name: 'UNKNOWN_2989' });
      assert.equal(d.codeNumber, 0xf00d);
      assert.equal(d.name, null);
      assert.equal(d.nameSource, null);
    });

    it('0x00000000 is the success code S_OK in facility NULL', () => {
      const d = decodeHresult('0x00000000');
      assert.equal(d.severity, 'success');
      assert.deepEqual(d.facility, { number: 0, name: 'NULL' });
      assert.equal(d.name, 'S_OK');
    });

    it('a success code with a facility (WU_S_REBOOT_REQUIRED)', () => {
      const d = decodeHresult('0x00240005');
      assert.equal(d.severity, 'success');
      assert.equal(d.facility.name, 'WINDOWSUPDATE');
      assert.equal(d.name, 'WU_S_REBOOT_REQUIRED');
    });

    it('does not map customer-defined codes to Win32 names', () => {
      const d = decodeHresult('0xa0070002');
      assert.equal(d.customer, true);
      assert.equal(d.name, null);
      assert.match(describeUnknown(d, 'en'), /customer bit/);
    });

    it('knows facilities the mingw headers lack (DELIVERY_OPTIMIZATION = 208)', () => {
      const d = decodeHresult('0x80d02002');
      assert.deepEqual(d.facility, { number: 208, name: 'DELIVERY_OPTIMIZATION' });
      assert.equal(facilityName(FACILITY.DELIVERY_OPTIMIZATION), 'DELIVERY_OPTIMIZATION');
    });
  });

  describe('input forms', () => {
    it('accepts hex with or without 0x, signed and unsigned numbers, and decimal strings', () => {
      for (const input of ['0x80070002', '80070002', '0X80070002', ' 0x80070002 ', -2147024894, 0x80070002]) {
        assert.equal(decodeHresult(input).code, '0x80070002', String(input));
      }
      assert.equal(parseHresult('-2147024894'), 0x80070002);
      assert.equal(parseHresult('2147942402'), 0x80070002);
      assert.equal(decodeHresult(0).code, '0x00000000');
    });

    it('rejects what is not a 32-bit code', () => {
      for (const input of ['', 'hello', '0x', '0x1234567890', '+-1', 1.5, 2 ** 32, -(2 ** 31) - 1]) {
        assert.throws(() => decodeHresult(input), InvalidHresultError, String(input));
      }
    });
  });

  describe('localized text', () => {
    const facilities = [0, 1, 2, 3, 4, 7, 8, 9, 11, 15, 36, 208];

    it('facilityMeaning gives distinct, non-empty text in ja, en and ru', () => {
      for (const f of facilities) {
        const texts = LOCALES.map((l) => facilityMeaning(f, l));
        for (const t of texts) assert.ok(t.trim().length > 10, `facility ${f}: ${t}`);
        assert.equal(new Set(texts).size, 3, `facility ${f}`);
      }
      assert.match(facilityMeaning(15, 'en'), /component-based servicing/i);
      assert.match(facilityMeaning(15, 'ja'), /CBS/);
      assert.match(facilityMeaning(15, 'ru'), /CBS/);
      assert.match(facilityMeaning(36, 'en'), /Windows Update/);
    });

    it('each described facility has its own text', () => {
      const en = facilities.map((f) => facilityMeaning(f, 'en'));
      assert.equal(new Set(en).size, facilities.length);
    });

    it('falls back to a sentence naming the facility', () => {
      assert.match(facilityMeaning(23, 'en'), /SXS \(23\)/);
      assert.match(facilityMeaning(23, 'ja'), /SXS（23）/);
      assert.match(facilityMeaning(23, 'ru'), /SXS \(23\)/);
      assert.match(facilityMeaning(2989, 'en'), /2989/);
    });

    it('describeUnknown names the code, the Win32 number and the facility in each locale', () => {
      const d = decodeHresult('0x80070103');
      assert.match(
        describeUnknown(d, 'en'),
        /^ERROR_NO_MORE_ITEMS \(Win32 error 259, 0x80070103\) is a failure code/,
      );
      assert.match(describeUnknown(d, 'ja'), /^ERROR_NO_MORE_ITEMS（Win32 エラー 259、0x80070103）/);
      assert.match(describeUnknown(d, 'ru'), /^ERROR_NO_MORE_ITEMS \(ошибка Win32 259, 0x80070103\)/);
      const unknown = decodeHresult('0x8badf00d');
      for (const l of LOCALES) {
        assert.match(describeUnknown(unknown, l), /0x8badf00d.*2989/);
        assert.doesNotMatch(describeUnknown(unknown, l), /UNKNOWN_/, 'no internal id in the text');
      }
    });
  });
});

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

describe('hresult data files (committed)', () => {
  const files = ['win32.json', 'hresult.json', 'setupapi.json', 'facilities.json'];

  it('are non-trivial and name their source', () => {
    const minimum: Record<string, number> = {
      'win32.json': 2000,
      'hresult.json': 1500,
      'setupapi.json': 50,
      'facilities.json': 30,
    };
    for (const f of files) {
      const data = readData(f);
      const entries = Object.keys(data).filter((k) => k !== '_source');
      assert.ok(entries.length > (minimum[f] ?? 0), `${f}: ${entries.length} entries`);
      assert.match(data._source ?? '', /mingw-w64-common \S+ \(.*\.h/, f);
    }
  });

  it('use normalized keys and symbolic names', () => {
    for (const f of files) {
      const raw = readFileSync(path.join(DATA_DIR, f), 'utf8');
      assert.match(raw, /^\{\n {2}"_source": /, `${f}: _source comes first`);
      const data = readData(f);
      const keys = Object.keys(data).filter((k) => k !== '_source');
      const hex = f === 'hresult.json' || f === 'setupapi.json';
      for (const k of keys) assert.match(k, hex ? /^0x[0-9a-f]{8}$/ : /^\d+$/, `${f}: ${k}`);
      // C identifiers, upper case by convention (a few real ones are not: ERROR_ITERATED_DATA_EXCEEDS_64k).
      for (const k of keys) assert.match(data[k] ?? '', /^[A-Z][A-Za-z0-9_]*$/, `${f}: ${k}`);
    }
    assert.ok(Object.keys(readData('setupapi.json')).every((k) => k === '_source' || k.startsWith('0x800f')));
    const facilities = Object.entries(readData('facilities.json')).filter(([k]) => k !== '_source');
    assert.ok(facilities.every(([, v]) => v.startsWith('FACILITY_')));
  });

  it('match what the generator produces from the installed headers', function () {
    if (!existsSync(path.join(MINGW_INCLUDE, 'winerror.h'))) {
      this.skip();
    }
    for (const file of generate(MINGW_INCLUDE)) {
      const committed = readData(file.name);
      const fresh = JSON.parse(file.text) as Record<string, string>;
      delete committed._source;
      delete fresh._source;
      assert.deepEqual(fresh, committed, `${file.name} is stale: run npm run gen:hresult`);
    }
  });
});
