/**
 * How people name each thing they may already have done, in English, Japanese and Russian. A mention
 * alone does not count: tried.ts also needs the sense of "already done" (a past form, "already",
 * "didn't help", "済み", "しても", "пробовал", "не помогла") and no negation or question around it.
 */
import type { Tried } from '../vocabulary';
import type { Phrases } from './phrases';

export const TRIED_PHRASES: Readonly<Record<Tried, Phrases>> = {
  restart: {
    en: [
      're-?boot\\p{L}*',
      'restart\\p{L}*',
      'power[\\s-]?cycl\\p{L}*',
      'turn\\p{L}*\\sit\\soff\\sand\\s(?:back\\s)?on',
    ],
    ja: ['再起動', 'リブート', '再始動'],
    ru: ['перезагру\\p{L}*', 'перезапус\\p{L}*', 'ребут\\p{L}*'],
  },
  troubleshooter: {
    en: ['troubleshoot\\p{L}*'],
    ja: ['トラブル\\s?シューティング(?:\\s?ツール)?', 'トラブルシューター'],
    ru: [
      '(?:средств\\p{L}*\\s)?(?:устранени\\p{L}*|диагностик\\p{L}*)\\sнеполад\\p{L}*',
      'траблшутер\\p{L}*',
    ],
  },
  'cache-reset': {
    en: [
      'software\\s?distribution(?:\\sfolder)?',
      'catroot2',
      '(?:windows\\s)?(?:update|wu|download)\\scache',
      'update\\scomponents',
    ],
    ja: ['(?<!ストア\\s?(?:の\\s?)?)キャッシュ', 'software\\s?distribution'],
    ru: ['(?:кэш|кеш)\\p{L}*(?!\\s(?:магазин|store))', 'software\\s?distribution'],
  },
  'sfc-dism': {
    en: [
      'sfc(?:\\s?/\\s?scannow)?',
      'scannow',
      // the whole command as pasted: "DISM /Online /Cleanup-Image /RestoreHealth"
      'dism(?:\\.exe)?(?:\\s?/\\s?online)?(?:\\s?/\\s?cleanup-image)?(?:\\s?/\\s?(?:restore|scan|check)health)?',
      'system\\sfile\\schecker',
    ],
    ja: ['システム\\s?ファイル\\s?チェッカー'],
    ru: [],
  },
  wsreset: {
    en: ['wsreset(?:\\.exe)?', '(?:microsoft\\s|ms\\s)?store\\scache'],
    ja: ['ストア\\s?(?:の\\s?)?キャッシュ'],
    ru: ['(?:кэш|кеш)\\p{L}*\\s(?:магазин\\p{L}*|store)'],
  },
  reinstall: {
    en: ['re-?install\\p{L}*'],
    ja: ['再インストール', '入れ直', 'インストールし直'],
    ru: ['переустан\\p{L}*', 'переустав\\p{L}*'],
  },
  'manual-install': {
    en: [
      'manually',
      'by\\shand',
      '(?:microsoft\\s)?update\\scatalog',
      'the\\scatalog',
      'standalone\\s(?:installer|package)',
    ],
    ja: ['手動で?', '(?:update\\s|更新\\s?)?カタログ'],
    ru: ['вручную', 'руками', '(?:из\\s)?каталог\\p{L}*'],
  },
  'pause-resume': {
    en: [
      'paus\\p{L}*(?:\\sand\\sresum\\p{L}*)?(?:\\s(?:the\\s)?updates?)?',
      'resum\\p{L}*\\s(?:the\\s)?updates?',
    ],
    ja: ['一時停止', '(?:更新|アップデート)\\s?(?:を|の)?\\s?再開'],
    ru: ['приостан\\p{L}*', 'пауз\\p{L}*', 'возобнов\\p{L}*'],
  },
  'clean-boot': {
    en: ['clean[\\s-]?boot\\p{L}*'],
    ja: ['クリーン\\s?ブート'],
    ru: ['чист\\p{L}*\\sзагрузк\\p{L}*'],
  },
  'disk-cleanup': {
    en: [
      'disk\\sclean[\\s-]?up',
      'cleanmgr(?:\\.exe)?',
      'clean\\p{L}*\\sup\\s(?:the\\s)?disk',
      'free\\p{L}*\\sup\\s(?:some\\s)?(?:disk\\s)?space',
    ],
    ja: ['ディスク\\s?(?:の\\s?)?クリーンアップ', '空き\\s?容量\\s?(?:を\\s?)?(?:増や|確保)'],
    ru: [
      'очистк\\p{L}*\\sдиск\\p{L}*',
      '(?:по)?чистил\\p{L}*\\sдиск\\p{L}*',
      'освобод\\p{L}*\\s(?:\\p{L}+\\s)?(?:мест\\p{L}*|диск\\p{L}*)',
    ],
  },
  clock: {
    en: [
      '(?:sync\\p{L}*|synchroni[sz]\\p{L}*|set|fix\\p{L}*|correct\\p{L}*|adjust\\p{L}*)\\s(?:the\\s|my\\s)?(?:pc\\s|system\\s)?(?:time|clock|date)',
      '(?:time|clock)\\s(?:sync\\p{L}*|synchroni[sz]\\p{L}*)',
    ],
    ja: ['(?:時刻|時計|日時|時間)\\s?(?:を|の)?\\s?(?:合わせ|同期|修正|直し|調整|設定し直)'],
    ru: [
      '(?:синхронизир\\p{L}*|выставл\\p{L}*|выстав\\p{L}*|поправ\\p{L}*|исправ\\p{L}*|настро\\p{L}*)\\s(?:\\p{L}+\\s)?(?:врем\\p{L}*|час(?:ы|ах)(?!\\p{L})|дат\\p{L}*)',
      '(?:врем\\p{L}*|час(?:ы|ах))\\s(?:синхронизир\\p{L}*|выставл\\p{L}*|выстав\\p{L}*)',
    ],
  },
  'system-restore': {
    en: ['system\\srestore', 'restore\\spoints?', 'rstrui(?:\\.exe)?'],
    ja: ['システム\\s?(?:の\\s?)?復元', '復元\\s?ポイント'],
    ru: ['восстановлени\\p{L}*\\sсистем\\p{L}*', 'точк\\p{L}*\\sвосстановлени\\p{L}*', 'откат\\p{L}*'],
  },
};
