import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KbInvalidError } from '../../rules/errors';
import { checkKb, DEFAULT_KB_DIR, loadKb } from '../../rules/kb/load';
import type { Rule, Step } from '../../rules/kb/schema';
import { CONTEXTS } from '../../rules/vocabulary';

const SEEDS = path.resolve(__dirname, '../../../shared/seeds');

function copyKb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'winfix-kb-'));
  cpSync(DEFAULT_KB_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  return dir;
}

function edit<T>(file: string, change: (items: T[]) => void): void {
  const items = JSON.parse(readFileSync(file, 'utf8')) as T[];
  change(items);
  writeFileSync(file, JSON.stringify(items));
}

const messages = (dir: string, seedsDir: string | null = null) =>
  checkKb(dir, { seedsDir }).problems.map((p) => `${p.where}: ${p.message}`);

describe('knowledge base', () => {
  it('passes every check, seeds included', () => {
    assert.deepEqual(messages(DEFAULT_KB_DIR, SEEDS), []);
  });

  it('covers the codes and contexts the seeds describe', () => {
    const kb = loadKb();
    for (const code of [
      '0x80070002',
      '0x80070003',
      '0x80070103',
      '0x80070001',
      '0x81000037',
      '0x80070057',
      '0x8007000d',
      '0x800f0922',
      '0x800f0831',
    ])
      assert.ok(kb.errors.has(code), `${code} is in the KB`);
    const contexts002 = new Set(kb.contexts.filter((c) => c.code === '0x80070002').map((c) => c.context));
    for (const context of ['windows-update', 'windows-setup', 'microsoft-store', 'outlook', 'iis'] as const)
      assert.ok(contexts002.has(context), `0x80070002 in ${context}`);
    const backup = new Set(kb.contexts.filter((c) => c.context === 'backup-restore').map((c) => c.code));
    for (const code of ['0x80070001', '0x81000037', '0x80070003'])
      assert.ok(backup.has(code), `${code} in backup`);
    const subcodes = new Set([...kb.errors.values()].flatMap((e) => (e.subcodes ?? []).map((s) => s.code)));
    for (const sub of ['0x20007', '0x2000d', '0x20009', '0x3000d', '0x3001a', '0x4000d', '0xa001b'])
      assert.ok(subcodes.has(sub), `extend code ${sub}`);
    const used = new Set(kb.contexts.map((c) => c.context));
    for (const context of CONTEXTS)
      if (context !== 'sccm') assert.ok(used.has(context), `context ${context} used`);
  });

  it('never binds a destructive step to a runbook and keeps them in the last tier', () => {
    const kb = loadKb();
    for (const id of ['reset-this-pc', 'clean-install', 'system-restore']) {
      const step = kb.steps.get(id);
      assert.ok(step, id);
      assert.equal(step.runbook, null, `${id} is never remote`);
      assert.equal(step.tier, 6, `${id} is destructive`);
    }
  });

  describe('finds what is wrong', () => {
    let dir: string;
    beforeEach(() => {
      dir = copyKb();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a broken link, an orphan, a bad runbook binding and an untranslated text', () => {
      edit<Step>(path.join(dir, 'steps', 'general.json'), (steps) => {
        const [first, second] = steps as [Step, Step];
        first.next.failure = 'no-such-step';
        first.title.ja = 'Restart the PC';
        second.runbook = { name: 'Reset-UpdateCache', parameters: { IncludeCatroot2: 'Maybe' } };
        steps.push({ ...second, id: 'lonely-step', runbook: null });
      });
      const found = messages(dir);
      assert.ok(
        found.some((m) => m.includes('links to unknown step no-such-step')),
        found.join('\n'),
      );
      assert.ok(found.some((m) => m.includes('IncludeCatroot2=Maybe is not one of Yes, No')));
      assert.ok(found.some((m) => m.startsWith('step lonely-step: orphan')));
      assert.ok(found.some((m) => m.includes('ja text has no Japanese')));
      assert.throws(
        () => loadKb(dir),
        (e: unknown) => e instanceof KbInvalidError && e.problems.length >= 4,
      );
    });

    it('a rule on an unknown fact or step, a missing locale, an unknown seed', () => {
      edit<Rule>(path.join(dir, 'rules', 'update.json'), (rules) => {
        const [first] = rules as [Rule];
        rules.push({
          ...first,
          name: 'typo-rule',
          conditions: { all: [{ fact: 'freeDiskGB', operator: 'lessThan', value: 5 }] },
          event: { type: 'promote', params: { step: 'ghost-step' } },
          sources: [{ seed: '999_0000000000000000.txt', quote: 'anything' }],
        });
      });
      edit<Step>(path.join(dir, 'steps', 'update.json'), (steps) => {
        delete (steps[0] as { why: Partial<Step['why']> }).why.ru;
      });
      const found = messages(dir);
      assert.ok(found.includes('rule typo-rule: unknown fact "freeDiskGB"'), found.join('\n'));
      assert.ok(found.includes('rule typo-rule: event names unknown step ghost-step'));
      assert.ok(found.includes('rule typo-rule: cites unknown seed 999_0000000000000000.txt'));
      assert.ok(found.some((m) => m.startsWith('steps/update.json[0]') && m.includes('why.ru')));
    });

    it('a quote that is not in its seed, and a bare seed name with no quote', () => {
      edit<Step>(path.join(dir, 'steps', 'update.json'), (steps) => {
        const step = steps[0] as Step;
        step.sources = [{ seed: '000_8f8a3640d8fa376f.txt', quote: 'net stop everything-at-once' }];
        (steps[1] as { sources: unknown }).sources = ['000_8f8a3640d8fa376f.txt'];
      });
      const found = messages(dir, SEEDS);
      const first = JSON.parse(readFileSync(path.join(dir, 'steps', 'update.json'), 'utf8'))[0].id;
      assert.ok(
        found.includes(
          `step ${first}: quote "net stop everything-at-once" is not in 000_8f8a3640d8fa376f.txt`,
        ),
        found.join('\n'),
      );
      assert.ok(
        found.some((m) => m.startsWith('steps/update.json[1]') && m.includes('sources.0')),
        found.join('\n'),
      );
      // The same quote with other line breaks and spaces is found: whitespace is normalised.
      edit<Step>(path.join(dir, 'steps', 'update.json'), (steps) => {
        (steps[0] as Step).sources = [{ seed: '000_8f8a3640d8fa376f.txt', quote: 'net stop\n   usosvc' }];
      });
      assert.ok(!messages(dir, SEEDS).some((m) => m.startsWith(`step ${first}: quote`)));
    });

    it('a seed changed or added after the KB was built', () => {
      const seeds = mkdtempSync(path.join(tmpdir(), 'winfix-seeds-'));
      cpSync(SEEDS, seeds, { recursive: true });
      writeFileSync(path.join(seeds, '000_8f8a3640d8fa376f.txt'), 'changed');
      writeFileSync(path.join(seeds, '005_0123456789abcdef.txt'), 'new');
      const found = messages(dir, seeds);
      rmSync(seeds, { recursive: true, force: true });
      assert.ok(
        found.includes('seeds.json: 000_8f8a3640d8fa376f.txt changed since the KB was built (hash differs)'),
      );
      assert.ok(found.includes('seeds.json: seed 005_0123456789abcdef.txt is not listed (not yet reviewed)'));
    });

    it('a file that is not JSON', () => {
      writeFileSync(path.join(dir, 'rules', 'broken.json'), '{ not json');
      assert.throws(() => checkKb(dir), /rules\/broken\.json is not valid JSON/);
    });
  });
});
