/**
 * Windows Setup extend codes (the second code of "0xC1900101 - 0x20007"): the first hex digit is the
 * phase Setup was in, the last two the operation it was doing. Names from Microsoft's "Upgrade error
 * codes" page (SP_EXECUTION_*); the short texts in ja/en/ru are this project's. `describeExtendCode`
 * gives one sentence in the locale, preferring the knowledge base's own meaning of the code when it has
 * one (it also says what usually causes it).
 */
import type { Locale } from '../vocabulary';

type Text = Record<Locale, string>;

export const EXTEND_CODES_SOURCE = {
  url: 'https://learn.microsoft.com/windows/deployment/upgrade/upgrade-error-codes',
  title: 'Upgrade error codes (extend codes: phase and operation)',
} as const;

const PHASES: readonly { name: string; text: Text }[] = [
  {
    name: 'SP_EXECUTION_UNKNOWN',
    text: { en: 'an unknown phase', ja: '不明なフェーズ', ru: 'неизвестной фазе' },
  },
  {
    name: 'SP_EXECUTION_DOWNLEVEL',
    text: {
      en: 'the downlevel phase, still in the old Windows while setup gathers what it needs',
      ja: 'ダウンレベル フェーズ（元の Windows 上でセットアップが準備をする段階）',
      ru: 'фазе Downlevel, ещё в прежней Windows, пока установка собирает нужное',
    },
  },
  {
    name: 'SP_EXECUTION_SAFE_OS',
    text: {
      en: 'the Safe OS phase, where a minimal Windows sets up recovery, installs updates and prepares a rollback',
      ja: 'Safe OS フェーズ（最小構成の Windows で回復環境を構成し、更新を入れ、ロールバックを用意する段階）',
      ru: 'фазе Safe OS, где минимальная Windows настраивает восстановление, ставит обновления и готовит откат',
    },
  },
  {
    name: 'SP_EXECUTION_FIRST_BOOT',
    text: {
      en: 'the first boot phase, where the new Windows applies its initial settings',
      ja: '初回起動フェーズ（新しい Windows が初期設定を適用する段階）',
      ru: 'фазе первой загрузки, где новая Windows применяет начальные настройки',
    },
  },
  {
    name: 'SP_EXECUTION_OOBE_BOOT',
    text: {
      en: 'the second boot (OOBE) phase, where the final settings are applied',
      ja: '2 回目の起動（OOBE）フェーズ（最終的な設定を適用する段階）',
      ru: 'фазе второй загрузки (OOBE), где применяются окончательные настройки',
    },
  },
  {
    name: 'SP_EXECUTION_UNINSTALL',
    text: {
      en: 'the uninstall phase, while setup was undoing the failed upgrade',
      ja: 'アンインストール フェーズ（失敗したアップグレードを元に戻す段階）',
      ru: 'фазе удаления, когда установка отменяла неудавшееся обновление',
    },
  },
];

/** Operation number → name (without SP_EXECUTION_OP_) and what it does. */
const OPERATIONS: readonly [string, string, string, string][] = [
  ['UNKNOWN', 'an unknown operation', '不明な操作', 'неизвестная операция'],
  [
    'COPY_PAYLOAD',
    'copying the setup files',
    'セットアップ ファイルのコピー',
    'копирование файлов установки',
  ],
  ['DOWNLOAD_UPDATES', 'downloading updates', '更新プログラムのダウンロード', 'загрузка обновлений'],
  ['INSTALL_UPDATES', 'installing updates', '更新プログラムのインストール', 'установка обновлений'],
  [
    'INSTALL_RECOVERY_ENVIRONMENT',
    'installing the recovery environment',
    '回復環境のインストール',
    'установка среды восстановления',
  ],
  [
    'INSTALL_RECOVERY_IMAGE',
    'installing the recovery image',
    '回復イメージのインストール',
    'установка образа восстановления',
  ],
  [
    'REPLICATE_OC',
    'carrying optional components over',
    'オプション コンポーネントの引き継ぎ',
    'перенос дополнительных компонентов',
  ],
  ['INSTALL_DRIVERS', 'installing drivers', 'ドライバーのインストール', 'установка драйверов'],
  ['PREPARE_SAFE_OS', 'preparing the Safe OS', 'Safe OS の準備', 'подготовка Safe OS'],
  ['PREPARE_ROLLBACK', 'preparing the rollback', 'ロールバックの準備', 'подготовка отката'],
  ['PREPARE_FIRST_BOOT', 'preparing the first boot', '初回起動の準備', 'подготовка первой загрузки'],
  ['PREPARE_OOBE_BOOT', 'preparing the OOBE boot', 'OOBE 起動の準備', 'подготовка загрузки OOBE'],
  ['APPLY_IMAGE', 'applying the Windows image', 'Windows イメージの適用', 'применение образа Windows'],
  ['MIGRATE_DATA', 'migrating data and settings', 'データと設定の移行', 'перенос данных и настроек'],
  ['SET_PRODUCT_KEY', 'setting the product key', 'プロダクト キーの設定', 'установка ключа продукта'],
  ['ADD_UNATTEND', 'adding the answer file', '応答ファイルの追加', 'добавление файла ответов'],
  ['ADD_DRIVER', 'adding a driver', 'ドライバーの追加', 'добавление драйвера'],
  [
    'ENABLE_FEATURE',
    'turning a Windows feature on',
    'Windows の機能の有効化',
    'включение компонента Windows',
  ],
  [
    'DISABLE_FEATURE',
    'turning a Windows feature off',
    'Windows の機能の無効化',
    'отключение компонента Windows',
  ],
  [
    'REGISTER_ASYNC_PROCESS',
    'registering a background process',
    '非同期プロセスの登録',
    'регистрация асинхронного процесса',
  ],
  [
    'REGISTER_SYNC_PROCESS',
    'registering a process',
    '同期プロセスの登録',
    'регистрация синхронного процесса',
  ],
  ['CREATE_FILE', 'creating a file', 'ファイルの作成', 'создание файла'],
  ['CREATE_REGISTRY', 'creating registry entries', 'レジストリ項目の作成', 'создание записей реестра'],
  ['BOOT', 'booting', '起動', 'загрузка'],
  ['SYSPREP', 'Sysprep', 'Sysprep', 'Sysprep'],
  [
    'OOBE',
    'the first-run setup screens (OOBE)',
    '初回セットアップ画面（OOBE）',
    'экраны первоначальной настройки (OOBE)',
  ],
  ['BEGIN_FIRST_BOOT', 'starting the first boot', '初回起動の開始', 'начало первой загрузки'],
  ['END_FIRST_BOOT', 'finishing the first boot', '初回起動の完了', 'завершение первой загрузки'],
  ['BEGIN_OOBE_BOOT', 'starting the OOBE boot', 'OOBE 起動の開始', 'начало загрузки OOBE'],
  ['END_OOBE_BOOT', 'finishing the OOBE boot', 'OOBE 起動の完了', 'завершение загрузки OOBE'],
  ['PRE_OOBE', 'the steps before OOBE', 'OOBE 前の処理', 'действия перед OOBE'],
  ['POST_OOBE', 'the steps after OOBE', 'OOBE 後の処理', 'действия после OOBE'],
  [
    'ADD_PROVISIONING_PACKAGE',
    'adding a provisioning package',
    'プロビジョニング パッケージの追加',
    'добавление пакета подготовки',
  ],
];

