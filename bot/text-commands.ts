/**
 * Matchers for what a user types instead of pressing a button, in ja, en and ru: commands that work at
 * any point (help, start over, back, technician, language), and typed answers (outcomes, yes/no,
 * "I don't know"). Commands match the whole message; asking for a person also matches inside a sentence.
 */
import type { Locale } from '../rules/vocabulary';

export type Command = 'help' | 'start-over' | 'back' | 'human';

/** Lowercase NFKC, trimmed, inner spaces collapsed, trailing punctuation and 「で」/「でお願いします」 dropped. */
export function normalizeCommand(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s!?.。!?、,…]+$/u, '')
    .replace(/(?:で(?:お願いします|おねがいします)?|でお願い)$/u, '')
    .trim();
}

const COMMANDS: Record<Exclude<Command, 'human'>, readonly string[]> = {
  help: [
    'help',
    '/help',
    '?',
    'menu',
    'ヘルプ',
    '助けて',
    '使い方',
    'помощь',
    'справка',
    '/помощь',
    'помоги',
  ],
  'start-over': [
    'start over',
    'restart',
    'reset',
    '/reset',
    '/start',
    'start again',
    'new',
    '最初から',
    'やり直し',
    'やりなおし',
    '最初からやり直す',
    'リセット',
    'заново',
    'сначала',
    'начать заново',
    'начать сначала',
    'сброс',
  ],
  back: [
    'back',
    '/back',
    'go back',
    'previous',
    '戻る',
    'もどる',
    '前へ',
    '前に戻る',
    '一つ前',
    'назад',
    'вернуться',
    'вернуться назад',
  ],
};

const HUMAN = new RegExp(
  [
    '(?<![a-z])(?:human|technician|tech support|operator|agent|real person|a person|someone from it)(?![a-z])',
    '担当者|人間|オペレーター|技術者|サポート担当|人と話',
    '(?<!\\p{L})(?:оператор|человек|техник|специалист|сотрудник)\\p{L}*',
  ].join('|'),
  'iu',
);

export function matchCommand(text: string): Command | null {
  const normalized = normalizeCommand(text);
  for (const [command, words] of Object.entries(COMMANDS) as [Command, readonly string[]][])
    if (words.includes(normalized)) return command;
  return HUMAN.test(normalized) ? 'human' : null;
}

const LANGUAGES: Record<Locale, readonly string[]> = {
  ja: [
    '日本語',
    'にほんご',
    'japanese',
    'in japanese',
    'nihongo',
    '/lang ja',
    'lang ja',
    'по-японски',
    'японский',
  ],
  en: [
    'english',
    'in english',
    '英語',
    'えいご',
    '/lang en',
    'lang en',
    'по-английски',
    'английский',
    'на английском',
  ],
  ru: [
    'russian',
    'in russian',
    'ロシア語',
    '/lang ru',
    'lang ru',
    'по-русски',
    'русский',
    'на русском',
    'порусски',
  ],
};

/** A language command: the locale asked for, "ask" for a bare "/lang", or null. */
export function matchLanguageCommand(text: string): Locale | 'ask' | null {
  const normalized = normalizeCommand(text);
  if (normalized === '/lang' || normalized === '/language') return 'ask';
  for (const [locale, words] of Object.entries(LANGUAGES) as [Locale, readonly string[]][])
    if (words.includes(normalized)) return locale;
  return null;
}

export type TypedOutcome = 'fixed' | 'didnt-help' | 'skipped';

