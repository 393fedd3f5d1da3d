/**
 * Decodes any error code people paste, known to the knowledge base or not: which numbering it is in
 * (HRESULT, NTSTATUS, an NTSTATUS wrapped as an HRESULT, or a Windows Setup result), severity,
 * customer bit, facility, code and symbolic name. Localized sentences live in describe.ts.
 *
 * Name tables are generated from public headers by scripts/gen-hresult.ts (rules/hresult/data/*.json);
 * Windows Setup results are kept by hand in setup-results.json (setup.ts).
 *
 * Which numbering a value is read in:
 * - 0xC190xxxx: a Windows Setup result (MOSETUP_E_*), facility SETUP (0x190). No SDK header names
 *   this facility; Microsoft's upgrade-error pages list the codes.
 * - bit 28 set (FACILITY_NT_BIT), customer bit clear, and either 0xD……… or the value without bit 28
 *   is a named NTSTATUS: HRESULT_FROM_NT of that NTSTATUS (0xD0000005 wraps 0xC0000005).
 * - 0xC……… (severity bits 11, customer and bit 28 clear): an HRESULT only if the HRESULT tables have
 *   that exact value (DISMAPI_E_* 0xC004xxxx, ERROR_AUDITING_DISABLED 0xC0090001); otherwise NTSTATUS
 *   when ntstatus.h names the value, when its facility (bits 16–27) is 0 (0xC000xxxx, the core NT
 *   codes) or when ntstatus.h names that facility. Anything else stays an HRESULT.
 * - every other value (0x8………, 0x0………, …) is an HRESULT, so NTSTATUS success values such as
 *   STATUS_WAIT_2 = 2 never name 0x80070002 (the NTSTATUS table keeps no success values at all).
 *
 * Which name wins when an HRESULT has several:
 * - FACILITY_WIN32 (7): the Win32 name of the low 16 bits (0x80070057 → ERROR_INVALID_PARAMETER), with
 *   the COM name from winerror.h (E_INVALIDARG) as an alias. The Win32 error is what the code wraps,
 *   and Microsoft's Windows Update servicing documentation uses the Win32 names (KB 947821 lists
 *   0x80070057 as ERROR_INVALID_PARAMETER).
 * - FACILITY_SETUPAPI (15): likewise the SetupAPI ERROR_* name first (0x800F0203 →
 *   ERROR_NO_DRIVER_SELECTED, alias SPAPI_E_NO_DRIVER_SELECTED); codes SetupAPI does not define
 *   (CBS_E_*, PSFX_E_*, DISMAPI_E_*) come from the HRESULT table.
 * - every other facility: the exact HRESULT table (WU_E_*, BG_E_*, E_*, …).
 */
import { InvalidHresultError } from '../errors';
import { isSetupResult, SETUP_FACILITY_NAME, SETUP_FACILITY_NUMBER, setupResultName } from './setup';
import { data, FACILITY, facilityName, formatHresult, lookup, ntstatusFacilityName } from './tables';

export { describeUnknown } from './describe';
export { facilityMeaning } from './facility-phrases';
export {
  describeSetupResult,
  isSetupResult,
  SETUP_CATEGORIES,
  type SetupCategory,
  type SetupResultDescription,
} from './setup';
export { FACILITY, facilityName, formatHresult, InvalidHresultError };

/**
 * - `hresult`: an HRESULT (facility bits 16–28);
 * - `ntstatus`: an NTSTATUS (0xC0000005 STATUS_ACCESS_VIOLATION …; facility bits 16–27);
 * - `hresult-from-nt`: an NTSTATUS wrapped by HRESULT_FROM_NT (bit 28 set, 0xD0000005);
 * - `setup`: a Windows Setup result code (0xC190xxxx, MOSETUP_E_*).
 */
export type CodeKind = 'hresult' | 'ntstatus' | 'hresult-from-nt' | 'setup';

export interface DecodedHresult {
  /** Lowercase "0x" + 8 hex digits. */
  code: string;
  /** The code as an unsigned 32-bit number. */
  value: number;
  /** Which numbering the value was read in (see the module comment for the rule). */
  kind: CodeKind;
  severity: 'failure' | 'success';
  /** The customer bit (0x20000000): the code is defined by a vendor or application, not by Windows. */
  customer: boolean;
  /**
   * Facility number and its name without the FACILITY_ prefix. HRESULT: bits 16–28 (HRESULT_FACILITY);
   * NTSTATUS (also when wrapped): bits 16–27 of the NTSTATUS, named from ntstatus.h, 0 = NTSTATUS;
   * Windows Setup: 0x190 = SETUP.
   */
  facility: { number: number; name: string };
  /** The low 16 bits (for FACILITY_WIN32, the Win32 error number). */
  codeNumber: number;
  name: string | null;
  /** Which table `name` came from. */
  nameSource: 'win32' | 'setupapi' | 'hresult' | 'ntstatus' | 'setup' | null;
  /** Other names for the same code (e.g. E_INVALIDARG for 0x80070057). */
  aliases: string[];
  /** For `ntstatus` and `hresult-from-nt`: the NTSTATUS value ("0xc0000005"); otherwise null. */
  ntstatus: string | null;
}

