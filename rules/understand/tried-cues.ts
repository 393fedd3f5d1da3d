/**
 * Words around a mention of something the user may have done that say whether it was done: "already",
 * "didn't help", "済み", "しても", "пробовал" (done); "haven't", "まだ…していません", "ещё не" (not done);
 * "should I", "how do I", "したほうがいいですか", "как" (a question or a plan, not done).
 * Each table is one pattern with the groups `neg`, `hyp` and `done`; at one position the earlier
 * group wins ("したほうが" is a question even though it starts with "した").
 */

const EN_LETTER = '\\p{Script=Latin}';
const en = (s: string) => `(?<![${EN_LETTER}'])(?:${s})(?![${EN_LETTER}])`;
const ru = (s: string) => `(?<!\\p{Script=Cyrillic})(?:${s})(?!\\p{Script=Cyrillic})`;

/** Russian past-tense verbs of doing ("делал", "запускала", "почистили"). */
const RU_DONE_VERBS =
  '(?:по|с|за|вы|про|у|пере|о)?(?:пробова|дела|запуска|запусти|выполня|выполни|стави|чисти|удаля|удали|переименова|сбрасыва|сброси|откатыва|откати|скачива|скача|установи|устанавлива|прогоня|прогна|синхронизирова|выставля|выстави|жа|нажима)л(?:а|и|ся|ась|ись)?';

const group = (name: string, parts: string[]) => `(?<${name}>${parts.join('|')})`;

/** Cues before a mention; the nearest one counts. */
export const LEFT_CUES = new RegExp(
  [
    group('neg', [
      // a negated doing verb is one negation, not a "done" after a "not": "haven't tried", "не пробовал"
      en(
        "(?:haven'?t|have\\snot|hasn'?t|has\\snot|hadn'?t|didn'?t|did\\snot|never)\\s(?:(?:yet|even|ever|really|actually)\\s)?(?:tried|try|ran|run|done|do|used|use|performed|perform|applied|apply)",
      ),
      ru(`(?:(?:ещё|еще|пока|никогда|так\\sи)\\s)?не\\s${RU_DONE_VERBS}`),
      en(
        "haven'?t|have\\snot|hasn'?t|has\\snot|hadn'?t|didn'?t|did\\snot|don'?t|do\\snot|not\\syet|never|not|without|can'?t|cannot|couldn'?t|won'?t|unable\\sto",
      ),
      'まだ',
      ru('(?:ещё|еще|пока|никогда|так\\sи)\\sне|не|нет'),
    ]),
    group('hyp', [
      en(
        'should|shall|how|can\\si|could\\si|do\\si|may\\si|need\\sto|needs\\sto|have\\sto|has\\sto|want\\sto|going\\sto|will|would|please|pls|plz|try|maybe|whether|if|is\\sit|what\\sabout|let\\sme|instructions|steps\\sto',
      ),
      'どうやって|どうすれば',
      ru(
        'как|нужно|надо|стоит|можно|ли|помогите|подскажите|если|попробуйте|попробовать|хочу|буду|собираюсь|чтобы',
      ),
    ]),
    group('done', [
      en(
        "already|alr|tried|ran|did|done|performed|executed|used|applied|installed|downloaded|renamed|deleted|removed|cleared|emptied|wiped|flushed|restored|rolled\\sback|after|even|(?:have|'ve|has|had)\\s(?:\\p{L}+\\s)?(?:run|reset|set)|(?:i|we)\\s(?:also\\s|just\\s|then\\s|even\\s)?(?:reset|set|put)",
      ),
      'もう|既に|すでに|一応',
      ru(`уже|после|даже|${RU_DONE_VERBS}`),
    ]),
  ].join('|'),
  'giu',
);

