/**
 * Decoding HRESULTs: severity, facility and the symbolic name of a code, the input forms accepted, and the
 * localized text about facilities and unknown codes.
 */
import assert from 'node:assert/strict';
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
