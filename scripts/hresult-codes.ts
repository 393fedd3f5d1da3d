/** HRESULT arithmetic as winerror.h defines it: facility numbers, HRESULT_FROM_* and the table key form. */

export const FACILITY_WIN32 = 7;
export const FACILITY_SETUPAPI = 15;
/** APPLICATION_ERROR_MASK | ERROR_SEVERITY_ERROR (winnt.h): how SetupAPI marks its own error numbers. */
export const SETUPAPI_ERROR_BITS = 0xe0000000;

/** As an unsigned 32-bit number. */
export function u32(n: number): number {
  return n >>> 0;
}

/** HRESULT_FROM_WIN32 as in winerror.h: x <= 0 stays, else (x & 0xFFFF) | FACILITY_WIN32 << 16 | 0x80000000. */
export function hresultFromWin32(x: number): number {
  return (x | 0) <= 0 ? u32(x) : u32((x & 0xffff) | (FACILITY_WIN32 << 16) | 0x80000000);
}

/**
 * HRESULT_FROM_SETUPAPI as in the Windows SDK's winerror.h: a SetupAPI error number
 * (APPLICATION_ERROR_MASK | ERROR_SEVERITY_ERROR | n) becomes 0x800F0000 | n; anything else is
 * treated as a Win32 error.
 */
export function hresultFromSetupapi(x: number): number {
  if (u32(x & SETUPAPI_ERROR_BITS) === SETUPAPI_ERROR_BITS) {
    return u32((x & 0xffff) | (FACILITY_SETUPAPI << 16) | 0x80000000);
  }
  return hresultFromWin32(x);
}

/** NTSTATUS severity (bits 30–31) is not STATUS_SEVERITY_SUCCESS. */
export function isNtstatusReportable(value: number): boolean {
  return u32(value) >>> 30 !== 0;
}

/** `0x` and 8 lowercase hex digits: how the tables key an HRESULT or NTSTATUS. */
export function formatHresult(value: number): string {
  return `0x${u32(value).toString(16).padStart(8, '0')}`;
}
