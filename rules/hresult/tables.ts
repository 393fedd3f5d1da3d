/**
 * The generated name tables (rules/hresult/data/*.json, from scripts/gen-hresult.ts), loaded once on
 * first use, and the facility names derived from them.
 */

type Table = Readonly<Record<string, string>>;

export interface Tables {
  /** Win32 error number → ERROR_* name. */
  win32: Table;
  /** "0x…" → HRESULT name. */
  hresult: Table;
  /** "0x800f…" → SetupAPI ERROR_* name. */
  setupapi: Table;
  /** HRESULT facility number → FACILITY_* name. */
  facilities: Table;
  /** "0x…" → NTSTATUS name (informational, warning and error values only; never STATUS_WAIT_n). */
  ntstatus: Table;
  /** NTSTATUS facility number (bits 16–27) → FACILITY_* name from ntstatus.h. */
  ntstatusFacilities: Table;
}

let tables: Tables | null = null;

export function data(): Tables {
  if (!tables) {
    // require keeps TypeScript from typing thousands of JSON keys and defers the load to first use.
    tables = {
      win32: require('./data/win32.json') as Table,
      hresult: require('./data/hresult.json') as Table,
      setupapi: require('./data/setupapi.json') as Table,
      facilities: require('./data/facilities.json') as Table,
      ntstatus: require('./data/ntstatus.json') as Table,
      ntstatusFacilities: require('./data/ntstatus-facilities.json') as Table,
    };
  }
  return tables;
}

export function lookup(table: Table, key: string): string | null {
  return Object.hasOwn(table, key) && key !== '_source' ? (table[key] ?? null) : null;
}

export function formatHresult(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** HRESULT facility name without the FACILITY_ prefix, or UNKNOWN_<n>. */
export function facilityName(facilityNumber: number): string {
  const name = lookup(data().facilities, String(facilityNumber));
  return name ? name.replace(/^FACILITY_/, '') : `UNKNOWN_${facilityNumber}`;
}

/** Name given to NTSTATUS facility 0, the core status codes (STATUS_ACCESS_VIOLATION …). */
export const NTSTATUS_CORE_FACILITY = 'NTSTATUS';

/**
 * NTSTATUS facility name without the FACILITY_ prefix and the _ERROR_CODE suffix ntstatus.h uses
 * (FACILITY_USB_ERROR_CODE → USB); facility 0 is NTSTATUS; others UNKNOWN_<n>.
 */
export function ntstatusFacilityName(facilityNumber: number): string {
  if (facilityNumber === 0) return NTSTATUS_CORE_FACILITY;
  const name = lookup(data().ntstatusFacilities, String(facilityNumber));
  return name ? name.replace(/^FACILITY_/, '').replace(/_ERROR_CODE$/, '') : `UNKNOWN_${facilityNumber}`;
}

/** HRESULT facility numbers the decoder and the facility texts refer to. */
export const FACILITY = {
  NULL: 0,
  RPC: 1,
  DISPATCH: 2,
  STORAGE: 3,
  ITF: 4,
  WIN32: 7,
  WINDOWS: 8,
  SECURITY: 9,
  CERT: 11,
  INTERNET: 12,
  SETUPAPI: 15,
  BACKGROUNDCOPY: 32,
  WINDOWSUPDATE: 36,
  WINDOWS_STORE: 63,
  DELIVERY_OPTIMIZATION: 208,
} as const;