/** Cues after a mention; the first one counts. */
export const RIGHT_CUES = new RegExp(
  [
    group('hyp', [
      '^\\s?\\?',
      'した(?:ほう|方)が|したい|しようと|すべき|したら(?:いい|良い|よい)|すれば|して(?:ください|下さい|もらえ|ほしい|欲しい)|(?:の\\s?)?(?:やり方|方法|手順)|どうやって',
    ]),
    group('neg', [
      en("not\\syet|not\\sdone|not\\stried|hasn'?t\\sbeen|wasn'?t\\s(?:done|run)"),
      '(?:し|やっ|試し|実行し)て(?:い)?(?:ない|ません)|(?:し|やら|試さ)(?:ない|なかった|ません)|まだ|未実施',
      // before the "done" of "実施" and "2回" at the same place: "実施していません", "1回もしていない"
      '実施\\s?(?:し\\s?て\\s?(?:い|お(?:り)?)?\\s?(?:ない|ません|らず)|し(?:ない|なかった|ません)|せず)|(?<!\\d)1\\s?回\\s?も',
      ru(
        `(?:ещё|еще|пока)\\sнет|не\\s${RU_DONE_VERBS}|не\\s(?:перезагружа|перезагрузи|переустанавлива|переустанови)л\\p{L}*`,
      ),
    ]),
    group('done', [
      // a count or an arrow to the result right after the mention: "reboot x2", "再起動×2回", "再起動→NG"
      '^\\s?[x×]\\s?[1-9](?![\\p{L}\\p{N}])',
      '^\\s?(?:→|->|=>)\\s?(?:NG|ダメ|だめ|駄目|変化なし|変わらず|同じ|解決せず|失敗|same|no\\s(?:luck|change)|fail|не\\sпомог|безрезультатн)',
      en(
        "did\\s?n[o']?t\\s(?:help|work|fix|change|solve|do)|does\\s?n[o']?t\\s(?:help|work|fix)|no\\s(?:luck|change|effect|help|difference)|ran|was\\srun|twice|thrice|several\\stimes|multiple\\stimes|many\\stimes|a\\sfew\\stimes|\\d+\\stimes|already|done|renamed|deleted|removed|cleared|emptied|wiped|flushed|reset|synced|completed|finished|same\\s(?:error|result|thing|code)|still\\s(?:fails|failing|the\\ssame|get|getting|no|shows?|there)|to\\sno\\savail|was\\s(?:useless|no\\sgood)",
      ),
      // "再インストールもダメ", "再起動でも直らない", "再起動では直りません": tried, and it did not help
      '^\\s?(?:でも|では|も)\\s?(?:NG|ダメ|だめ|駄目|効果\\s?(?:が\\s?)?(?:なし|無し|ない|なかった|ありません)|変わ(?:らない|らず|りません|らなかった)|変化\\s?(?:なし|無し|がない)|(?:直|治)(?:らない|らず|りません|らなかった)|(?:解決|解消)(?:しない|せず|しません|しなかった))',
      // "sfc実施", "2回" (but not "実施してください", which the hyp group takes first at that position)
      '実施(?!\\s?(?:し(?:て(?:ください|下さい|ほしい|欲しい|もらえ)|たほう|た方|たい|よう)|する|予定|すべき|方法|手順))|\\d\\s?回',
      '^(?:た|ました|ても|てみ)(?![いらろ])|済|ずみ|しました|した(?![いらろ])|やりました|やった|やってみ|試し|ためし|実行し|ても|たけど|たが|ました|[っれせけえめべねいきりみちびん]た(?![いらろ])|もう',
      ru(
        `не\\sпомог\\p{L}*|уже|(?:два|три|пару|несколько|много|\\d+)\\sраз\\p{L}*|дважды|трижды|без\\sтолку|без\\sрезультат\\p{L}*|бесполезн\\p{L}*|безрезультатн\\p{L}*|ничего\\sне\\sдал\\p{L}*|не\\sдал\\p{L}*|не\\sисправил\\p{L}*|не\\sрешил\\p{L}*|${RU_DONE_VERBS}`,
      ),
    ]),
  ].join('|'),
  'iu',
);

/** A past form inside the mention itself: "rebooted", "ran", "перезагружал", "переустанавливала". */
export const PAST_IN_MENTION = new RegExp(
  [
    `(?<=\\p{Script=Latin}{2})ed(?![${EN_LETTER}])`,
    en('ran|did|done|rebuilt'),
    '(?<=\\p{Script=Cyrillic}{3})(?:л|ла|ли|ло|лся|лась|лись|лось)(?!\\p{Script=Cyrillic})',
  ].join('|'),
  'iu',
);
