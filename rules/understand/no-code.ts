/**
 * Whether the user says there is no error code ("コードは出てないです", "there's no code", "кода нет"), so
 * the bot does not ask for one again and plans from the context alone.
 */
import { compilePhrases } from './phrases';

const NO_CODE = compilePhrases({
  en: [
    'no\\s(?:error\\s)?(?:codes?|numbers?)',
    'without\\s(?:an?\\s|any\\s)?(?:error\\s)?code',
    "(?:doesn'?t|does\\snot|didn'?t|did\\snot|don'?t|do\\snot|won'?t)\\s(?:show|give|display|have|say)\\s(?:me\\s)?(?:an?\\s|any\\s)?(?:error\\s)?code",
    "there\\s(?:isn'?t|is\\snot|wasn'?t|was\\snot|aren'?t|are\\snot)\\s(?:an?\\s|any\\s)?(?:error\\s)?codes?",
  ],
  ja: [
    '(?:エラー\\s?)?(?:コード|番号)\\s?(?:は|が|も)?\\s?(?:特に\\s?)?(?:出て(?:い)?(?:ない|ません)|出ない|出ません|出てこない|表示され(?:て(?:い)?)?(?:ない|ません)|ない|無い|ありません|なし|無し|見当たらない|見当たりません)',
  ],
  ru: [
    'код\\p{L}*\\s(?:ошибки\\s)?(?:нет|никакого\\sнет|не\\s(?:выдаёт|выдает|пишет|показыва\\p{L}*|отобража\\p{L}*|было|был))',
    'без\\s(?:\\p{L}+\\s)?код\\p{L}*',
    'нет\\s(?:никакого\\s)?(?:кода|номера)',
    'кода\\s(?:ошибки\\s)?не\\s(?:видно|вижу|видел\\p{L}*|было\\sвидно)',
    'код\\s(?:ошибки\\s)?не\\s(?:высвечива\\p{L}*|появля\\p{L}*|пиш\\p{L}*)',
    'не\\s(?:показыва|выда|пиш|отобража)\\p{L}*\\s(?:никакого\\s|никаких\\s)?(?:код|номер)\\p{L}*',
  ],
});

/** @param words the message (NFKC) with code tokens blanked out */
export function saysNoCode(words: string): boolean {
  return NO_CODE.test(words);
}
