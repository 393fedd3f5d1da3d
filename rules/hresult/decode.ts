/**
 * Decodes any HRESULT, known to the knowledge base or not: severity, customer bit, facility, code and
 * symbolic name, plus a short localized sentence for codes the knowledge base has no meaning for.
 *
 * Name tables are generated from public headers by scripts/gen-hresult.ts (rules/hresult/data/*.json).
 *
 * Which name wins when a code has several:
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

export { InvalidHresultError };

import type { Locale } from '../vocabulary';

export interface DecodedHresult {
  /** Lowercase "0x" + 8 hex digits. */
  code: string;
  /** The code as an unsigned 32-bit number. */
  value: number;
  severity: 'failure' | 'success';
  /** The customer bit (0x20000000): the code is defined by a vendor or application, not by Windows. */
  customer: boolean;
  /** Facility number (bits 16–28, as HRESULT_FACILITY) and its name without the FACILITY_ prefix. */
  facility: { number: number; name: string };
  /** The low 16 bits (for FACILITY_WIN32, the Win32 error number). */
  codeNumber: number;
  name: string | null;
  /** Which table `name` came from. */
  nameSource: 'win32' | 'setupapi' | 'hresult' | null;
  /** Other names for the same code (e.g. E_INVALIDARG for 0x80070057). */
  aliases: string[];
}

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

// ---------------------------------------------------------------------------------------------
// Data (loaded once, on first use)
// ---------------------------------------------------------------------------------------------

type Table = Readonly<Record<string, string>>;
interface Tables {
  win32: Table;
  hresult: Table;
  setupapi: Table;
  facilities: Table;
}
let tables: Tables | null = null;

function data(): Tables {
  if (!tables) {
    // require keeps TypeScript from typing thousands of JSON keys and defers the load to first use.
    tables = {
      win32: require('./data/win32.json') as Table,
      hresult: require('./data/hresult.json') as Table,
      setupapi: require('./data/setupapi.json') as Table,
      facilities: require('./data/facilities.json') as Table,
    };
  }
  return tables;
}

