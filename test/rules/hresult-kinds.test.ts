import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { codeKind, decodeHresult, describeUnknown, FACILITY_NT_BIT } from '../../rules/hresult/decode';
import { LOCALES } from '../../rules/vocabulary';
import { buildTables, type HeaderInput } from '../../scripts/hresult-header-parser';

const DATA_DIR = path.join(__dirname, '..', '..', 'rules', 'hresult', 'data');
const readData = (name: string) =>
  JSON.parse(readFileSync(path.join(DATA_DIR, name), 'utf8')) as Record<string, string>;

describe('hresult decode: NTSTATUS', () => {
  it('0xC0000005 is STATUS_ACCESS_VIOLATION, an NTSTATUS in facility 0, not a COM failure', () => {
    const d = decodeHresult('0xC0000005');
    assert.equal(d.kind, 'ntstatus');
    assert.equal(d.name, 'STATUS_ACCESS_VIOLATION');
    assert.equal(d.nameSource, 'ntstatus');
    assert.deepEqual(d.facility, { number: 0, name: 'NTSTATUS' });
    assert.equal(d.ntstatus, '0xc0000005');
    assert.equal(d.severity, 'failure');
    for (const l of LOCALES) {
      const text = describeUnknown(d, l);
      assert.match(text, /STATUS_ACCESS_VIOLATION/);
      assert.match(text, /NTSTATUS/);
      assert.doesNotMatch(text, /COM|E_FAIL/, `${l}: ${text}`);
    }
  });

  it('0xC0000142 is STATUS_DLL_INIT_FAILED and 0xC000007B STATUS_INVALID_IMAGE_FORMAT', () => {
    const dll = decodeHresult('0xc0000142');
    assert.equal(dll.kind, 'ntstatus');
    assert.equal(dll.name, 'STATUS_DLL_INIT_FAILED');
    assert.equal(dll.facility.name, 'NTSTATUS');
    assert.equal(decodeHresult('0xC000007B').name, 'STATUS_INVALID_IMAGE_FORMAT');
  });

  it('an unnamed 0xC000xxxx value is still an NTSTATUS (facility 0)', () => {
    const d = decodeHresult('0xc000fff0');
    assert.equal(d.kind, 'ntstatus');
    assert.equal(d.name, null);
    assert.equal(d.facility.name, 'NTSTATUS');
  });

  it('names NTSTATUS facilities from ntstatus.h (0xC019xxxx TRANSACTION)', () => {
    const code = Object.entries(readData('ntstatus.json')).find(([k]) => k.startsWith('0xc019'));
    assert.ok(code, 'ntstatus.h has transaction codes');
    const d = decodeHresult(code[0]);
    assert.equal(d.kind, 'ntstatus');
    assert.deepEqual(d.facility, { number: 0x19, name: 'TRANSACTION' });
    assert.equal(d.name, code[1]);
  });

  it('HRESULT_FROM_NT (bit 28) unwraps to the NTSTATUS name', () => {
    const d = decodeHresult('0xD0000005');
    assert.equal(d.kind, 'hresult-from-nt');
    assert.equal(d.name, 'STATUS_ACCESS_VIOLATION');
    assert.equal(d.ntstatus, '0xc0000005');
    assert.equal((d.value & FACILITY_NT_BIT) !== 0, true);
    assert.match(describeUnknown(d, 'en'), /HRESULT_FROM_NT/);
    assert.match(describeUnknown(d, 'en'), /0xc0000005/);
  });

  it('0xC… values the HRESULT tables name stay HRESULTs (DISMAPI_E_*, ERROR_AUDITING_DISABLED)', () => {
    const dism = decodeHresult('0xc0040001');
    assert.equal(dism.kind, 'hresult');
    assert.equal(dism.name, 'DISMAPI_E_DISMAPI_NOT_INITIALIZED');
    assert.equal(decodeHresult('0xc0090001').name, 'ERROR_AUDITING_DISABLED');
  });

  it('every 0xC… name in ntstatus.json decodes as an NTSTATUS unless an HRESULT owns the value', () => {
    const hresult = readData('hresult.json');
    for (const [k, name] of Object.entries(readData('ntstatus.json'))) {
      if (!k.startsWith('0xc') || hresult[k]) continue;
      const d = decodeHresult(k);
      assert.equal(d.kind, 'ntstatus', k);
      assert.equal(d.name, name, k);
    }
  });

  it('0x8… and 0x0… values are never read as NTSTATUS, even where ntstatus.h has a warning there', () => {
    // 0x80000002 is STATUS_DATATYPE_MISALIGNMENT in ntstatus.h; as an HRESULT it is not that.
    assert.equal(readData('ntstatus.json')['0x80000002'], 'STATUS_DATATYPE_MISALIGNMENT');
    for (const code of ['0x80000002', '0x80070005', '0x00000002', '0x40000000']) {
      assert.equal(codeKind(Number.parseInt(code, 16)), 'hresult', code);
      assert.doesNotMatch(decodeHresult(code).name ?? '', /^STATUS_/, code);
    }
  });
});

