/**
 * The name tables built from the headers' evaluated `#define`s, in header order, plus the hand-kept
 * entries: which header contributes to which table, and which name wins when two share a value.
 */
import {
  formatHresult,
  hresultFromSetupapi,
  isNtstatusReportable,
  SETUPAPI_ERROR_BITS,
  u32,
} from './hresult-codes';
import { evaluateHeader, type SymbolTable } from './hresult-expression';
import type { ExtraData } from './hresult-hand-kept';

/**
 * What a header contributes:
 * - `context`: only defines names for later headers (winnt.h's APPLICATION_ERROR_MASK …);
 * - `win32`: plain values 0…0xFFFF are Win32 error numbers; HRESULT-typed or 32-bit values are HRESULTs;
 * - `hresult`: HRESULT-typed or 32-bit values are HRESULTs (small plain numbers are ignored);
 * - `setupapi`: values carrying APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR are SetupAPI errors;
 * - `ntstatus`: NTSTATUS values (ntstatus.h). Only informational, warning and error values
 *   (severity bits 30–31 not both 0) are kept: the success values are small numbers
 *   (STATUS_WAIT_2 = 2, STATUS_PENDING = 0x103 …) that must never name an HRESULT or a Win32 error.
 * `winerror.h` is also where the FACILITY_* numbers are read from (`facilities: true`); on an
 * `ntstatus` header the same flag reads ntstatus.h's own FACILITY_* numbers, which are a separate
 * numbering (bits 16–27 of an NTSTATUS).
 */
export type HeaderRole = 'context' | 'win32' | 'hresult' | 'setupapi' | 'ntstatus';

export interface HeaderInput {
  file: string;
  text: string;
  role: HeaderRole;
  /** Only names matching this pattern are taken into the tables (all names still resolve). */
  names?: RegExp;
  /** Read FACILITY_* defines from this header. */
  facilities?: boolean;
}

export interface Tables {
  /** Win32 error number → name. */
  win32: Map<number, string>;
  /** "0x…" (lowercase, 8 digits) → name. */
  hresult: Map<string, string>;
  /** "0x800f…" → SetupAPI ERROR_* name. */
  setupapi: Map<string, string>;
  /** Facility number → FACILITY_* name. */
  facilities: Map<number, string>;
  /** "0x…" → NTSTATUS name (STATUS_*, DBG_*, RPC_NT_* …), informational/warning/error values only. */
  ntstatus: Map<string, string>;
  /** NTSTATUS facility number (bits 16–27) → FACILITY_* name from ntstatus.h. */
  ntstatusFacilities: Map<number, string>;
}

/** Names that mark ranges or are not error codes: *_FIRST, *_LAST, *_BASE, *_MASK, guards, … */
export function isTableName(name: string): boolean {
  if (name.startsWith('_')) return false;
  if (/^(FACILITY|SEVERITY)_/.test(name)) return false;
  if (/_(FIRST|LAST|BASE|MASK)$/.test(name) || /BASEERR$/.test(name)) return false;
  return true;
}

/**
 * When two names share a value the first one in header order wins, except that the generic COM
 * names (S_OK, E_FAIL, E_ACCESSDENIED, …) beat subsystem-prefixed ones: 0x00000000 is S_OK rather
 * than SEC_E_OK, which winerror.h happens to define first.
 */
function preferred(existing: string, candidate: string): boolean {
  const generic = (n: string) => /^[ES]_[A-Z0-9_]+$/.test(n);
  return generic(candidate) && !generic(existing);
}

function put<K>(map: Map<K, string>, key: K, name: string): void {
  const existing = map.get(key);
  if (existing === undefined || preferred(existing, name)) map.set(key, name);
}

export function buildTables(headers: HeaderInput[], extra: ExtraData = {}): Tables {
  const symbols: SymbolTable = new Map();
  const tables: Tables = {
    win32: new Map(),
    hresult: new Map(),
    setupapi: new Map(),
    facilities: new Map(),
    ntstatus: new Map(),
    ntstatusFacilities: new Map(),
  };
  for (const h of headers) {
    for (const d of evaluateHeader(h.text, symbols)) {
      if (h.facilities && /^FACILITY_[A-Z0-9_]+$/.test(d.name) && d.kind === 'plain' && !d.alias) {
        const target = h.role === 'ntstatus' ? tables.ntstatusFacilities : tables.facilities;
        const limit = h.role === 'ntstatus' ? 0xfff : 0x1fff;
        if (d.value <= limit && !target.has(d.value)) target.set(d.value, d.name);
        continue;
      }
      if (h.role === 'context' || d.alias || !isTableName(d.name)) continue;
      if (h.names && !h.names.test(d.name)) continue;
      if (h.role === 'ntstatus') {
        if (isNtstatusReportable(d.value)) put(tables.ntstatus, formatHresult(d.value), d.name);
        continue;
      }
      if (h.role === 'setupapi') {
        if (u32(d.value & SETUPAPI_ERROR_BITS) === SETUPAPI_ERROR_BITS && d.kind === 'plain') {
          put(tables.setupapi, formatHresult(hresultFromSetupapi(d.value)), d.name);
        }
        continue;
      }
      if (d.kind === 'hresult' || d.value > 0xffff) {
        put(tables.hresult, formatHresult(d.value), d.name);
      } else if (h.role === 'win32') {
        put(tables.win32, d.value, d.name);
      }
    }
  }
  // Hand-kept entries are curated on purpose, so they override what the headers say.
  for (const e of extra.hresult ?? []) tables.hresult.set(formatHresult(Number.parseInt(e.code, 16)), e.name);
  for (const w of extra.win32 ?? []) tables.win32.set(w.number, w.name);
  for (const f of extra.facilities ?? []) {
    if (!tables.facilities.has(f.number)) tables.facilities.set(f.number, f.name);
  }
  return tables;
}
