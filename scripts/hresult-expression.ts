/**
 * The value of a `#define` body: a small C constant-expression evaluator over names defined earlier.
 *
 * Value forms handled (the ones the headers actually use):
 *   #define ERROR_FILE_NOT_FOUND __MSABI_LONG(2)          plain Win32 number (also `2L`, `2`)
 *   #define WU_E_NO_SERVICE _HRESULT_TYPEDEF_(0x80240001L) HRESULT
 *   #define S_FALSE ((HRESULT)0x00000001)                 HRESULT via cast
 *   #define WSAEINTR (WSABASEERR + 4)                      arithmetic on earlier names
 *   #define E_NOT_SUFFICIENT_BUFFER HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)
 *   #define ERROR_NO_DRIVER_SELECTED (APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR|0x203)
 *                                                         SetupAPI; HRESULT_FROM_SETUPAPI → 0x800F0203
 * Function-like macros, string literals and anything else that does not evaluate are skipped.
 */
import { hresultFromSetupapi, hresultFromWin32, u32 } from './hresult-codes';
import { type Token, tokenize } from './hresult-expression-tokens';
import { extractDefines } from './hresult-header-defines';

/** `hresult`: typed as an HRESULT (`_HRESULT_TYPEDEF_`, `(HRESULT)` cast, `HRESULT_FROM_*`); else `plain`. */
export type ValueKind = 'hresult' | 'plain';

export interface EvaluatedDefine {
  name: string;
  /** Unsigned 32-bit value. */
  value: number;
  kind: ValueKind;
  /** The body is just another name (`#define DNS_ERROR_NO_MEMORY ERROR_OUTOFMEMORY`). */
  alias: boolean;
  line: number;
}

/** Names already known when evaluating (e.g. from winnt.h), name → value. */
export type SymbolTable = Map<string, { value: number; kind: ValueKind }>;

/** Type names that may appear in casts: `(HRESULT)0x…`, `(unsigned long)…`. */
const CAST_TYPES = new Set([
  'HRESULT',
  'SCODE',
  'NTSTATUS',
  'LONG',
  'ULONG',
  'DWORD',
  'UINT',
  'INT',
  'int',
  'long',
  'short',
  'unsigned',
  'signed',
  '__LONG32',
]);
const HRESULT_TYPES = new Set(['HRESULT', 'SCODE']);

/** Wrapper macros that just return their argument (optionally marking it as an HRESULT). */
const IDENTITY_MACROS: Record<string, ValueKind | null> = {
  __MSABI_LONG: null,
  _HRESULT_TYPEDEF_: 'hresult',
  _NDIS_ERROR_TYPEDEF_: null,
};

class HeaderEvalError extends Error {}

