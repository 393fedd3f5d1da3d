/**
 * How a step went, said in a sentence rather than with a button's words ("nope, still the same",
 * 「まだ同じエラーが出ます」, "всё равно ошибка", "that fixed it, thanks!"), and whether the user can run
 * things as administrator ("I don't have admin rights", 「管理者権限がありません」, "нет прав админа").
 * "Not fixed" is always looked for before "fixed": reading a failure as a fix is the worst mistake, so
 * anything negative wins, and a question ("is it fixed?") or a doubt ("not sure it worked") is no answer.
 */
import type { TypedOutcome } from './text-commands';

/** Lowercase NFKC, ё → е, apostrophes unified, "didn't" / "didnt" → "did not", words typo-corrected. */
export function plainWords(text: string): string {
  const lowered = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[’`´]/g, "'")
    .replace(/\b(can|won)'?t\b/g, (_, w: string) => (w === 'can' ? 'can not' : 'will not'))
    .replace(/\bain'?t\b/g, 'is not')
    .replace(/\b(did|does|do|is|was|has|have|had|were|are|could|would|should)n'?t\b/g, '$1 not')
    .replace(/\s+/g, ' ')
    .trim();
  return lowered.replace(/\p{Script=Latin}{4,}/gu, fixTypo);
}

/** Key words a swapped pair of letters should not hide ("wokr", "hlep", "fxied", "sikp"). */
const KEY_WORDS = ['work', 'worked', 'works', 'working', 'help', 'helped', 'fixed', 'solved', 'skip'];

/** "wokr" → "work": two neighbouring letters swapped (other slips could turn "mixed" into "fixed"). */
function fixTypo(word: string): string {
  for (const key of KEY_WORDS) {
    if (key.length !== word.length || key === word) continue;
    const diff = [...key].flatMap((c, i) => (c === word[i] ? [] : [i]));
    const [i, j] = diff;
    if (diff.length === 2 && i !== undefined && j === i + 1 && key[i] === word[j] && key[j] === word[i])
      return key;
  }
  return word;
}

const NEGATIVE: readonly RegExp[] = [
  // en
  /\b(?:not|no|never|nothing)\b(?:\s+[^\s,.!;]+){0,3}?\s*\b(?:help|work|fix|solv|resolv|chang|differen|luck|good|joy|dice|better)/,
  /\bstill\b\s+(?:the\s+)?(?:same|broken|fail|not|there|happen|get|getting|see|seeing|show|error|stuck|no|nothing|have|has|doing|the error|an error|appear|pop|occur|crash|come|freez|hang)/,
  /\bsame\s+(?:error|thing|problem|issue|result|message|code|as before)\b/,
  /\b(?:fail\w*|error\w*)\s+again\b|\b(?:it|error|problem|but|then|and)\s+(?:came|comes|is) back\b/,
  /\b(?:error|problem|issue)\s+(?:still\s+)?(?:persist\w*|remain\w*)|\bstopped working\b/,
  /\b(?:nope|no go|useless|worse)\b|\bbut not\b|\bnot (?:now|anymore|any more|any longer)\b|^(?:the )?same(?: thing| again)?$/,
  // ja
  /直ら|治ら|直りませ|治りませ|解決しな|解決しませ|解決できな|解決できませ|解決せず|効果[がは]?(?:な|ありませ)|変わら|変わりませ|変化[がは]?(?:な|ありませ)|ダメ|だめ|駄目|うまくいか|うまくいきませ|上手くいか|相変わらず|同じエラー|同じ(?:状態|症状|結果)|まだ.*(?:エラー|出|失敗|同じ)|また.*(?:エラー|失敗|出(?!なく))|消えな|消えませ|消えてい?な|消えていませ|ようになら|ようになりませ/u,
  // ru
  /(?<!\p{L})не\s?(?:[\p{L}-]+\s+)?(?:помог|работ|заработ|сработ|получ|исправ|реш|вышл|измен|ушл|пропал|исчез|делас)/u,
  /без изменений|то же самое|тоже самое|та же (?:ошибка|проблема|самая)|ничего не|(?<!\p{L})(?:все|всё) (?:так же|также|равно|еще|то же)|(?<!\p{L})(?:неа|не-а)(?!\p{L})|(?:опять|снова)\s+(?:ошибк|то же|та же|не |выда|пишет|вылез|появ)|ошибка остал/u,
];

const SKIP: readonly RegExp[] = [
  /\bskip\b|\bnext step\b|\bmove on\b|\b(?:go|move) to the next\b|\b(?:can not|unable to|not able to) do (?:this|that|it)\b/,
  /飛ばし|とばし|スキップ|次へ|次に進|次の手順|(?:この|その)?手順は?でき(?:ません|ない|なかった)/u,
  /пропус\p{L}*|(?<!\p{L})(?:дальше|следующ\p{L}*)(?!\p{L})|не могу (?:это )?(?:сделать|выполнить)/u,
];

const FIXED: readonly RegExp[] = [
  /\b(?:fixed|solved|resolved|worked|works|working now|working fine|all good|good now|ok now|fine now|that did it|did the trick|went away|gone now|is gone|no more errors?|no errors? (?:now|anymore))\b/,
  /直りました|直った|治りました|治った|解決しました|解決した|解決です|うまくいきました|うまくいった|上手くいきました|動きました|動いた|使えるようになり|できるようになり|成功しました|成功した|出なくなり|出なくなった|エラーが消え/u,
  /(?<!\p{L})(?:помогло|помог|заработал\p{L}*|работает|сработало|получилось|исправил\p{L}*|исправлено|решено|решилось|ушла|пропала|исчезла|все ок|все норм\p{L}*|все хорошо)(?!\p{L})/u,
];

/** Doubt: no answer either way. */
const UNSURE =
  /\bnot sure\b|\b(?:if|whether)\b|\bno idea\b|\bdo not know\b|\bmaybe\b|わから|分から|かもしれ|かも(?:ね|です)?$|(?<!\p{L})(?:не знаю|не уверен\p{L}*|наверное|может быть)(?!\p{L})/u;

/** A question about the outcome ("is it fixed?", "直りましたか", "помогло ли?") answers nothing. */
const QUESTION =
  /\?|^(?:what|why|how|where|when|if|which|(?:is|does|do|did|can|could|should|will|would|was)\s+(?:it|this|that|i|we|you|the|my))\b|(?:か|かな|かね)$|(?<!\p{L})(?:ли|почему|зачем|как|что|если)(?!\p{L})/u;

/** "What now?" after a failure: the next step is the answer. */
const WHAT_NOW =
  /\bwhat (?:now|next|should i do|do i do|else)\b|\bnow what\b|どうすれば|どうしたら|次は|(?<!\p{L})(?:что (?:делать|дальше|теперь)|и что теперь)(?!\p{L})/u;

/** How the open step went, read from a sentence; null when the message says neither clearly. */
export function readOutcome(text: string): TypedOutcome | null {
  const words = plainWords(text)
    .replace(/[\s!.。!、,…)(]+$/u, '')
    .replace(/\bno (?:problem|worries)\b/g, '');
  if (!words || UNSURE.test(words)) return null;
  // "can we skip that?" asks for what it names.
  if (SKIP.some((p) => p.test(words)) && !/\b(?:do not|not) skip\b|飛ばさない|не пропуска/u.test(words))
    return NEGATIVE.some((p) => p.test(words)) ? 'didnt-help' : 'skipped';
  const negative = NEGATIVE.some((p) => p.test(words));
  // "still broken, what now?" reports the step and asks for the next one.
  if (QUESTION.test(words) && !(negative && WHAT_NOW.test(words))) return null;
  if (negative) return 'didnt-help';
  if (FIXED.some((p) => p.test(words))) return 'fixed';
  return null;
}

const ADMIN_WORD = '(?:admin\\w*|administrator\\w*|elevat\\w*)';
const NO_ADMIN: readonly RegExp[] = [
  new RegExp(
    `\\b(?:no|not|without|lack\\w*|never)\\b(?:\\s+[^\\s,.;!?]+){0,4}?\\s+(?:an?\\s+)?(?:local\\s+)?${ADMIN_WORD}`,
  ),
  /(?:管理者|アドミン|admin)[^\s、。,.!?！？]{0,6}?(?:権限)?[がはも]?(?:ありません|ない|なし|持っていません|持ってない|持っておりません)|権限[がはも]?(?:ありません|ない|なし)/u,
  /(?<!\p{L})(?:нет|без|не)\s+(?:\p{L}+\s+){0,2}?(?:прав(?:а|ами|ах)?(?!\p{L})|админ\p{L}*)|(?<!\p{L})(?:прав(?:а|ами|ах)?|админ\p{L}*)(?!\p{L})(?:\s+\p{L}+){0,3}\s+нет(?!\p{L})/u,
];
const ADMIN: readonly RegExp[] = [
  new RegExp(
    `\\b(?:i am|i'm|im)\\s+(?:an?\\s+)?(?:local\\s+)?${ADMIN_WORD}|\\b(?:have|got)\\s+(?:local\\s+)?${ADMIN_WORD}`,
  ),
  /(?:管理者|アドミン)\S*?(?:権限)?[がはも]?(?:あります|ある|持っています|持ってます|です)|権限[がはも]?(?:あります|ある)/u,
  /(?<!\p{L})я\s+(?:\p{L}+\s+)?админ\p{L}*|(?:права|админка)\s+(?:\p{L}+\s+){0,2}есть|есть\s+(?:\p{L}+\s+){0,2}(?:права|админ)/u,
];

/** Whether the message says the user can (true) or cannot (false) run things as administrator. */
export function readAdminRights(text: string): boolean | null {
  const words = plainWords(text);
  if (UNSURE.test(words)) return null;
  if (NO_ADMIN.some((p) => p.test(words))) return false;
  if (ADMIN.some((p) => p.test(words))) return true;
  return null;
}

/** Free text about the open step that is no outcome. */
export type StepTalk = 'safety' | 'explain' | 'ack' | 'done';

const SAFETY =
  /\b(?:safe|risk\w*|dangerous|lose|delete|harm\w*|break)\b|安全|危険|大丈夫|消え(?:ます|る|ない)|リスク|壊れ|безопас|опасн|риск|слома|потеря|удалит|пропадут/u;
const EXPLAIN =
  /\bwhat does (?:this|that|it) mean\b|\bwhat (?:is|does) (?:this|that|it)\b|\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b|\bwhy\b|\bwhere (?:do|is|can)\b|\b(?:do not|can not) understand\b|\bexplain\b|\bconfus\w*|どういう意味|意味が|どうやって|どうすれば|どうやる|やり方|方法が|なぜ|どこに|どこで|分かりにく|わかりにく|説明|что это значит|что значит|что это|(?<!\p{L})как (?:это )?(?:сделать|делать|открыть|найти)|(?<!\p{L})(?:зачем|почему|где)(?!\p{L})|не понима|не понял|объясн/u;
const ACK = new Set([
  'ok',
  'okay',
  'k',
  'got it',
  'will do',
  'thanks',
  'thank you',
  'thx',
  "i'll try",
  'let me try',
  'trying',
  'on it',
  'one moment',
  'wait',
  '了解',
  '了解です',
  '了解しました',
  'わかりました',
  '分かりました',
  '承知しました',
  'やってみます',
  '試してみます',
  'ありがとう',
  'ありがとうございます',
  '少々お待ちください',
  'ок',
  'окей',
  'хорошо',
  'понял',
  'поняла',
  'ясно',
  'спасибо',
  'попробую',
  'сейчас попробую',
  'подождите',
  'ладно',
]);
const DONE = new Set([
  'done',
  'did it',
  'i did it',
  'i did that',
  'finished',
  'やりました',
  'しました',
  '完了',
  '完了しました',
  '終わりました',
  'できました',
  'сделал',
  'сделала',
  'сделано',
  'готово',
  'выполнил',
  'выполнила',
]);

/** A question about the open step, an acknowledgement ("ok", 「やってみます」) or "done"; null otherwise. */
export function readStepTalk(text: string): StepTalk | null {
  const words = plainWords(text)
    .replace(/[\s!.。!、,…)(]+$/u, '')
    .replace(/(?<=\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana})[ねよ]$/u, '');
  if (ACK.has(words)) return 'ack';
  if (DONE.has(words)) return 'done';
  if (SAFETY.test(words)) return 'safety';
  if (EXPLAIN.test(words)) return 'explain';
  return null;
}

/** Words that put what was done before now ("already", "earlier", 「もう」「済み」, "уже", "раньше"). */
const BEFORE_NOW =
  /\b(?:already|earlier|before|previously|yesterday|last (?:week|time))\b|もう|既に|すでに|済み|済|前に|昨日|(?<!\p{L})(?:уже|раньше|ранее|вчера|до этого)(?!\p{L})/u;

/**
 * Whether the message says the action was done before now ("I already restarted"), not just now
 * ("restarted", 「再起動しました」, "перезагрузил"): only the former tells that it did not help.
 */
export function saysDoneBefore(text: string): boolean {
  return BEFORE_NOW.test(plainWords(text));
}
