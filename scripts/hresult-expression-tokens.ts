/** Splitting a `#define` body into the tokens the expression parser (hresult-expression.ts) reads. */

export type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPERATORS = ['<<', '>>', '|', '&', '^', '+', '-', '~', '(', ')', ','];

/** The tokens of a `#define` body; null when it holds something that is not a constant expression. */
export function tokenize(body: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)/.exec(body.slice(i));
    if (num?.[1]) {
      const text = num[1];
      const v = /^0[xX]/.test(text) ? Number.parseInt(text.slice(2), 16) : Number.parseInt(text, 10);
      if (!Number.isFinite(v) || v > 0xffffffff) return null;
      tokens.push({ t: 'num', v });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
    if (id) {
      tokens.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => body.startsWith(o, i));
    if (!op) return null;
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
  return tokens;
}
