/**
 * What each facility is about, in ja/en/ru: the sentence `describeUnknown` ends with for codes the
 * knowledge base has no meaning for.
 */
import type { Locale } from '../vocabulary';
import { FACILITY, facilityName } from './tables';

export type Phrases = Record<Locale, string>;

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

export function facilityPhrase(facilityNumber: number, locale: Locale): string {
  return FACILITY_PHRASES[facilityNumber]?.[locale] ?? genericPhrase(facilityNumber, locale);
}

export const CUSTOMER_PHRASE: Phrases = {
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

/** NTSTATUS values: what they are, as a phrase that can follow a colon. */
export const NTSTATUS_PHRASE: Phrases = {
  en:
    'an NT status code from the Windows kernel, a driver or the native API (not an HRESULT); when a program ' +
    'ends with one, it usually crashed or could not start (for example a DLL failed to load or initialize)',
  ja:
    'Windows カーネル、ドライバー、ネイティブ API が返す NT ステータス コード（HRESULT ではない）で、' +
    'プログラムがこのコードで終了した場合は、多くはクラッシュしたか起動できなかった（DLL の読み込みや初期化の失敗など）ことを示す',
  ru:
    'код состояния NT от ядра Windows, драйвера или native API (не HRESULT); если программа завершилась с ним, ' +
    'она обычно аварийно завершилась или не смогла запуститься (например, не загрузилась или не инициализировалась DLL)',
};
