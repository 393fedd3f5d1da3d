/**
 * Renders a triage result as readable text for the terminal, in the result's locale: names, not ids
 * (the context's label, "Windows 11 23H2"), and each setup extend code with its meaning.
 */
import { createTranslator } from '../bot/i18n/translator';
import { describeOs } from '../bot/os-choices';
import { formatCitation } from '../rules/kb/citations';
import type { TriageResult } from '../rules/triage';
import type { Locale } from '../rules/vocabulary';

const LABELS = {
  en: {
    noCode:
      'I found no error code in that. Send the code Windows showed (for example 0x80070002), where it appeared (Windows Update, Store, Outlook, backup …) and your Windows version (run `winver`).',
    context: 'Where',
    os: 'Windows',
    unknown: 'not given',
    missing: 'Please also tell me',
    missingItems: {
      code: 'the error code',
      context: 'where the error appeared',
      os: 'your Windows version (run `winver`)',
    },
    plan: 'What to try, in order',
    family: (code: string, name: string, what: string) =>
      `${code}: no specific guidance for this code; these steps are for its family, ${name}: ${what}`,
    generic: (code: string, where: string) =>
      `${code}: no specific guidance for this code in ${where}; these are the general safe steps there.`,
    noPlan: 'No plan yet: tell me where the error appeared.',
    risk: { low: 'low risk', medium: 'medium risk', high: 'high risk' },
    remote: 'can run remotely',
    sources: 'sources',
  },
  ja: {
    noCode:
      'エラーコードが見つかりませんでした。表示されたコード (例: 0x80070002)、発生した場面 (Windows Update、ストア、Outlook、バックアップなど)、Windows のバージョン (`winver` で確認) を送ってください。',
    context: '発生場面',
    os: 'Windows',
    unknown: '未指定',
    missing: '次の情報も教えてください',
    missingItems: {
      code: 'エラーコード',
      context: 'エラーが出た場面',
      os: 'Windows のバージョン (`winver` で確認)',
    },
    plan: '試す順番',
    family: (code: string, name: string, what: string) =>
      `${code}: このコードの個別の情報はありません。以下は、このコードが属する ${name} のグループ向けの手順です。${what}`,
    generic: (code: string, where: string) =>
      `${code}: ${where} でのこのコードの個別の情報はありません。以下は ${where} で一般的に安全な手順です。`,
    noPlan: 'まだ手順を決められません。エラーが出た場面を教えてください。',
    risk: { low: 'リスク低', medium: 'リスク中', high: 'リスク高' },
    remote: 'リモート実行可',
    sources: '出典',
  },
  ru: {
    noCode:
      'Код ошибки не найден. Пришлите код, который показала Windows (например 0x80070002), где он появился (Центр обновления, Store, Outlook, архивация …) и версию Windows (команда `winver`).',
    context: 'Где',
    os: 'Windows',
    unknown: 'не указано',
    missing: 'Сообщите ещё',
    missingItems: {
      code: 'код ошибки',
      context: 'где появилась ошибка',
      os: 'версию Windows (команда `winver`)',
    },
    plan: 'Что попробовать по порядку',
    family: (code: string, name: string, what: string) =>
      `${code}: отдельных рекомендаций для этого кода нет; ниже шаги для группы ошибок ${name}, к которой он относится: ${what}`,
    generic: (code: string, where: string) =>
      `${code}: отдельных рекомендаций для этого кода в разделе «${where}» нет; ниже общие безопасные шаги для него.`,
    noPlan: 'Плана пока нет: напишите, где появилась ошибка.',
    risk: { low: 'низкий риск', medium: 'средний риск', high: 'высокий риск' },
    remote: 'можно выполнить удалённо',
    sources: 'источники',
  },
} as const satisfies Record<Locale, unknown>;

const translator = createTranslator();

/**
 * Says what the plan rests on when it is not the code's own guidance: the family the code belongs to
 * (a code the base does not list, in a range it knows) or the general safe steps of the context.
 */
function planBasis(result: TriageResult, where: string): string | null {
  const t = LABELS[result.locale];
  const code = result.codes[0]?.code;
  if (!code || result.plan.length === 0) return null;
  if (result.guidance === 'family' && result.family)
    return t.family(code, result.family.name, result.family.label);
  if (result.guidance === 'generic' && result.context) return t.generic(code, where);
  return null;
}

export function renderTriage(result: TriageResult): string {
  const t = LABELS[result.locale];
  const lines: string[] = [];
  if (result.codes.length === 0 && result.subcodes.length === 0) lines.push(t.noCode);
  for (const c of result.codes) {
    const first = c === result.codes[0];
    const extra =
      result.subcodes.length > 0 && first ? ` + ${result.subcodes.map((s) => s.code).join(', ')}` : '';
    lines.push(`${c.code}${extra} ${c.name ?? ''} (${c.facility})`.replace(/ +/g, ' '), `  ${c.meaning}`);
    if (first) for (const sub of result.subcodes) lines.push(`  ${sub.meaning}`);
  }
  if (result.codes.length === 0) for (const sub of result.subcodes) lines.push(sub.meaning);
  const os = result.os ? describeOs(result.os) : t.unknown;
  const context = result.context ? translator.t(result.locale, `context.${result.context}`) : t.unknown;
  lines.push(
    `${t.context}: ${context} · ${t.os}: ${os}${result.kb.length ? ` · ${result.kb.join(', ')}` : ''}`,
  );
  const missing = result.missing.filter(
    (m) => m !== 'code' || result.codes.length > 0 || result.subcodes.length > 0,
  );
  if (missing.length > 0) lines.push(`${t.missing}: ${missing.map((m) => t.missingItems[m]).join('; ')}`);
  const basis = planBasis(result, context);
  if (result.codes.length > 0 || result.plan.length > 0) {
    lines.push('');
    if (basis) lines.push(basis);
    lines.push(result.plan.length > 0 ? `${t.plan}:` : t.noPlan);
    result.plan.forEach((s, i) => {
      const tags = [t.risk[s.risk], s.runbook ? `${t.remote} (${s.runbook})` : null]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `${String(i + 1).padStart(2)}. ${s.title} [${tags}]  (${t.sources}: ${s.sources.map(formatCitation).join('; ')})`,
      );
      // A step measured outcomes moved says so, with the counts behind it.
      if (s.order === 'outcomes' && s.measured)
        lines.push(`    ↕ ${translator.t(result.locale, 'step.learned', { ...s.measured })}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