describe('hresult decode: STATUS_WAIT_n and ERROR_INVALID_PARAMETER', () => {
  it('0x80070002 is ERROR_FILE_NOT_FOUND and no STATUS_WAIT_n appears as its name or alias', () => {
    const d = decodeHresult('0x80070002');
    assert.equal(d.name, 'ERROR_FILE_NOT_FOUND');
    for (const n of [d.name, ...d.aliases]) assert.doesNotMatch(n ?? '', /WAIT/i);
    assert.equal(decodeHresult('0x80070003').name, 'ERROR_PATH_NOT_FOUND');
  });

  it('no decoded table maps a value to STATUS_WAIT_n or other NTSTATUS success names', () => {
    const nt = readData('ntstatus.json');
    const names = Object.values(nt);
    assert.ok(!names.some((n) => /^STATUS_(WAIT|ABANDONED_WAIT)_\d+$/.test(n)));
    for (const k of Object.keys(nt).filter((k) => k !== '_source')) {
      assert.notEqual(Number.parseInt(k, 16) >>> 30, 0, `${k} is a success NTSTATUS`);
    }
    // The small values ntstatus.h gives STATUS_WAIT_n decode as HRESULT success codes (S_OK, S_FALSE …).
    for (let v = 0; v <= 3; v++) assert.doesNotMatch(decodeHresult(v).name ?? '', /STATUS_WAIT/);
    // HRESULT_FROM_NT(STATUS_WAIT_2) would be 0x10000002: it must not decode to STATUS_WAIT_2 either.
    assert.equal(decodeHresult('0x10000002').name, null);
  });

  it('the generator drops NTSTATUS success values from a header', () => {
    const headers: HeaderInput[] = [
      {
        file: 'ntstatus.h',
        role: 'ntstatus',
        facilities: true,
        text: [
          '#define FACILITY_DEBUGGER 0x1',
          '#define STATUS_WAIT_2 ((NTSTATUS)0x00000002)',
          '#define STATUS_PENDING ((NTSTATUS)0x00000103)',
          '#define STATUS_GUARD_PAGE_VIOLATION ((NTSTATUS)0x80000001)',
          '#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005)',
        ].join('\n'),
      },
    ];
    const t = buildTables(headers);
    assert.deepEqual(
      [...t.ntstatus.entries()],
      [
        ['0x80000001', 'STATUS_GUARD_PAGE_VIOLATION'],
        ['0xc0000005', 'STATUS_ACCESS_VIOLATION'],
      ],
    );
    assert.deepEqual([...t.ntstatusFacilities.entries()], [[1, 'FACILITY_DEBUGGER']]);
    assert.equal(t.facilities.size, 0, 'ntstatus.h facilities are a separate numbering');
  });

  it('0x80070057 is ERROR_INVALID_PARAMETER (Win32 first), E_INVALIDARG an alias', () => {
    const d = decodeHresult('0x80070057');
    assert.equal(d.kind, 'hresult');
    assert.equal(d.name, 'ERROR_INVALID_PARAMETER');
    assert.deepEqual(d.aliases, ['E_INVALIDARG']);
  });
});

describe('hresult decode: names the Windows SDK has and mingw-w64 lacks', () => {
  const cases: [string, string][] = [
    ['0x80071a91', 'ERROR_RM_NOT_ACTIVE'],
    ['0x80200053', 'BG_E_VALIDATION_FAILED'],
    ['0x8000000b', 'E_BOUNDS'],
    ['0x800f0900', 'CBS_E_XML_PARSER_FAILURE'],
  ];
  for (const [code, name] of cases) {
    it(`${code} is ${name}`, () => assert.equal(decodeHresult(code).name, name));
  }

  it('each hand-kept entry names its source', () => {
    const extra = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', 'scripts', 'hresult-extra.json'), 'utf8'),
    ) as { hresult: { name: string; source: string }[]; win32: { name: string; source: string }[] };
    const all = [...extra.hresult, ...extra.win32];
    for (const [, name] of cases)
      assert.ok(
        all.some((e) => e.name === name),
        name,
      );
    for (const e of all) assert.match(e.source, /https:\/\//, e.name);
  });
});
