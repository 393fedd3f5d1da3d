/**
 * The small SQL executor every repository talks to, with one implementation per backend
 * (pglite-executor.ts, postgres-executor.ts). SQL is plain PostgreSQL, the same on both.
 */

export type Backend = 'pglite' | 'postgres';

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows returned, or changed by an INSERT/UPDATE/DELETE without RETURNING. */
  rowCount: number;
}

/** Runs statements: the executor itself (each statement on its own) or a transaction. */
export interface Queryable {
  /** One statement with `$1 …` parameters. JSON goes in as a string with a `::jsonb` cast. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * How long each statement inside may wait for the server (PostgreSQL; default the executor's query
   * timeout). Migrations take longer: they wait for another instance's migration lock and may rewrite
   * big tables.
   */
  queryTimeoutMs?: number;
}

export interface SqlExecutor extends Queryable {
  readonly backend: Backend;
  /** Where the data is, for people: "PGlite in ./data", "PostgreSQL db@host:5432" (never a password). */
  readonly description: string;
  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back when it throws.
   * Inside, use `tx`, never the executor (PGlite runs one transaction at a time).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** Timestamps come back as Date from both drivers; repositories hand out ISO strings. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** JSON for a `$n::jsonb` parameter. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
