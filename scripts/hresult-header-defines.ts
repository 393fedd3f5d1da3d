/**
 * Reading a C header the way the preprocessor sees its `#define`s: comments removed (line breaks kept,
 * so line numbers stay right), backslash-continued lines joined, function-like macros left out.
 */

/** One object-like `#define NAME body` after comment stripping and line joining. */
export interface Define {
  name: string;
  body: string;
  /** 1-based line of the `#define` in the header. */
  line: number;
}

/** Removes C comments, keeping line breaks so line numbers stay right. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let inString: '"' | "'" | null = null;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (inString) {
      out += c;
      if (c === '\\' && next !== undefined) {
        out += next;
        i += 2;
        continue;
      }
      if (c === inString || c === '\n') inString = null;
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      inString = c;
      out += c;
      i += 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      i = stop;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Object-like `#define`s in source order (function-like macros such as `FAILED(hr)` are left out). */
export function extractDefines(text: string): Define[] {
  const lines = stripComments(text.replace(/\r\n?/g, '\n')).split('\n');
  const defines: Define[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i] ?? '';
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      logical = `${logical.slice(0, -1)} ${lines[i] ?? ''}`;
    }
    const m = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$/.exec(logical);
    if (!m) continue;
    const [, name, paren, rest] = m;
    if (!name || paren === '(') continue;
    defines.push({ name, body: (rest ?? '').trim(), line: start + 1 });
  }
  return defines;
}
