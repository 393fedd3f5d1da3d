/**
 * The understander's lexicon read straight from the KB's files (releases and the codes it knows), not
 * through the whole KB loader, so understanding tests do not depend on KB content being edited elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as schema from '../../rules/kb/schema';
import type { Lexicon } from '../../rules/understand';

const KB_DIR = path.resolve(__dirname, '../../rules/kb');

export function kbLexicon(): Required<Pick<Lexicon, 'aliases' | 'knownCodes' | 'releases'>> {
  const releases = z
    .array(schema.release)
    .parse(JSON.parse(readFileSync(path.join(KB_DIR, 'releases.json'), 'utf8')));
  const knownCodes = readdirSync(path.join(KB_DIR, 'errors'))
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) =>
      z
        .array(z.object({ code: z.string() }))
        .parse(JSON.parse(readFileSync(path.join(KB_DIR, 'errors', file), 'utf8'))),
    )
    .map((entry) => entry.code);
  return { aliases: {}, knownCodes, releases };
}