interface Value {
  v: number;
  hresult: boolean;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly symbols: SymbolTable,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.pos !== this.tokens.length) throw new HeaderEvalError('trailing tokens');
    return v;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private isOp(v: string, offset = 0): boolean {
    const tok = this.peek(offset);
    return tok?.t === 'op' && tok.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new HeaderEvalError(`expected ${v}`);
    this.pos += 1;
  }

  private binary(next: () => Value, ops: Record<string, (a: number, b: number) => number>): Value {
    let left = next();
    for (;;) {
      const tok = this.peek();
      const fn = tok?.t === 'op' ? ops[tok.v] : undefined;
      if (!fn) return left;
      this.pos += 1;
      const right = next();
      left = { v: u32(fn(left.v, right.v)), hresult: left.hresult || right.hresult };
    }
  }

  private or = (): Value => this.binary(this.xor, { '|': (a, b) => a | b });
  private xor = (): Value => this.binary(this.and, { '^': (a, b) => a ^ b });
  private and = (): Value => this.binary(this.shift, { '&': (a, b) => a & b });
  private shift = (): Value =>
    this.binary(this.additive, { '<<': (a, b) => a << b, '>>': (a, b) => a >>> b });
  private additive = (): Value => this.binary(this.unary, { '+': (a, b) => a + b, '-': (a, b) => a - b });

  private unary = (): Value => {
    if (this.isOp('-')) {
      this.pos += 1;
      const v = this.unary();
      return { v: u32(-v.v), hresult: v.hresult };
    }
    if (this.isOp('~')) {
      this.pos += 1;
      const v = this.unary();
      return { v: u32(~v.v), hresult: v.hresult };
    }
    return this.primary();
  };

  /** `(TYPE [TYPE…])` followed by an operand. Returns the number of type tokens, or 0. */
  private castLength(): number {
    if (!this.isOp('(')) return 0;
    let n = 0;
    for (;;) {
      const tok = this.peek(1 + n);
      if (tok?.t === 'id' && CAST_TYPES.has(tok.v)) n += 1;
      else break;
    }
    if (n === 0 || !this.isOp(')', 1 + n)) return 0;
    const after = this.peek(2 + n);
    const startsOperand =
      after !== undefined && (after.t !== 'op' || after.v === '(' || after.v === '-' || after.v === '~');
    return startsOperand ? n : 0;
  }

  private primary(): Value {
    const cast = this.castLength();
    if (cast > 0) {
      const types = this.tokens.slice(this.pos + 1, this.pos + 1 + cast).map((t) => t.v as string);
      this.pos += cast + 2;
      const v = this.unary();
      return { v: v.v, hresult: v.hresult || types.some((t) => HRESULT_TYPES.has(t)) };
    }
    const tok = this.peek();
    if (!tok) throw new HeaderEvalError('unexpected end');
    if (tok.t === 'num') {
      this.pos += 1;
      return { v: u32(tok.v), hresult: false };
    }
    if (tok.t === 'op' && tok.v === '(') {
      this.pos += 1;
      const v = this.or();
      this.expectOp(')');
      return v;
    }
    if (tok.t === 'id') {
      this.pos += 1;
      if (this.isOp('(')) return this.call(tok.v);
      const sym = this.symbols.get(tok.v);
      if (!sym) throw new HeaderEvalError(`unknown name ${tok.v}`);
      return { v: sym.value, hresult: sym.kind === 'hresult' };
    }
    throw new HeaderEvalError(`unexpected ${tok.v}`);
  }

  private call(name: string): Value {
    this.expectOp('(');
    const args: Value[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) {
        this.pos += 1;
        args.push(this.or());
      }
    }
    this.expectOp(')');
    const [a, b, c] = args;
    if (name in IDENTITY_MACROS && args.length === 1 && a) {
      return { v: a.v, hresult: a.hresult || IDENTITY_MACROS[name] === 'hresult' };
    }
    if ((name === 'HRESULT_FROM_WIN32' || name === '__HRESULT_FROM_WIN32') && args.length === 1 && a) {
      return { v: hresultFromWin32(a.v), hresult: true };
    }
    if (name === 'HRESULT_FROM_SETUPAPI' && args.length === 1 && a) {
      return { v: hresultFromSetupapi(a.v), hresult: true };
    }
    if ((name === 'MAKE_HRESULT' || name === 'MAKE_SCODE') && args.length === 3 && a && b && c) {
      return { v: u32((a.v << 31) | (b.v << 16) | c.v), hresult: true };
    }
    throw new HeaderEvalError(`unsupported macro ${name}`);
  }
}

/** Value of one `#define` body, or null when it is not a constant expression this parser knows. */
export function evaluateExpression(
  body: string,
  symbols: SymbolTable = new Map(),
): { value: number; kind: ValueKind } | null {
  if (body === '') return null;
  const tokens = tokenize(body);
  if (!tokens || tokens.length === 0) return null;
  try {
    const v = new Parser(tokens, symbols).parse();
    return { value: v.v, kind: v.hresult ? 'hresult' : 'plain' };
  } catch (err) {
    if (err instanceof HeaderEvalError) return null;
    throw err;
  }
}

/**
 * Evaluates a header's defines in order. Each evaluated name is added to `symbols` (first definition
 * wins, as with `#ifndef` guards), so later defines and later headers can refer to it.
 */
export function evaluateHeader(text: string, symbols: SymbolTable = new Map()): EvaluatedDefine[] {
  const out: EvaluatedDefine[] = [];
  for (const d of extractDefines(text)) {
    const r = evaluateExpression(d.body, symbols);
    if (!r) continue;
    if (!symbols.has(d.name)) symbols.set(d.name, r);
    out.push({
      name: d.name,
      value: r.value,
      kind: r.kind,
      alias: /^[A-Za-z_][A-Za-z0-9_]*$/.test(d.body),
      line: d.line,
    });
  }
  return out;
}
