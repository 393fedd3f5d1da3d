import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadKb } from '../../rules/kb/load';
import * as schema from '../../rules/kb/schema';
import {
  dayOf,
  type OsQuery,
  type ServicingState,
  servicingNotice,
  servicingStatus,
} from '../../rules/servicing';
import { LOCALES } from '../../rules/vocabulary';

/** The real releases table: through loadKb, or straight from the file when the KB is mid-edit elsewhere. */
function loadReleases(): schema.Release[] {
  try {
    return loadKb().releases;
  } catch {
    const file = path.resolve(__dirname, '../../rules/kb/releases.json');
    return z.array(schema.release).parse(JSON.parse(readFileSync(file, 'utf8')));
  }
}

const releases = loadReleases();
const TODAY = new Date('2026-12-05T09:00:00Z');
const day = (iso: string, hour = 12) => new Date(`${iso}T${String(hour).padStart(2, '0')}:00:00Z`);
/** The calendar day before/after an ISO date. */
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000);

describe('servicing: the releases table', () => {
  it('is not empty and every release cites an https page and has real dates', () => {
    assert.ok(releases.length >= 20);
    for (const r of releases) {
      assert.match(r.source.url, /^https:\/\/(learn|support)\.microsoft\.com\//, `build ${r.build}`);
      assert.ok(r.source.title.length > 0);
      const dates = [r.end.homePro, r.end.enterprise, r.esu?.end ?? null].filter((d) => d !== null);
      for (const d of dates) {
        assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(dayOf(new Date(`${d}T00:00:00Z`)), d, `build ${r.build}: ${d} is a real date`);
      }
    }
  });

  it('ends servicing on Patch Tuesdays (second Tuesday), Enterprise never before Home/Pro', () => {
    for (const r of releases) {
      for (const d of [r.end.homePro, r.end.enterprise, r.esu?.end ?? null]) {
        if (d === null) continue;
        const date = new Date(`${d}T00:00:00Z`);
        assert.equal(date.getUTCDay(), 2, `build ${r.build}: ${d} is a Tuesday`);
        assert.ok(
          date.getUTCDate() >= 8 && date.getUTCDate() <= 14,
          `build ${r.build}: ${d} is the 2nd Tuesday`,
        );
      }
      if (r.end.homePro && r.end.enterprise) assert.ok(r.end.enterprise >= r.end.homePro, `build ${r.build}`);
      if (r.esu && r.end.enterprise)
        assert.ok(r.esu.end > r.end.enterprise, `build ${r.build}: ESU after the end`);
      if (r.esu) assert.match(r.esu.source.url, /^https:\/\/learn\.microsoft\.com\//);
    }
  });

  it('offers ESU only for Windows 10 22H2 and Windows 7 SP1', () => {
    const withEsu = releases.filter((r) => r.esu !== null).map((r) => r.build);
    assert.deepEqual(withEsu.sort(), [19045, 7601]);
  });

  it('rejects a date that does not exist and a bare-string source', () => {
    const ok = releases.find((r) => r.build === 22631);
    assert.ok(ok);
    assert.equal(schema.release.safeParse(ok).success, true);
    assert.equal(
      schema.release.safeParse({ ...ok, end: { ...ok.end, homePro: '2025-02-30' } }).success,
      false,
    );
    assert.equal(schema.release.safeParse({ ...ok, source: 'Microsoft Learn' }).success, false);
  });
});

describe('servicing: status on 2026-12-05', () => {
  const cases: [string, OsQuery, ServicingState, string | null][] = [
    ['Windows 10 22H2 by version', { family: 'windows-10', version: '22H2' }, 'esu-only', '2025-10-14'],
    ['Windows 10 22H2 by build only', { build: '19045.6456' }, 'esu-only', '2025-10-14'],
    ['Windows 10 22H2 by numeric build', { build: 19045 }, 'esu-only', '2025-10-14'],
    ['Windows 10 21H2', { family: 'windows-10', version: '21H2' }, 'ended', '2023-06-13'],
    ['Windows 10 family only', { family: 'windows-10' }, 'esu-only', '2025-10-14'],
    [
      'Windows 7 SP1 (ESU over too)',
      { family: 'windows-7', version: 'SP1', build: '7601' },
      'ended',
      '2020-01-14',
    ],
    ['Windows 7 family only', { family: 'windows-7' }, 'ended', '2020-01-14'],
    ['Windows 8.1 family only', { family: 'windows-8.1' }, 'ended', '2023-01-10'],
    ['Windows 8.1 by build', { build: '9600' }, 'ended', '2023-01-10'],
    ['Windows 11 21H2', { family: 'windows-11', version: '21H2' }, 'ended', '2023-10-10'],
    ['Windows 11 22H2 by build', { build: '22621.4317' }, 'ended', '2024-10-08'],
    [
      'Windows 11 23H2 by ver line build',
      { family: 'windows-11', build: '22631.4460' },
      'ended',
      '2025-11-11',
    ],
    ['Windows 11 24H2 (Home/Pro date)', { family: 'windows-11', version: '24H2' }, 'ended', '2026-10-13'],
    ['Windows 11 25H2', { family: 'windows-11', version: '25H2', build: null }, 'serviced', '2027-10-12'],
    ['Windows 11 26H2 (no date announced)', { build: '26300' }, 'serviced', null],
    ['Windows 11 family only', { family: 'windows-11' }, 'unknown', null],
    ['"22H2" without a family is ambiguous', { version: '22H2' }, 'unknown', null],
    ['a build the table does not know', { family: 'windows-11', build: '26120' }, 'unknown', null],
    ['a version the table does not know', { family: 'windows-10', version: '19H2' }, 'unknown', null],
    ['nothing at all', {}, 'unknown', null],
  ];
  for (const [name, os, state, endDate] of cases) {
    it(name, () => {
      const status = servicingStatus(releases, os, TODAY);
      assert.equal(status.state, state);
      assert.equal(status.endDate, endDate);
    });
  }

  it('reports both edition dates and the release it found from a build', () => {
    const status = servicingStatus(releases, { build: '22631.4460' }, TODAY);
    assert.deepEqual(status.ends, { homePro: '2025-11-11', enterprise: '2026-11-10' });
    assert.equal(status.family, 'windows-11');
    assert.equal(status.version, '23H2');
    assert.equal(status.esuEnd, null);
  });

  it('a build wins over a contradicting version', () => {
    const status = servicingStatus(
      releases,
      { family: 'windows-11', version: '25H2', build: '22631' },
      TODAY,
    );
    assert.equal(status.version, '23H2');
    assert.equal(status.state, 'ended');
  });

  it('null OS and an invalid date are unknown', () => {
    assert.equal(servicingStatus(releases, null, TODAY).state, 'unknown');
    assert.equal(servicingStatus(releases, { build: '19045' }, new Date('nonsense')).state, 'unknown');
  });
});

describe('servicing: boundaries and editions', () => {
  it('is serviced through the end date and ended the day after (Windows 11 23H2 Home/Pro)', () => {
    const os = { build: '22631' };
    assert.equal(servicingStatus(releases, os, shift('2025-11-11', -1)).state, 'serviced');
    assert.equal(servicingStatus(releases, os, day('2025-11-11', 23)).state, 'serviced');
    assert.equal(servicingStatus(releases, os, shift('2025-11-11', 1)).state, 'ended');
  });

  it('23H2 Enterprise is serviced until 2026-11-10 and ended on 2026-12-05 too', () => {
    const os = { family: 'windows-11' as const, version: '23H2' };
    assert.equal(servicingStatus(releases, os, day('2026-11-10'), 'enterprise').state, 'serviced');
    assert.equal(servicingStatus(releases, os, shift('2026-11-10', 1), 'enterprise').state, 'ended');
    const now = servicingStatus(releases, os, TODAY, 'enterprise');
    assert.equal(now.state, 'ended');
    assert.equal(now.endDate, '2026-11-10');
    assert.equal(now.enterpriseServicedUntil, null);
  });

  it('24H2: Home/Pro ended, Enterprise still serviced, unknown edition says both', () => {
    const os = { family: 'windows-11' as const, version: '24H2' };
    assert.equal(servicingStatus(releases, os, TODAY, 'homePro').state, 'ended');
    const enterprise = servicingStatus(releases, os, TODAY, 'enterprise');
    assert.equal(enterprise.state, 'serviced');
    assert.equal(enterprise.endDate, '2027-10-12');
    const unknownEdition = servicingStatus(releases, os, TODAY);
    assert.equal(unknownEdition.state, 'ended');
    assert.equal(unknownEdition.edition, null);
    assert.equal(unknownEdition.enterpriseServicedUntil, '2027-10-12');
  });

  it('Windows 10 22H2: serviced, then ESU only, then ended after the ESU end', () => {
    const os = { build: '19045' };
    assert.equal(servicingStatus(releases, os, day('2025-10-14')).state, 'serviced');
    assert.equal(servicingStatus(releases, os, shift('2025-10-14', 1)).state, 'esu-only');
    const esu = servicingStatus(releases, os, TODAY).esuEnd;
    assert.ok(esu);
    assert.equal(servicingStatus(releases, os, day(esu)).state, 'esu-only');
    assert.equal(servicingStatus(releases, os, shift(esu, 1)).state, 'ended');
  });

  it('a family is known only once its last version has ended', () => {
    const os = { family: 'windows-10' as const };
    assert.equal(servicingStatus(releases, os, day('2025-10-14')).state, 'unknown');
    assert.equal(servicingStatus(releases, os, shift('2025-10-14', 1)).state, 'esu-only');
  });
});

describe('servicing: notice', () => {
  it('is null when serviced or unknown', () => {
    for (const locale of LOCALES) {
      assert.equal(servicingNotice(servicingStatus(releases, { build: '26200' }, TODAY), locale), null);
      assert.equal(servicingNotice(servicingStatus(releases, { family: 'windows-11' }, TODAY), locale), null);
    }
  });

  it('says the version, the localized end date, the upgrade and IT, in every locale', () => {
    const status = servicingStatus(releases, { build: '22631.4460' }, TODAY);
    const expected = {
      ja: ['Windows 11 23H2', '2025年11月11日', 'Windows 11', '担当者'],
      en: ['Windows 11 23H2', 'November 11, 2025', 'supported Windows 11', 'technician'],
      ru: ['Windows 11 23H2', '11 ноября 2025', 'Windows 11', 'специалисту'],
    } as const;
    for (const locale of LOCALES) {
      const text = servicingNotice(status, locale);
      assert.ok(text, locale);
      for (const part of expected[locale]) assert.ok(text.includes(part), `${locale}: ${part} in ${text}`);
      assert.ok(!text.includes('ESU'), `${locale}: no ESU offered for Windows 11`);
      assert.ok(
        text.split(/(?<! г)[.。](?:\s|$)/u).filter((s) => s.trim()).length <= 2,
        `${locale}: at most 2 sentences`,
      );
    }
  });

  it('mentions ESU and its end date for Windows 10 22H2', () => {
    const status = servicingStatus(releases, { family: 'windows-10', version: '22H2' }, TODAY);
    const en = servicingNotice(status, 'en');
    assert.ok(en?.includes('ESU') && en.includes('October 14, 2025') && en.includes('2028'));
    assert.ok(servicingNotice(status, 'ja')?.includes('ESU'));
    assert.ok(servicingNotice(status, 'ru')?.includes('ESU'));
  });

  it('mentions the Enterprise/Education date only while it still holds and the edition is unknown', () => {
    const os = { family: 'windows-11' as const, version: '24H2' };
    assert.ok(servicingNotice(servicingStatus(releases, os, TODAY), 'en')?.includes('Enterprise'));
    assert.ok(servicingNotice(servicingStatus(releases, os, TODAY), 'ja')?.includes('2027年10月12日'));
    assert.ok(
      !servicingNotice(servicingStatus(releases, os, TODAY, 'homePro'), 'en')?.includes('Enterprise'),
    );
    const later = servicingStatus(releases, os, shift('2027-10-12', 1));
    assert.ok(!servicingNotice(later, 'en')?.includes('Enterprise'));
  });
});
