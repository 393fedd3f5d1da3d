/**
 * The HRESULT tables committed in rules/hresult/data: their size and sources, their key and name forms, and
 * that they match what the generator makes from the installed headers.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../scripts/gen-hresult';

const DATA_DIR = path.join(__dirname, '..', '..', 'rules', 'hresult', 'data');
const MINGW_INCLUDE = '/usr/share/mingw-w64/include';

function readData(name: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(DATA_DIR, name), 'utf8')) as Record<string, string>;
}

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
