import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import * as schema from '../../rules/kb/schema';
import { createUnderstander, MAX_ANALYSED_CHARS } from '../../rules/understand';
import { capText } from '../../rules/understand/limits';

// Read the releases table directly (not the whole KB, which may be mid-edit elsewhere).
const releases = z
  .array(schema.release)
  .parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../rules/kb/releases.json'), 'utf8')));
const understand = createUnderstander({ aliases: {}, releases });

/** Milliseconds per call over one run of calls repeated until `budget` ms have passed. */
function oneRun(text: string, budget: number): number {
  let calls = 0;
  const start = performance.now();
  let now = start;
  do {
    understand(text);
    calls++;
    now = performance.now();
  } while (now - start < budget);
  return (now - start) / calls;
}

/**
 * Milliseconds per call for each text, the fastest of seven runs, the texts measured in turn so that a
 * burst of load from other processes falls on both. The minimum, not the median: other processes only
 * ever add time, so the fastest run is the closest to the cost of the code itself.
 */
function msPerCall(...texts: string[]): number[] {
  const fastest = texts.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < 7; r++)
    texts.forEach((text, i) => {
      fastest[i] = Math.min(fastest[i] ?? Number.POSITIVE_INFINITY, oneRun(text, 15));
    });
  return fastest;
}

/** `unit` repeated to exactly `length` characters. */
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Texts that made patterns backtrack: no spaces, a repeated "a.", Japanese, digits, keywords over and over. */
const ADVERSARIAL = [
  'あ',
  'a.',
  '1',
  '0x',
  '0x8',
  'aaaa',
  '再起動',
  'キャッシュ',
  'restart ',
  'перезагрузка',
  '\\\\a',
  'intel ',
  'pst',
  'build ',
  'windows ',
  'a\\',
  '.msi',
  'ーー',
  '-',
  ' ',
];

describe('understand: limits', () => {
  before(() => {
    // warm the patterns up so the first measurement is not the compiler's
    for (const unit of ADVERSARIAL) understand(fill(unit, 2000));
  });

  it('reads the first MAX_ANALYSED_CHARS characters and says the rest was cut', () => {
    const code = '0x80070003';
    const long = `${'a '.repeat(MAX_ANALYSED_CHARS)}${code}`;
    const u = understand(long);
    assert.equal(u.truncated, true);
    assert.deepEqual(u.codes, []);
    const short = understand(`${'a '.repeat(100)}${code}`);
    assert.equal(short.truncated, false);
    assert.deepEqual(short.codes, [code]);
  });

  it('is not truncated at exactly the limit', () =>
    assert.equal(understand(fill('a', MAX_ANALYSED_CHARS)).truncated, false));

  it('never cuts a surrogate pair in half', () => {
    const capped = capText(`a${'😀'.repeat(10)}`, 4);
    assert.equal(capped.text, 'a😀');
    assert.equal(capped.truncated, true);
  });

  it('caps again after NFKC, which can lengthen text', () => {
    // U+FDFA (one character) becomes 18 letters under NFKC
    const u = understand('\ufdfa'.repeat(MAX_ANALYSED_CHARS));
    assert.equal(u.truncated, true);
  });

  it('never throws on any Unicode text up to 100 KB', function () {
    this.timeout(60_000);
    const lengths: number[] = [];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100_000, size: 'max' }), (text) => {
        lengths.push(text.length);
        const u = understand(text);
        assert.equal(u.truncated, text.length > MAX_ANALYSED_CHARS);
      }),
      { numRuns: 10 },
    );
    // the generator does reach long texts, past the cap
    assert.ok(Math.max(...lengths) > MAX_ANALYSED_CHARS, `longest ${Math.max(...lengths)}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            '0x8007000',
            '3',
            ' ',
            '再起動',
            'した',
            '?',
            '-0x4000d',
            'windows 11 ',
            'KB',
            '50',
            '.',
          ),
          { maxLength: 3000 },
        ),
        (parts) => {
          understand(parts.join(''));
        },
      ),
      { numRuns: 50 },
    );
  });

  for (const unit of ADVERSARIAL) {
    it(`costs at most 15× for 10× the text of ${JSON.stringify(unit)}`, function () {
      this.timeout(30_000);
      // Load from other processes only ever adds time, and on a busy machine it falls unevenly on the
      // two sizes; so measure again (up to five times) before calling it superlinear. A quadratic
      // pattern costs ~100× for 10× the text and fails every attempt.
      const seen: string[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const [small = 0, large = 0] = msPerCall(fill(unit, 700), fill(unit, 7000));
        seen.push(`700 chars: ${small.toFixed(3)} ms, 7000 chars: ${large.toFixed(3)} ms`);
        if (large <= small * 15) return;
      }
      assert.fail(`more than 15× for 10× the text, every time: ${seen.join('; ')}`);
    });
  }

  it('reads a 100 KB adversarial paste at the cost of a few KB (well under a second)', function () {
    this.timeout(30_000);
    for (const unit of ['あ', 'a.', '再起動', 'intel ']) {
      const [anchor = 0, paste = 0] = msPerCall(fill(unit, 1000), fill(unit, 100_000));
      // the cap makes the paste cost about as much as MAX_ANALYSED_CHARS (8× the anchor), not 100×
      assert.ok(paste <= anchor * 20, `${unit}: 1 KB ${anchor.toFixed(3)} ms, 100 KB ${paste.toFixed(3)} ms`);
    }
  });
});
