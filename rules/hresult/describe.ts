/**
 * One localized sentence for a code the knowledge base has no meaning for: its name, what numbering
 * and facility it belongs to, and what that facility covers. Windows Setup results get their own
 * meaning and next step from the hand-kept table (setup.ts).
 */
import type { Locale } from '../vocabulary';
import type { DecodedHresult } from './decode';
import { CUSTOMER_PHRASE, facilityPhrase, NTSTATUS_PHRASE } from './facility-phrases';
import { describeSetupResult } from './setup';
import { FACILITY } from './tables';

function describeSetup(decoded: DecodedHresult, locale: Locale): string {
  const setup = describeSetupResult(decoded.value, locale);
  if (!setup) throw new Error(`${decoded.code} is not a Windows Setup result`);
  const label = decoded.name ? `${decoded.name} (${decoded.code})` : decoded.code;
  switch (locale) {
    case 'ja':
      return `${decoded.name ? `${decoded.name}（${decoded.code}）` : decoded.code}は${setup.facility}（ファシリティ SETUP、0x190）の結果コードです。${setup.meaning}次の対処: ${setup.nextAction}`;
    case 'ru':
      return `${label} — код результата программы установки Windows (источник SETUP, 0x190). ${setup.meaning} Что делать: ${setup.nextAction}`;
    default:
      return `${label} is a ${setup.facility} result code (facility SETUP, 0x190). ${setup.meaning} Next: ${setup.nextAction}`;
  }
}

/** "WIN32 (7)", or just "2000" for a facility no header names (never the internal UNKNOWN_2000). */
export function facilityLabel(facility: { name: string; number: number }): string {
  return facility.name.startsWith('UNKNOWN_')
    ? String(facility.number)
    : `${facility.name} (${facility.number})`;
}

function describeNtstatus(decoded: DecodedHresult, locale: Locale): string {
  const { name, code, facility, ntstatus } = decoded;
  const wrapped = decoded.kind === 'hresult-from-nt';
  const phrase = NTSTATUS_PHRASE[locale];
  const where = facilityLabel(facility);
  const whereJa = facility.name.startsWith('UNKNOWN_')
    ? String(facility.number)
    : `${facility.name}（${facility.number}）`;
  switch (locale) {
    case 'ja': {
      const subject = name ? `${name}（${wrapped ? `NTSTATUS ${ntstatus}、` : ''}${code}）` : code;
      const how = wrapped ? 'NTSTATUS を HRESULT_FROM_NT で HRESULT にしたもの' : 'NTSTATUS のエラー コード';
      return `${subject}は${how}です（ファシリティ ${whereJa}）— ${phrase}。`;
    }
    case 'ru': {
      const subject = name ? `${name} (${wrapped ? `NTSTATUS ${ntstatus}, ` : ''}${code})` : code;
      const how = wrapped ? 'NTSTATUS, обёрнутый в HRESULT через HRESULT_FROM_NT' : 'код ошибки NTSTATUS';
      return `${subject} — ${how}, источник (facility) ${where}: ${phrase}.`;
    }
    default: {
      const subject = name ? `${name} (${wrapped ? `NTSTATUS ${ntstatus}, ` : ''}${code})` : code;
      const how = wrapped ? 'an NTSTATUS wrapped as an HRESULT by HRESULT_FROM_NT' : 'an NTSTATUS error code';
      return `${subject} is ${how}, facility ${where}: ${phrase}.`;
    }
  }
}

/**
 * One sentence for a code the knowledge base has no meaning for, e.g.
 * "ERROR_NO_MORE_ITEMS (Win32 error 259) is a failure code from facility WIN32 (7): a Windows system error …",
 * "STATUS_ACCESS_VIOLATION (0xc0000005) is an NTSTATUS error code, facility NTSTATUS (0): …",
 * "MOSETUP_E_SETUP_PLATFORM (0xc1900101) is a Windows Setup result code … Next: …".
 */
export function describeUnknown(decoded: DecodedHresult, locale: Locale): string {
  if (decoded.kind === 'setup') return describeSetup(decoded, locale);
  if (decoded.kind === 'ntstatus' || decoded.kind === 'hresult-from-nt')
    return describeNtstatus(decoded, locale);
  const { name, code, codeNumber, facility } = decoded;
  const failure = decoded.severity === 'failure';
  const raw = (decoded.value & 0xffff0000) >>> 0 === 0xe0000000 && decoded.nameSource === 'setupapi';
  const phrase = raw
    ? facilityPhrase(FACILITY.SETUPAPI, locale)
    : decoded.customer
      ? CUSTOMER_PHRASE[locale]
      : facilityPhrase(facility.number, locale);
  switch (locale) {
    case 'ja': {
      const subject = !name
        ? `${code} は名前の分からないコードで、`
        : decoded.nameSource === 'win32'
          ? `${name}（Win32 エラー ${codeNumber}、${code}）は`
          : `${name}（${code}）は`;
      const where = raw
        ? 'SetupAPI の'
        : facility.name.startsWith('UNKNOWN_')
          ? `ファシリティ ${facility.number} の`
          : `ファシリティ ${facility.name}（${facility.number}）の`;
      return `${subject}${where}${failure ? 'エラー' : '成功'}コードです — ${phrase}。`;
    }
    case 'ru': {
      const subject = !name
        ? `${code} — код без известного символического имени;`
        : decoded.nameSource === 'win32'
          ? `${name} (ошибка Win32 ${codeNumber}, ${code}) —`
          : `${name} (${code}) —`;
      const where = raw ? 'SetupAPI' : `источника (facility) ${facilityLabel(facility)}`;
      return `${subject} ${failure ? 'код ошибки' : 'код успешного выполнения'} ${where}: ${phrase}.`;
    }
    default: {
      const subject = !name
        ? `${code} has no known symbolic name; it is`
        : decoded.nameSource === 'win32'
          ? `${name} (Win32 error ${codeNumber}, ${code}) is`
          : `${name} (${code}) is`;
      const where = raw ? 'SetupAPI' : `facility ${facilityLabel(facility)}`;
      return `${subject} a ${failure ? 'failure' : 'success'} code from ${where}: ${phrase}.`;
    }
  }
}