function lookup(table: Table, key: string): string | null {
  return Object.hasOwn(table, key) && key !== '_source' ? (table[key] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

export function formatHresult(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

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

/** Facility name without the FACILITY_ prefix, or UNKNOWN_<n>. */
export function facilityName(facilityNumber: number): string {
  const name = lookup(data().facilities, String(facilityNumber));
  return name ? name.replace(/^FACILITY_/, '') : `UNKNOWN_${facilityNumber}`;
}

export function decodeHresult(input: string | number): DecodedHresult {
  const value = parseHresult(input);
  const code = formatHresult(value);
  const facilityNumber = (value >>> 16) & 0x1fff;
  const codeNumber = value & 0xffff;
  const failure = value >>> 31 === 1;
  const customer = (value & 0x20000000) !== 0;
  const t = data();

  const names: { name: string; source: 'win32' | 'setupapi' | 'hresult' }[] = [];
  const add = (name: string | null, source: 'win32' | 'setupapi' | 'hresult') => {
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

  const [first, ...rest] = names;
  return {
    code,
    value,
    severity: failure ? 'failure' : 'success',
    customer,
    facility: { number: facilityNumber, name: facilityName(facilityNumber) },
    codeNumber,
    name: first?.name ?? null,
    nameSource: first?.source ?? null,
    aliases: rest.map((n) => n.name),
  };
}

// ---------------------------------------------------------------------------------------------
// Localized descriptions
// ---------------------------------------------------------------------------------------------

type Phrases = Record<Locale, string>;

/** What each facility is about, as a phrase that can follow a colon (lowercase start in en/ru). */
const FACILITY_PHRASES: Record<number, Phrases> = {
  [FACILITY.NULL]: {
    en: 'general-purpose COM status codes that belong to no particular component (E_FAIL, E_UNEXPECTED, E_NOTIMPL …)',
    ja: '特定のコンポーネントに属さない汎用の COM ステータス コード（E_FAIL、E_UNEXPECTED、E_NOTIMPL など）',
    ru: 'общие коды состояния COM, не привязанные к конкретному компоненту (E_FAIL, E_UNEXPECTED, E_NOTIMPL и т. п.)',
  },
  [FACILITY.RPC]: {
    en: 'remote procedure call (RPC) errors: a call between processes or computers failed',
    ja: 'リモート プロシージャ コール（RPC）のエラーで、プロセス間またはコンピューター間の呼び出しが失敗したことを示す',
    ru: 'ошибки удалённого вызова процедур (RPC): не удался вызов между процессами или компьютерами',
  },
  [FACILITY.DISPATCH]: {
    en: 'COM automation (IDispatch) errors, usually from scripts or Office/VB automation',
    ja: 'COM オートメーション（IDispatch）のエラーで、主にスクリプトや Office/VB のオートメーションから返される',
    ru: 'ошибки автоматизации COM (IDispatch), обычно из скриптов или автоматизации Office/VB',
  },
  [FACILITY.STORAGE]: {
    en: 'COM structured storage errors (STG_E_*): reading or writing compound files and streams',
    ja: 'COM 構造化ストレージのエラー（STG_E_*）で、複合ファイルやストリームの読み書きに関するもの',
    ru: 'ошибки структурированного хранилища COM (STG_E_*): чтение и запись составных файлов и потоков',
  },
  [FACILITY.ITF]: {
    en: 'interface-specific codes whose meaning is defined by the COM component that returned them (many OLE/COM errors, 0x8004xxxx)',
    ja: 'インターフェイス固有のコードで、意味はそれを返した COM コンポーネントが定義する（多くの OLE/COM エラー、0x8004xxxx）',
    ru: 'коды конкретного интерфейса, смысл которых определяет вернувший их компонент COM (многие ошибки OLE/COM, 0x8004xxxx)',
  },
  [FACILITY.WIN32]: {
    en: 'a Windows system error (Win32 error code) passed on as an HRESULT; the low 16 bits are the Win32 error number',
    ja: 'Windows のシステム エラー（Win32 エラー コード）を HRESULT として返したもので、下位 16 ビットが Win32 エラー番号',
    ru: 'системная ошибка Windows (код ошибки Win32), переданная как HRESULT; младшие 16 бит — номер ошибки Win32',
  },
  [FACILITY.WINDOWS]: {
    en: 'errors from Windows subsystems and shell components that define their own HRESULTs',
    ja: '独自の HRESULT を定義している Windows のサブシステムやシェル コンポーネントのエラー',
    ru: 'ошибки подсистем Windows и компонентов оболочки, определяющих собственные HRESULT',
  },
  [FACILITY.SECURITY]: {
    en: 'security errors: authentication (SSPI, Kerberos, NTLM, TLS/Schannel) and cryptography (SEC_E_*, CRYPT_E_*, NTE_*)',
    ja: 'セキュリティ関連のエラーで、認証（SSPI、Kerberos、NTLM、TLS/Schannel）や暗号処理（SEC_E_*、CRYPT_E_*、NTE_*）に関するもの',
    ru: 'ошибки безопасности: аутентификация (SSPI, Kerberos, NTLM, TLS/Schannel) и криптография (SEC_E_*, CRYPT_E_*, NTE_*)',
  },
  [FACILITY.CERT]: {
    en: 'certificate and trust verification errors: signatures, certificate chains, validity periods (TRUST_E_*, CERT_E_*)',
    ja: '証明書と信頼性の検証に関するエラーで、署名、証明書チェーン、有効期限など（TRUST_E_*、CERT_E_*）',
    ru: 'ошибки проверки сертификатов и доверия: подписи, цепочки сертификатов, сроки действия (TRUST_E_*, CERT_E_*)',
  },
  [FACILITY.INTERNET]: {
    en: 'URL moniker and Internet download errors (INET_E_*), e.g. when a URL cannot be resolved or downloaded',
    ja: 'URL モニカーとインターネット ダウンロードのエラー（INET_E_*）で、URL を解決またはダウンロードできない場合など',
    ru: 'ошибки моникеров URL и загрузки из Интернета (INET_E_*), например когда URL не удаётся разрешить или скачать',
  },
  [FACILITY.SETUPAPI]: {
    en:
      'SetupAPI device and driver installation (INF files, drivers), and also component-based servicing (CBS), ' +
      'the servicing stack that installs Windows updates, features and language packs ' +
      '(CBS_E_*, PSFX_E_*, 0x800F08xx/0x800F09xx), as reported by DISM and Windows Update installs',
    ja:
      'SetupAPI によるデバイスとドライバーのインストール（INF ファイル、ドライバー）、および Windows の更新プログラム、' +
      '機能、言語パックをインストールするサービス スタックであるコンポーネント ベースのサービス（CBS）のエラー' +
      '（CBS_E_*、PSFX_E_*、0x800F08xx/0x800F09xx）で、DISM や Windows Update のインストールが返す',
    ru:
      'установка устройств и драйверов через SetupAPI (INF-файлы, драйверы), а также обслуживание на основе ' +
      'компонентов (CBS) — стек обслуживания, который устанавливает обновления, компоненты и языковые пакеты Windows ' +
      '(CBS_E_*, PSFX_E_*, 0x800F08xx/0x800F09xx); такие коды возвращают DISM и установка обновлений',
  },
  [FACILITY.BACKGROUNDCOPY]: {
    en: 'the Background Intelligent Transfer Service (BITS), which downloads files in the background for Windows Update and other clients (BG_E_*)',
    ja: 'Windows Update などのためにバックグラウンドでファイルをダウンロードするバックグラウンド インテリジェント転送サービス（BITS）のエラー（BG_E_*）',
    ru: 'фоновая интеллектуальная служба передачи (BITS), которая скачивает файлы в фоне для Windows Update и других клиентов (BG_E_*)',
  },
  [FACILITY.WINDOWSUPDATE]: {
    en: 'the Windows Update Agent: searching for, downloading and installing updates (WU_E_*), including its connection to Windows Update, WSUS or Configuration Manager',
    ja: 'Windows Update エージェントのエラーで、更新プログラムの検索、ダウンロード、インストール（WU_E_*）や、Windows Update・WSUS・Configuration Manager への接続に関するもの',
    ru: 'агент Windows Update: поиск, загрузка и установка обновлений (WU_E_*), включая связь с Windows Update, WSUS или Configuration Manager',
  },
  [FACILITY.WINDOWS_STORE]: {
    en: 'the Microsoft Store and installing apps through it',
    ja: 'Microsoft Store と、Store を通じたアプリのインストールに関するエラー',
    ru: 'Microsoft Store и установка приложений через него',
  },
  [FACILITY.DELIVERY_OPTIMIZATION]: {
    en: 'Delivery Optimization, the download service that fetches Windows updates and Store apps from Microsoft and from other PCs on the network (DO_E_*)',
    ja: 'Windows の更新プログラムや Store アプリを Microsoft やネットワーク上の他の PC から取得するダウンロード サービス「配信の最適化」のエラー（DO_E_*）',
    ru: 'оптимизация доставки (Delivery Optimization) — служба загрузки, получающая обновления Windows и приложения Store от Microsoft и от других компьютеров сети (DO_E_*)',
  },
};

function genericPhrase(facilityNumber: number, locale: Locale): string {
  const name = facilityName(facilityNumber);
  const known = !name.startsWith('UNKNOWN_');
  switch (locale) {
    case 'ja':
      return known
        ? `ファシリティ ${name}（${facilityNumber}）を使う Windows コンポーネントが返したエラー`
        : `ファシリティ番号 ${facilityNumber} は Windows SDK の一覧になく、どのコンポーネントが返したかは分からない`;
    case 'ru':
      return known
        ? `ошибки компонента Windows, использующего источник (facility) ${name} (${facilityNumber})`
        : `номера источника (facility) ${facilityNumber} нет в списке Windows SDK, поэтому неизвестно, какой компонент вернул код`;
    default:
      return known
        ? `errors reported by the Windows component that uses facility ${name} (${facilityNumber})`
        : `facility ${facilityNumber} is not in the Windows SDK list, so the component that reported the code is not known`;
  }
}

function facilityPhrase(facilityNumber: number, locale: Locale): string {
  return FACILITY_PHRASES[facilityNumber]?.[locale] ?? genericPhrase(facilityNumber, locale);
}

const CUSTOMER_PHRASE: Phrases = {
  en: 'the customer bit is set, so the code is defined by the application or vendor that returned it, not by Windows',
  ja: 'カスタマー ビットが立っているため、Windows ではなく、このコードを返したアプリケーションやベンダーが定義したコード',
  ru: 'установлен бит Customer, поэтому код определён вернувшим его приложением или производителем, а не Windows',
};

/** A short sentence (in the locale) on what the facility is about. */
export function facilityMeaning(facilityNumber: number, locale: Locale): string {
  const phrase = facilityPhrase(facilityNumber, locale);
  if (locale === 'ja') return `${phrase}。`;
  return `${phrase.charAt(0).toLocaleUpperCase(locale)}${phrase.slice(1)}.`;
}

/**
 * One sentence for a code the knowledge base has no meaning for, e.g.
 * "ERROR_NO_MORE_ITEMS (Win32 error 259) is a failure code from facility WIN32 (7): a Windows system error …".
 */
export function describeUnknown(decoded: DecodedHresult, locale: Locale): string {
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
      const where = raw ? 'SetupAPI の' : `ファシリティ ${facility.name}（${facility.number}）の`;
      return `${subject}${where}${failure ? 'エラー' : '成功'}コードです — ${phrase}。`;
    }
    case 'ru': {
      const subject = !name
        ? `${code} — код без известного символического имени;`
        : decoded.nameSource === 'win32'
          ? `${name} (ошибка Win32 ${codeNumber}, ${code}) —`
          : `${name} (${code}) —`;
      const where = raw ? 'SetupAPI' : `источника (facility) ${facility.name} (${facility.number})`;
      return `${subject} ${failure ? 'код ошибки' : 'код успешного выполнения'} ${where}: ${phrase}.`;
    }
    default: {
      const subject = !name
        ? `${code} has no known symbolic name; it is`
        : decoded.nameSource === 'win32'
          ? `${name} (Win32 error ${codeNumber}, ${code}) is`
          : `${name} (${code}) is`;
      const where = raw ? 'SetupAPI' : `facility ${facility.name} (${facility.number})`;
      return `${subject} a ${failure ? 'failure' : 'success'} code from ${where}: ${phrase}.`;
    }
  }
}
