import assert from 'node:assert/strict';
import {
  decodeHresult,
  describeSetupResult,
  describeUnknown,
  SETUP_CATEGORIES,
} from '../../rules/hresult/decode';
import { setupResultsTable } from '../../rules/hresult/setup';
import { LOCALES } from '../../rules/vocabulary';

const table = setupResultsTable();
const ALLOWED_HOSTS = /^https:\/\/(learn|support)\.microsoft\.com\//;

describe('Windows Setup result codes (0xC190xxxx)', () => {
  it('lists the codes people bring to the helpdesk', () => {
    const codes = new Set(table.results.map((r) => r.code));
    for (const c of [
      '0xc1900101',
      '0xc1900107',
      '0xc1900200',
      '0xc1900201',
      '0xc1900202',
      '0xc1900204',
      '0xc1900208',
      '0xc190020e',
      '0xc1900210',
    ]) {
      assert.ok(codes.has(c), c);
    }
    assert.equal(codes.size, table.results.length, 'no code twice');
  });

  for (const entry of table.results) {
    it(`${entry.code} decodes to facility SETUP with a meaning and next step in ja/en/ru`, () => {
      const d = decodeHresult(entry.code);
      assert.equal(d.kind, 'setup');
      assert.deepEqual(d.facility, { number: 0x190, name: 'SETUP' });
      assert.doesNotMatch(d.facility.name, /UNKNOWN/);
      assert.equal(d.name, entry.name);
      const texts = LOCALES.map((l) => {
        const s = describeSetupResult(entry.code, l);
        assert.ok(s, `${entry.code} ${l}`);
        assert.equal(s.category, entry.category);
        assert.ok(SETUP_CATEGORIES.includes(s.category));
        assert.ok(s.meaning.length > 15 && s.nextAction.length > 15, `${entry.code} ${l}`);
        assert.ok(s.sources.length > 0);
        return `${s.meaning}|${s.nextAction}`;
      });
      assert.equal(new Set(texts).size, 3, `${entry.code}: the three locales differ`);
      assert.match(describeSetupResult(entry.code, 'ja')?.meaning ?? '', /[ぁ-んァ-ン]/);
      assert.match(describeSetupResult(entry.code, 'ru')?.meaning ?? '', /[а-яё]/i);
      for (const l of LOCALES) {
        const text = describeUnknown(d, l);
        assert.ok(text.includes(describeSetupResult(entry.code, l)?.meaning ?? '?'), `${entry.code} ${l}`);
        assert.doesNotMatch(text, /UNKNOWN_400/);
      }
    });
  }

  it('0xC1900101 is a driver rollback, 0xC190020E a disk-space block, 0xC1900208 an incompatible app', () => {
    assert.equal(describeSetupResult('0xC1900101', 'en')?.category, 'driver-rollback');
    assert.equal(describeSetupResult('0xC190020E', 'en')?.category, 'disk-space');
    assert.equal(describeSetupResult('0xC1900208', 'en')?.category, 'incompatible-app');
    assert.equal(describeSetupResult('0xC1900107', 'en')?.category, 'pending-cleanup');
    assert.equal(describeSetupResult('c1900200', 'en')?.category, 'requirements');
    assert.equal(describeSetupResult(0xc1900101, 'ja')?.name, 'MOSETUP_E_SETUP_PLATFORM');
  });

  it('an unlisted 0xC190xxxx code still says it is a Windows Setup result and points to the logs', () => {
    const listed = new Set(table.results.map((r) => r.code));
    const code = ['0xc19001ff', '0xc1900777', '0xc190fffe'].find((c) => !listed.has(c));
    assert.ok(code);
    const d = decodeHresult(code);
    assert.equal(d.kind, 'setup');
    assert.equal(d.facility.name, 'SETUP');
    assert.equal(d.name, null);
    const en = describeSetupResult(code, 'en');
    assert.equal(en?.category, 'setup-logs');
    assert.match(describeUnknown(d, 'en'), /Windows Setup/);
    assert.match(describeUnknown(d, 'ja'), /Windows セットアップ/);
    assert.match(describeUnknown(d, 'ru'), /установки Windows/);
    assert.match(describeUnknown(d, 'en'), /SetupDiag/);
  });

  it('codes outside 0xC190xxxx are not Setup results', () => {
    for (const c of ['0x80070002', '0xc0000005', '0xc1420127', '0xc1800118', '0x81900101']) {
      assert.equal(describeSetupResult(c, 'en'), null, c);
      assert.notEqual(decodeHresult(c).kind, 'setup', c);
    }
  });

  it('every category in use has a next action in every locale, and every category is used or is the fallback', () => {
    const used = new Set(table.results.map((r) => r.category));
    for (const cat of SETUP_CATEGORIES) {
      for (const l of LOCALES) assert.ok(table.categories[cat].nextAction[l].length > 15, `${cat} ${l}`);
      assert.ok(used.has(cat) || cat === 'setup-logs', `${cat} is never used`);
    }
  });
});

describe('Setup citations', () => {
  it('every URL citation is on learn.microsoft.com or support.microsoft.com, with a title', () => {
    const all = [
      ...table.facility.sources,
      ...Object.values(table.categories).flatMap((c) => c.sources),
      ...table.results.flatMap((r) => r.sources),
    ];
    assert.ok(all.length > table.results.length);
    for (const s of all) {
      assert.match(s.url, ALLOWED_HOSTS, s.url);
      assert.ok(s.title.trim().length > 5, s.url);
    }
  });

  it('the descriptions carry those citations through', () => {
    for (const l of LOCALES) {
      for (const s of describeSetupResult('0xc1900101', l)?.sources ?? []) assert.match(s.url, ALLOWED_HOSTS);
    }
    assert.ok((describeSetupResult('0xc1900101', 'en')?.sources.length ?? 0) >= 2);
  });
});
