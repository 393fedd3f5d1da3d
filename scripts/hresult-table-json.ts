/** The generated table files' JSON, written so that the same tables always give the same bytes. */

/**
 * Deterministic JSON: `"_source"` first, then the entries sorted by key (numeric keys numerically,
 * "0x…" keys by value), one per line.
 */
export function renderTable(source: string, entries: Map<number, string> | Map<string, string>): string {
  const rows = [...(entries as Map<number | string, string>).entries()].map(
    ([k, v]) => [typeof k === 'number' ? k : Number.parseInt(k, 16), String(k), v] as const,
  );
  rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const lines = [`  "_source": ${JSON.stringify(source)}`];
  for (const [, key, value] of rows) lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