/** FACILITY_NT_BIT (winerror.h): HRESULT_FROM_NT sets it on an NTSTATUS. */
export const FACILITY_NT_BIT = 0x10000000;
const CUSTOMER_BIT = 0x20000000;

/**
 * Unsigned 32-bit value of a code. Strings: hex with or without 0x ("0x80070002", "80070002"), or
 * decimal when signed or longer than 8 digits ("-2147024894", "2147942402"). Numbers: any integer
 * in the signed or unsigned 32-bit range.
 */
export function parseHresult(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < -0x80000000 || input > 0xffffffff) {
      throw new InvalidHresultError(`not a 32-bit code: ${input}`);
    }
    return input >>> 0;
  }
  const s = input.trim();
  let value: number;
  if (/^0x[0-9a-f]{1,8}$/i.test(s)) value = Number.parseInt(s.slice(2), 16);
  else if (/^[0-9a-f]{1,8}$/i.test(s)) value = Number.parseInt(s, 16);
  else if (/^[-+]?\d{1,10}$/.test(s)) value = Number.parseInt(s, 10);
  else throw new InvalidHresultError(`not a 32-bit code: ${JSON.stringify(input)}`);
  return parseHresult(value);
}

/** The numbering a value is read in; see the module comment. */
export function codeKind(value: number): CodeKind {
  const v = value >>> 0;
  if (isSetupResult(v)) return 'setup';
  const t = data();
  if ((v & CUSTOMER_BIT) !== 0) return 'hresult';
  if ((v & FACILITY_NT_BIT) !== 0) {
    const inner = formatHresult((v & ~FACILITY_NT_BIT) >>> 0);
    return v >>> 28 === 0xd || lookup(t.ntstatus, inner) ? 'hresult-from-nt' : 'hresult';
  }
  if (v >>> 28 !== 0xc) return 'hresult';
  const code = formatHresult(v);
  if (lookup(t.hresult, code)) return 'hresult';
  const ntFacility = (v >>> 16) & 0xfff;
  if (lookup(t.ntstatus, code) || ntFacility === 0 || lookup(t.ntstatusFacilities, String(ntFacility))) {
    return 'ntstatus';
  }
  return 'hresult';
}

type NameSource = NonNullable<DecodedHresult['nameSource']>;

function hresultNames(value: number, code: string): { name: string; source: NameSource }[] {
  const t = data();
  const facilityNumber = (value >>> 16) & 0x1fff;
  const codeNumber = value & 0xffff;
  const failure = value >>> 31 === 1;
  const customer = (value & CUSTOMER_BIT) !== 0;
  const names: { name: string; source: NameSource }[] = [];
  const add = (name: string | null, source: NameSource) => {
    if (name && !names.some((n) => n.name === name)) names.push({ name, source });
  };
  if (failure && !customer && facilityNumber === FACILITY.WIN32) {
    add(lookup(t.win32, String(codeNumber)), 'win32');
  }
  if (failure && !customer && facilityNumber === FACILITY.SETUPAPI) {
    add(lookup(t.setupapi, code), 'setupapi');
  }
  // A raw SetupAPI error number (APPLICATION_ERROR_MASK | ERROR_SEVERITY_ERROR | n, e.g. 0xE0000203)
  // is what GetLastError returns; HRESULT_FROM_SETUPAPI turns it into 0x800F0000 | n.
  if ((value & 0xffff0000) >>> 0 === 0xe0000000) {
    add(lookup(t.setupapi, formatHresult(0x800f0000 | codeNumber)), 'setupapi');
  }
  add(lookup(t.hresult, code), 'hresult');
  return names;
}

export function decodeHresult(input: string | number): DecodedHresult {
  const value = parseHresult(input);
  const code = formatHresult(value);
  const kind = codeKind(value);
  const base = {
    code,
    value,
    kind,
    severity: value >>> 31 === 1 ? ('failure' as const) : ('success' as const),
    customer: (value & CUSTOMER_BIT) !== 0,
    codeNumber: value & 0xffff,
  };
  if (kind === 'setup') {
    const name = setupResultName(value);
    return {
      ...base,
      facility: { number: SETUP_FACILITY_NUMBER, name: SETUP_FACILITY_NAME },
      name,
      nameSource: name ? 'setup' : null,
      aliases: [],
      ntstatus: null,
    };
  }
  if (kind === 'ntstatus' || kind === 'hresult-from-nt') {
    const status = (value & ~FACILITY_NT_BIT) >>> 0;
    const ntFacility = (status >>> 16) & 0xfff;
    const name = lookup(data().ntstatus, formatHresult(status));
    return {
      ...base,
      facility: { number: ntFacility, name: ntstatusFacilityName(ntFacility) },
      name,
      nameSource: name ? 'ntstatus' : null,
      aliases: [],
      ntstatus: formatHresult(status),
    };
  }
  const facilityNumber = (value >>> 16) & 0x1fff;
  const [first, ...rest] = hresultNames(value, code);
  return {
    ...base,
    facility: { number: facilityNumber, name: facilityName(facilityNumber) },
    name: first?.name ?? null,
    nameSource: first?.source ?? null,
    aliases: rest.map((n) => n.name),
    ntstatus: null,
  };
}