/** Negative answers first: "не помогло" contains "помогло". */
const OUTCOMES: [TypedOutcome, readonly string[]][] = [
  [
    'didnt-help',
    [
      "didn't help",
      'didnt help',
      'did not help',
      'not fixed',
      'still broken',
      'no luck',
      "doesn't work",
      'still failing',
      '解決しない',
      '解決しません',
      '直らない',
      '直らなかった',
      '直りません',
      'だめ',
      'ダメ',
      'だめでした',
      'ダメでした',
      '効果なし',
      'не помогло',
      'не получилось',
      'не работает',
      'не исправилось',
    ],
  ],
  [
    'skipped',
    [
      'skip',
      'skip it',
      'next',
      'スキップ',
      '飛ばす',
      '次',
      '次へ',
      'пропустить',
      'пропуск',
      'дальше',
      'следующий',
    ],
  ],
  [
    'fixed',
    [
      'fixed',
      'fixed it',
      "it's fixed",
      'it worked',
      'worked',
      'works now',
      'solved',
      'resolved',
      '解決した',
      '解決しました',
      '解決',
      '直った',
      '直りました',
      '治った',
      'помогло',
      'заработало',
      'исправлено',
      'получилось',
      'решено',
    ],
  ],
];

export function matchOutcome(text: string): TypedOutcome | null {
  const normalized = normalizeCommand(text);
  for (const [outcome, words] of OUTCOMES) if (words.includes(normalized)) return outcome;
  return null;
}

const YES = [
  'yes',
  'y',
  'yeah',
  'yep',
  'ok',
  'okay',
  'sure',
  'はい',
  'うん',
  'お願いします',
  'ええ',
  'да',
  'ага',
  'конечно',
  'давай',
  'давайте',
];
const NO = [
  'no',
  'n',
  'nope',
  'not now',
  'いいえ',
  'いや',
  'いえ',
  '結構です',
  'нет',
  'не надо',
  'не сейчас',
];

/** Words after a leading yes that turn it into a no or a "yes, but". */
const TAKEN_BACK =
  /\b(?:no|not|nope|but|don't|do not|never|later)\b|(?<!\p{L})(?:нет|не|но|потом)(?!\p{L})|いいえ|いや|でも|けど|ない|ません|後で/u;

/**
 * Yes or no, alone or leading a sentence ("yes please", "はい、お願いします", "да, давай", "no, continue");
 * "no idea" is not a no.
 */
export function matchYesNo(text: string): boolean | null {
  const normalized = normalizeCommand(text);
  if (YES.includes(normalized)) return true;
  if (NO.includes(normalized)) return false;
  if (matchDontKnow(text)) return null;
  const first = normalized.split(/[\s,、。!.!]+/u)[0] ?? '';
  if (first === normalized) return null;
  // A yes that the rest takes back ("да нет, не надо", "ok, but not now", 「はい、でも今はできません」) is none.
  if (YES.includes(first)) return TAKEN_BACK.test(normalized.slice(first.length)) ? null : true;
  if (NO.includes(first)) return false;
  return null;
}

const DONT_KNOW = [
  "i don't know",
  'i dont know',
  "don't know",
  'dont know',
  'not sure',
  'no idea',
  'unknown',
  'わからない',
  '分からない',
  'わかりません',
  '分かりません',
  '不明',
  'не знаю',
  'неизвестно',
  'без понятия',
  'idk',
  'dunno',
  "i'm not sure",
  'im not sure',
  'よくわからない',
  'よく分からない',
  'よくわかりません',
  'よく分かりません',
  'わからないです',
  '分からないです',
  'よくわからないです',
  'よく分からないです',
  'не уверен',
  'не уверена',
  'понятия не имею',
  'хз',
];

export function matchDontKnow(text: string): boolean {
  return DONT_KNOW.includes(normalizeCommand(text));
}

const GREETINGS = [
  'hi',
  'hello',
  'hey',
  'good morning',
  'good afternoon',
  'hi there',
  'こんにちは',
  'こんばんは',
  'おはよう',
  'おはようございます',
  'はじめまして',
  'привет',
  'здравствуйте',
  'добрый день',
  'доброе утро',
  'добрый вечер',
];

/** A bare greeting, as opposed to a message that describes a problem. */
export function matchGreeting(text: string): boolean {
  return GREETINGS.includes(normalizeCommand(text));
}
