/**
 * KB article numbers: "KB5065687", "kb 5065687", "KB-5065687", "КВ5065687" (Cyrillic К and В,
 * already mapped to Latin in the `latin` view, except a lowercase "в" which is matched here).
 */
import type { Span } from './normalize';

const KB = /(?<![\p{L}\p{N}_])[kK][bBв][\s\-#:]{0,2}(\d{6,8})(?!\d)/gu;

export interface KbFindings {
  kb: string[];
  spans: Span[];
}

export function findKbNumbers(latin: string): KbFindings {
  const kb: string[] = [];
  const spans: Span[] = [];
  for (const m of latin.matchAll(KB)) {
    const id = `KB${m[1]}`;
    if (!kb.includes(id)) kb.push(id);
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return { kb, spans };
}
