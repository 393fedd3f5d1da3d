/**
 * Pure parsing of the error-code `#define`s in Windows SDK style headers (as shipped by mingw-w64)
 * into name tables. No file system access here: callers pass header text, so every function can be
 * tested on small inline snippets. `scripts/gen-hresult.ts` does the I/O.
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

/** One object-like `#define NAME body` after comment stripping and line joining. */
export interface Define {
  name: string;
  body: string;
  /** 1-based line of the `#define` in the header. */
  line: number;
}

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

export const FACILITY_WIN32 = 7;
export const FACILITY_SETUPAPI = 15;
/** APPLICATION_ERROR_MASK | ERROR_SEVERITY_ERROR (winnt.h): how SetupAPI marks its own error numbers. */
export const SETUPAPI_ERROR_BITS = 0xe0000000;

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

// ---------------------------------------------------------------------------------------------
// Expression evaluation
// ---------------------------------------------------------------------------------------------

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPERATORS = ['<<', '>>', '|', '&', '^', '+', '-', '~', '(', ')', ','];

function tokenize(body: string): Token[] | null {
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

function u32(n: number): number {
  return n >>> 0;
}

/** HRESULT_FROM_WIN32 as in winerror.h: x <= 0 stays, else (x & 0xFFFF) | FACILITY_WIN32 << 16 | 0x80000000. */
export function hresultFromWin32(x: number): number {
  return (x | 0) <= 0 ? u32(x) : u32((x & 0xffff) | (FACILITY_WIN32 << 16) | 0x80000000);
}

/**
 * HRESULT_FROM_SETUPAPI as in the Windows SDK's winerror.h: a SetupAPI error number
 * (APPLICATION_ERROR_MASK | ERROR_SEVERITY_ERROR | n) becomes 0x800F0000 | n; anything else is
 * treated as a Win32 error.
 */
export function hresultFromSetupapi(x: number): number {
  if (u32(x & SETUPAPI_ERROR_BITS) === SETUPAPI_ERROR_BITS) {
    return u32((x & 0xffff) | (FACILITY_SETUPAPI << 16) | 0x80000000);
  }
  return hresultFromWin32(x);
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

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/**
 * What a header contributes:
 * - `context`: only defines names for later headers (winnt.h's APPLICATION_ERROR_MASK …);
 * - `win32`: plain values 0…0xFFFF are Win32 error numbers; HRESULT-typed or 32-bit values are HRESULTs;
 * - `hresult`: HRESULT-typed or 32-bit values are HRESULTs (small plain numbers are ignored);
 * - `setupapi`: values carrying APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR are SetupAPI errors;
 * - `ntstatus`: NTSTATUS values (ntstatus.h). Only informational, warning and error values
 *   (severity bits 30–31 not both 0) are kept: the success values are small numbers
 *   (STATUS_WAIT_2 = 2, STATUS_PENDING = 0x103 …) that must never name an HRESULT or a Win32 error.
 * `winerror.h` is also where the FACILITY_* numbers are read from (`facilities: true`); on an
 * `ntstatus` header the same flag reads ntstatus.h's own FACILITY_* numbers, which are a separate
 * numbering (bits 16–27 of an NTSTATUS).
 */
export type HeaderRole = 'context' | 'win32' | 'hresult' | 'setupapi' | 'ntstatus';

export interface HeaderInput {
  file: string;
  text: string;
  role: HeaderRole;
  /** Only names matching this pattern are taken into the tables (all names still resolve). */
  names?: RegExp;
  /** Read FACILITY_* defines from this header. */
  facilities?: boolean;
}

/** A hand-kept entry that is not in the headers (e.g. CBS_E_* codes). */
export interface ExtraEntry {
  code: string;
  name: string;
  source: string;
}
export interface ExtraFacility {
  number: number;
  name: string;
  source: string;
}
/** A hand-kept Win32 error number the headers lack (e.g. the KTM range, ERROR_RM_NOT_ACTIVE = 6801). */
export interface ExtraWin32 {
  number: number;
  name: string;
  source: string;
}
export interface ExtraData {
  hresult?: ExtraEntry[];
  win32?: ExtraWin32[];
  facilities?: ExtraFacility[];
}

export interface Tables {
  /** Win32 error number → name. */
  win32: Map<number, string>;
  /** "0x…" (lowercase, 8 digits) → name. */
  hresult: Map<string, string>;
  /** "0x800f…" → SetupAPI ERROR_* name. */
  setupapi: Map<string, string>;
  /** Facility number → FACILITY_* name. */
  facilities: Map<number, string>;
  /** "0x…" → NTSTATUS name (STATUS_*, DBG_*, RPC_NT_* …), informational/warning/error values only. */
  ntstatus: Map<string, string>;
  /** NTSTATUS facility number (bits 16–27) → FACILITY_* name from ntstatus.h. */
  ntstatusFacilities: Map<number, string>;
}

/** NTSTATUS severity (bits 30–31) is not STATUS_SEVERITY_SUCCESS. */
export function isNtstatusReportable(value: number): boolean {
  return u32(value) >>> 30 !== 0;
}

/** Names that mark ranges or are not error codes: *_FIRST, *_LAST, *_BASE, *_MASK, guards, … */
export function isTableName(name: string): boolean {
  if (name.startsWith('_')) return false;
  if (/^(FACILITY|SEVERITY)_/.test(name)) return false;
  if (/_(FIRST|LAST|BASE|MASK)$/.test(name) || /BASEERR$/.test(name)) return false;
  return true;
}

/**
 * When two names share a value the first one in header order wins, except that the generic COM
 * names (S_OK, E_FAIL, E_ACCESSDENIED, …) beat subsystem-prefixed ones: 0x00000000 is S_OK rather
 * than SEC_E_OK, which winerror.h happens to define first.
 */
function preferred(existing: string, candidate: string): boolean {
  const generic = (n: string) => /^[ES]_[A-Z0-9_]+$/.test(n);
  return generic(candidate) && !generic(existing);
}

export function formatHresult(value: number): string {
  return `0x${u32(value).toString(16).padStart(8, '0')}`;
}

function put<K>(map: Map<K, string>, key: K, name: string): void {
  const existing = map.get(key);
  if (existing === undefined || preferred(existing, name)) map.set(key, name);
}

export function buildTables(headers: HeaderInput[], extra: ExtraData = {}): Tables {
  const symbols: SymbolTable = new Map();
  const tables: Tables = {
    win32: new Map(),
    hresult: new Map(),
    setupapi: new Map(),
    facilities: new Map(),
    ntstatus: new Map(),
    ntstatusFacilities: new Map(),
  };
  for (const h of headers) {
    for (const d of evaluateHeader(h.text, symbols)) {
      if (h.facilities && /^FACILITY_[A-Z0-9_]+$/.test(d.name) && d.kind === 'plain' && !d.alias) {
        const target = h.role === 'ntstatus' ? tables.ntstatusFacilities : tables.facilities;
        const limit = h.role === 'ntstatus' ? 0xfff : 0x1fff;
        if (d.value <= limit && !target.has(d.value)) target.set(d.value, d.name);
        continue;
      }
      if (h.role === 'context' || d.alias || !isTableName(d.name)) continue;
      if (h.names && !h.names.test(d.name)) continue;
      if (h.role === 'ntstatus') {
        if (isNtstatusReportable(d.value)) put(tables.ntstatus, formatHresult(d.value), d.name);
        continue;
      }
      if (h.role === 'setupapi') {
        if (u32(d.value & SETUPAPI_ERROR_BITS) === SETUPAPI_ERROR_BITS && d.kind === 'plain') {
          put(tables.setupapi, formatHresult(hresultFromSetupapi(d.value)), d.name);
        }
        continue;
      }
      if (d.kind === 'hresult' || d.value > 0xffff) {
        put(tables.hresult, formatHresult(d.value), d.name);
      } else if (h.role === 'win32') {
        put(tables.win32, d.value, d.name);
      }
    }
  }
  // Hand-kept entries are curated on purpose, so they override what the headers say.
  for (const e of extra.hresult ?? []) tables.hresult.set(formatHresult(Number.parseInt(e.code, 16)), e.name);
  for (const w of extra.win32 ?? []) tables.win32.set(w.number, w.name);
  for (const f of extra.facilities ?? []) {
    if (!tables.facilities.has(f.number)) tables.facilities.set(f.number, f.name);
  }
  return tables;
}

/** Checks the hand-kept file's shape; throws with a readable message when it is wrong. */
export function parseExtra(json: unknown): ExtraData {
  const fail = (msg: string): never => {
    throw new Error(`hresult-extra.json: ${msg}`);
  };
  if (typeof json !== 'object' || json === null) return fail('not an object');
  const obj = json as Record<string, unknown>;
  const hresult: ExtraEntry[] = [];
  const win32: ExtraWin32[] = [];
  const facilities: ExtraFacility[] = [];
  for (const [i, raw] of (Array.isArray(obj.hresult) ? obj.hresult : []).entries()) {
    const e = raw as Partial<ExtraEntry>;
    if (typeof e.code !== 'string' || !/^0x[0-9a-fA-F]{8}$/.test(e.code)) fail(`hresult[${i}].code`);
    if (typeof e.name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(e.name)) fail(`hresult[${i}].name`);
    if (typeof e.source !== 'string' || e.source.trim() === '') fail(`hresult[${i}].source`);
    hresult.push(e as ExtraEntry);
  }
  for (const [i, raw] of (Array.isArray(obj.win32) ? obj.win32 : []).entries()) {
    const w = raw as Partial<ExtraWin32>;
    if (typeof w.number !== 'number' || !Number.isInteger(w.number) || w.number < 1 || w.number > 0xffff) {
      fail(`win32[${i}].number`);
    }
    if (typeof w.name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(w.name)) fail(`win32[${i}].name`);
    if (typeof w.source !== 'string' || w.source.trim() === '') fail(`win32[${i}].source`);
    win32.push(w as ExtraWin32);
  }
  for (const [i, raw] of (Array.isArray(obj.facilities) ? obj.facilities : []).entries()) {
    const f = raw as Partial<ExtraFacility>;
    if (typeof f.number !== 'number' || !Number.isInteger(f.number) || f.number < 0 || f.number > 0x1fff) {
      fail(`facilities[${i}].number`);
    }
    if (typeof f.name !== 'string' || !/^FACILITY_[A-Z0-9_]+$/.test(f.name)) fail(`facilities[${i}].name`);
    if (typeof f.source !== 'string' || f.source.trim() === '') fail(`facilities[${i}].source`);
    facilities.push(f as ExtraFacility);
  }
  return { hresult, win32, facilities };
}

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
