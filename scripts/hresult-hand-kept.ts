/**
 * The hand-kept entries in scripts/hresult-extra.json (codes, Win32 numbers and facilities the headers
 * lack, each with its source), and the check of that file's shape.
 */

/** A hand-kept entry that is not in the headers (e.g. CBS_E_* codes). */
export interface ExtraEntry {
  code: string;
  name: string;
  source: string;
}
export interface ExtraFacility {
  number: number;
  name: string;
  source: string;
}
/** A hand-kept Win32 error number the headers lack (e.g. the KTM range, ERROR_RM_NOT_ACTIVE = 6801). */
export interface ExtraWin32 {
  number: number;
  name: string;
  source: string;
}
export interface ExtraData {
  hresult?: ExtraEntry[];
  win32?: ExtraWin32[];
  facilities?: ExtraFacility[];
}

/** Checks the hand-kept file's shape; throws with a readable message when it is wrong. */
export function parseExtra(json: unknown): ExtraData {
  const fail = (msg: string): never => {
    throw new Error(`hresult-extra.json: ${msg}`);
  };
  if (typeof json !== 'object' || json === null) return fail('not an object');
  const obj = json as Record<string, unknown>;
  const hresult: ExtraEntry[] = [];
  const win32: ExtraWin32[] = [];
  const facilities: ExtraFacility[] = [];
  for (const [i, raw] of (Array.isArray(obj.hresult) ? obj.hresult : []).entries()) {
    const e = raw as Partial<ExtraEntry>;
    if (typeof e.code !== 'string' || !/^0x[0-9a-fA-F]{8}$/.test(e.code)) fail(`hresult[${i}].code`);
    if (typeof e.name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(e.name)) fail(`hresult[${i}].name`);
    if (typeof e.source !== 'string' || e.source.trim() === '') fail(`hresult[${i}].source`);
    hresult.push(e as ExtraEntry);
  }
  for (const [i, raw] of (Array.isArray(obj.win32) ? obj.win32 : []).entries()) {
    const w = raw as Partial<ExtraWin32>;
    if (typeof w.number !== 'number' || !Number.isInteger(w.number) || w.number < 1 || w.number > 0xffff) {
      fail(`win32[${i}].number`);
    }
    if (typeof w.name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(w.name)) fail(`win32[${i}].name`);
    if (typeof w.source !== 'string' || w.source.trim() === '') fail(`win32[${i}].source`);
    win32.push(w as ExtraWin32);
  }
  for (const [i, raw] of (Array.isArray(obj.facilities) ? obj.facilities : []).entries()) {
    const f = raw as Partial<ExtraFacility>;
    if (typeof f.number !== 'number' || !Number.isInteger(f.number) || f.number < 0 || f.number > 0x1fff) {
      fail(`facilities[${i}].number`);
    }
    if (typeof f.name !== 'string' || !/^FACILITY_[A-Z0-9_]+$/.test(f.name)) fail(`facilities[${i}].name`);
    if (typeof f.source !== 'string' || f.source.trim() === '') fail(`facilities[${i}].source`);
    facilities.push(f as ExtraFacility);
  }
  return { hresult, win32, facilities };
}