export interface ExtendCodeMeaning {
  /** "0x20007" (lower case, no leading zeros). */
  code: string;
  /** Phase number and SP_EXECUTION_* name, or null when the code is not phase-and-operation shaped. */
  phase: { number: number; name: string } | null;
  operation: { number: number; name: string } | null;
  /** One sentence in the locale. */
  meaning: string;
}

const UNKNOWN_SHAPE: Text = {
  en: 'a setup extend code that does not name a known phase and operation',
  ja: 'フェーズと操作を特定できないセットアップ拡張コードです',
  ru: 'расширенный код установки, по которому не определить фазу и операцию',
};

function sentence(code: string, phase: Text, operation: Text, names: string, locale: Locale): string {
  switch (locale) {
    case 'ja':
      return `${code}（セットアップの拡張コード）: ${phase[locale]}の「${operation[locale]}」で失敗しました（${names}）。`;
    case 'ru':
      return `${code} (расширенный код установки): сбой на операции «${operation[locale]}» в ${phase[locale]} (${names}).`;
    default: {
      const op = operation[locale];
      return `${code} (setup extend code): ${op.charAt(0).toUpperCase()}${op.slice(1)} failed in ${phase[locale]} (${names}).`;
    }
  }
}

/** "0x20007", "20007" or "0x0002000D" → its phase and operation, or null when it is not an extend code. */
export function parseExtendCode(input: string): { code: string; phase: number; operation: number } | null {
  const hex = input.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,8}$/i.test(hex)) return null;
  const value = Number.parseInt(hex, 16);
  const phase = value >>> 16;
  const operation = value & 0xffff;
  if (phase >= PHASES.length || operation >= OPERATIONS.length)
    return { code: `0x${value.toString(16)}`, phase: -1, operation: -1 };
  return { code: `0x${value.toString(16)}`, phase, operation };
}

/**
 * What a setup extend code means, in the locale. `known` is the knowledge base's meaning of the code
 * (from the error entry it came with, or any entry that lists it), used as is when given.
 */
export function describeExtendCode(input: string, locale: Locale, known?: Text | null): ExtendCodeMeaning {
  const parsed = parseExtendCode(input);
  const code = parsed?.code ?? input.trim().toLowerCase();
  const shaped = parsed && parsed.phase >= 0 ? parsed : null;
  const phase = shaped ? PHASES[shaped.phase] : undefined;
  const op = shaped ? OPERATIONS[shaped.operation] : undefined;
  const names = phase && op ? `${phase.name}, SP_EXECUTION_OP_${op[0]}` : '';
  const meaning = known
    ? `${code}: ${known[locale]}`
    : phase && op
      ? sentence(code, phase.text, { en: op[1], ja: op[2], ru: op[3] }, names, locale)
      : `${code}: ${UNKNOWN_SHAPE[locale]}${locale === 'ja' ? '。' : '.'}`;
  return {
    code,
    phase: shaped && phase ? { number: shaped.phase, name: phase.name } : null,
    operation: shaped && op ? { number: shaped.operation, name: `SP_EXECUTION_OP_${op[0]}` } : null,
    meaning,
  };
}
