/**
 * What makes a number an error code and not something else: the known first four hex digits of
 * HRESULTs people report, and the words that say a number is a ticket id, a phone number or a KB.
 */

/**
 * First four hex digits (severity + facility) of HRESULT/NTSTATUS families seen in helpdesk tickets.
 * A bare 8-digit number without "0x" counts as a code only with one of these; so does a 7-digit
 * "0x8007003" (a dropped zero), which is padded back to 0x80070003.
 */
export const KNOWN_CODE_PREFIXES: ReadonlySet<string> = new Set([
  '8000', // FACILITY_NULL (E_FAIL, E_ACCESSDENIED …)
  '8001', // RPC
  '8002', // DISPATCH
  '8003', // STORAGE
  '8004', // ITF (COM, BITS, Outlook MAPI)
  '8007', // WIN32
  '8009', // SECURITY
  '800a', // CONTROL / script
  '800b', // CERT
  '800f', // SETUPAPI (CBS)
  '8010', // SCARD
  '8019', // HTTP / BITS
  '801c', // MDM / device registration
  '8020', // BACKGROUNDCOPY
  '8023', // WEB services
  '8024', // WINDOWSUPDATE
  '8025', // seen with Windows Update / WSUS clients
  '8027', // WINDOWS_DEFENDER
  '8031', // FVE (BitLocker)
  '8033', // IMAGING
  '8078', // backup (0x807800c5)
  '8100', // FACILITY_SXS, store/appx deployment in the wild
  '87d0', // Configuration Manager client
  '87d1', // Configuration Manager client
  'c000', // NTSTATUS
  'c004', // Software Protection (activation)
  'c00d', // media
  'c142', // Outlook/Office configuration
  'c180', // WSUS reporting
  'c190', // Windows Setup (0xC1900101 …)
  'c1a0', // upgrade
]);

/** Words right before a bare number that make it a ticket, case, phone, order, asset or employee number. */
const TICKET_BEFORE = new RegExp(
  [
    '(?:',
    // en
    '(?<![a-z])(?:ticket|tkt|incident|inc|case|request|req|ritm|sr|order|ref(?:erence)?|phone|tel|call|fax|mobile|cell',
    // a phone extension, an asset tag, a serial or employee number
    '|ext\\.?|extension|asset(?:\\s?tag)?|tag|serial|s/n|employee)',
    // ja
    '|チケット|受付|問い合わせ|問合せ|お問い合わせ|管理|案件|申請|電話|携帯|内線|社員|従業員|資産|シリアル|製造',
    // ru
    '|заявк\\p{L}*|тикет\\p{L}*|обращени\\p{L}*|инцидент\\p{L}*|телефон\\p{L}*|тел\\.?|звонит\\p{L}*',
    '|инв\\.?|инвентарн\\p{L}*|табельн\\p{L}*|серийн\\p{L}*|добавочн\\p{L}*|доб\\.?',
    // KB written with a space: "kb 80070002" is a KB number
    '|(?<![a-z])kb',
    ')',
    '\\s*(?:number|num|no\\.?|id|番号|ナンバー|номер\\p{L}*)?\\s*[#№:.]?\\s*$',
  ].join(''),
  'iu',
);

/** How much text before a bare number is inspected for ticket words. */
const LOOK_BEHIND = 32;

export function isAfterTicketWord(text: string, index: number): boolean {
  return TICKET_BEFORE.test(text.slice(Math.max(0, index - LOOK_BEHIND), index));
}

/** A digit group joined by "-", "." or "/" before the number (part of a phone number, date or path). */
const GROUP_BEFORE = /(?:\d\s?[-/]\s?|\d\.|\+\d{1,3}[\s-]?)$/;
/** A digit group joined by "-", "." or "/" after the number. */
const GROUP_AFTER = /^(?:\s?[-/]\s?\d|\.\d)/;

export function isPartOfDigitSequence(text: string, start: number, end: number): boolean {
  return (
    GROUP_BEFORE.test(text.slice(Math.max(0, start - 6), start)) || GROUP_AFTER.test(text.slice(end, end + 4))
  );
}
