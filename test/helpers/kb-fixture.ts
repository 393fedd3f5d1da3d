/** Builds small in-memory knowledge bases for tests of the planner and graph mechanisms. */
import { type KnowledgeBase, knowledgeBaseOf } from '../../rules/kb/load';
import type { Localized, Rule, Step } from '../../rules/kb/schema';

export const text = (en: string): Localized => ({ ja: `テスト ${en}`, en, ru: `тест ${en}` });

export function step(
  id: string,
  tier: number,
  next: Partial<Step['next']> = {},
  extra: Partial<Step> = {},
): Step {
  return {
    id,
    title: text(id),
    why: text(`why ${id}`),
    instructions: { ja: ['手順'], en: ['do it'], ru: ['сделать'] },
    commands: [],
    risk: 'low',
    tier,
    admin: false,
    reboot: false,
    minutes: 5,
    os: ['windows-7', 'windows-8.1', 'windows-10', 'windows-11'],
    runbook: null,
    next: { success: 'done', failure: 'handoff', ...next },
    part: 'employee',
    sources: [{ seed: '004_545216fe780b5e1b.txt', quote: '0x80070002' }],
    ...extra,
  };
}

type Condition = Record<string, unknown>;

export function rule(
  name: string,
  all: Condition[],
  type: Rule['event']['type'],
  stepId: string,
  priority?: number,
): Rule {
  return {
    name,
    ...(priority ? { priority } : {}),
    conditions: { all },
    event: { type, params: { step: stepId } },
    sources: [{ seed: '004_545216fe780b5e1b.txt', quote: '0x80070002' }],
  };
}

export const is = (fact: string, value: unknown): Condition => ({ fact, operator: 'equal', value });

export function kbOf(steps: Step[], rules: Rule[], more: Partial<KnowledgeBase> = {}): KnowledgeBase {
  return knowledgeBaseOf({ steps: new Map(steps.map((s) => [s.id, s])), rules, ...more });
}
