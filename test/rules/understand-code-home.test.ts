import assert from 'node:assert/strict';
import { createKnowledge } from '../../rules/knowledge';
import { triage } from '../../rules/triage';
import { createUnderstander } from '../../rules/understand';
import type { Context } from '../../rules/vocabulary';

/**
 * A generic word ("install", "установки", "restore") says little about where an error happened; the
 * code says more when the knowledge base has seen it in one place only. Windows Update itself shows a
 * failed driver update as "Install error - 0x80070103", and people type it without the dash.
 */
describe('understand: a generic word yields to the one place the code is known in', () => {
  const knowledge = createKnowledge();
  const contextOf = (text: string) => knowledge.understand(text).context;

  const cases: [string, Context | null][] = [
    ['install error 0x80070103', 'windows-update'],
    ['Install error - 0x80070103', 'windows-update'],
    ['Install error – 0x80070103', 'windows-update'],
    ['Install error — 0x80070103', 'windows-update'],
    ['インストール エラー 0x80070103', 'windows-update'],
    ['Ошибка установки — 0x80070103', 'windows-update'],
    ['ошибка установки 0x80070103', 'windows-update'],
    // A strong word still names the place, whatever the code.
    ['installing Zoom fails with 0x80070103', 'app-install'],
    ['the installer says 0x80070103', 'app-install'],
    // A code seen in several places: the generic word decides, as before.
    ['0x80070002 when installing', 'app-install'],
    // A code between two words does not join them into one phrase ("install … win10" names Setup).
    ['updates wont install 0x80070003 win10 22H2, already restarted', 'windows-update'],
    ['install Windows 11 fails with 0xC1900101', 'windows-setup'],
  ];
  for (const [text, context] of cases)
    it(`${JSON.stringify(text)} → ${context}`, () => assert.equal(contextOf(text), context));

  it('is the knowledge base that decides: without it the generic word wins', () => {
    const releases = knowledge.kb.releases;
    const bare = createUnderstander({ aliases: {}, releases });
    assert.equal(bare('install error 0x80070103').context, 'app-install');
    const elsewhere = createUnderstander({ aliases: {}, releases, codeHome: () => 'backup-restore' });
    assert.equal(elsewhere('install error 0x80070103').context, 'backup-restore');
    // A message without a code has no home to yield to.
    assert.equal(elsewhere('install fails').context, 'app-install');
  });

  it('gives the seed\'s specific plan for "install error 0x80070103", not the generic install steps', async () => {
    const result = await triage(knowledge, 'install error 0x80070103 on Windows 11', { defaultLocale: 'en' });
    assert.equal(result.context, 'windows-update');
    assert.equal(result.guidance, 'specific');
    assert.ok(
      result.plan.some((s) => s.sources.some((q) => 'seed' in q && q.seed.startsWith('001_'))),
      'a step from the 0x80070103 article (seed 001)',
    );
  });
});
