/**
 * Pure parsing of the error-code `#define`s in Windows SDK style headers (as shipped by mingw-w64)
 * into name tables. No file system access here: callers pass header text, so every function can be
 * tested on small inline snippets. `scripts/gen-hresult.ts` does the I/O.
 *
 * The parts, in the order the text goes through them:
 * - hresult-header-defines.ts: comments stripped, lines joined, the object-like `#define`s;
 * - hresult-expression-tokens.ts and hresult-expression.ts: each body's value, over earlier names;
 * - hresult-codes.ts: HRESULT arithmetic (HRESULT_FROM_WIN32, HRESULT_FROM_SETUPAPI, the key form);
 * - hresult-tables.ts: which header fills which table, plus the hand-kept entries (hresult-hand-kept.ts);
 * - hresult-table-json.ts: the deterministic JSON of one table.
 */
export {
  FACILITY_SETUPAPI,
  FACILITY_WIN32,
  formatHresult,
  hresultFromSetupapi,
  hresultFromWin32,
  isNtstatusReportable,
  SETUPAPI_ERROR_BITS,
} from './hresult-codes';
export {
  type EvaluatedDefine,
  evaluateExpression,
  evaluateHeader,
  type SymbolTable,
  type ValueKind,
} from './hresult-expression';
export {
  type ExtraData,
  type ExtraEntry,
  type ExtraFacility,
  type ExtraWin32,
  parseExtra,
} from './hresult-hand-kept';
export { type Define, extractDefines, stripComments } from './hresult-header-defines';
export { renderTable } from './hresult-table-json';
export { buildTables, type HeaderInput, type HeaderRole, isTableName, type Tables } from './hresult-tables';
