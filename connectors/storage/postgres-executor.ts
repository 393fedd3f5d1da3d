/**
 * The scale-out backend: a PostgreSQL server through a `pg` Pool. Several bot processes can share one
 * database; what must happen once is done with row locks and compare-and-set SQL, never in-process locks.
 */
import { Pool, type PoolClient, types } from 'pg';
import { StorageClosedError, StorageInputError, StorageUnavailableError } from './errors';
import type { Queryable, QueryResult, SqlExecutor, TransactionOptions } from './sql';

export interface PostgresOptions {
  /** A libpq connection string, e.g. postgres://winfix@db.example:5432/winfix (may carry `?options=`). */
  connectionString: string;
  /** Schema to keep the tables in, created if missing (default: the server's search_path, usually public). */
  schema?: string | null;
  /** Pool size (default 10). */
  poolSize?: number;
  /** Told about connections the pool drops in the background (default: ignored). */
  onPoolError?: (error: Error) => void;
  /** How long opening a connection may take before the query fails (default 5000 ms). */
  connectTimeoutMs?: number;
  /**
   * How long a query may wait for the server's answer before it fails and its connection is dropped
   * (default 30 s). Without it a connection whose server died under it (a failover: no reset ever
   * comes) holds its query, and its place in the pool, until TCP gives up a quarter of an hour later.
   */
  queryTimeoutMs?: number;
}

/** The default of `queryTimeoutMs`. */
export const QUERY_TIMEOUT_MS = 30_000;
/** The message pg gives a query that reached `query_timeout`. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

const INT8 = 20;
/** Counts and identity ids come back as numbers, as PGlite gives them (they stay far below 2^53). */
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

/** "user@host:port/db" from a connection string, without the password. */
export function describeUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `${user}${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function wrap(client: Pick<PoolClient, 'query'>, queryTimeoutMs?: number): Queryable {
  // A per-statement timeout replaces the pool's (pg reads `query_timeout` from the query first).
  const timeout = queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {};
  return {
    async query<Row>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
      const result = await client.query({ text: sql, values: params, ...timeout });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await client.query({ text: sql, ...timeout });
    },
  };
}

export class PostgresExecutor implements SqlExecutor {
  readonly backend = 'postgres' as const;
  readonly description: string;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    where: string,
    private readonly onPoolError?: (error: Error) => void,
  ) {
    this.description = `PostgreSQL ${where}`;
  }

  /** Connects (checking the server answers) and creates `schema` when given. */
  static async open(options: PostgresOptions): Promise<PostgresExecutor> {
    const schema = options.schema ?? null;
    if (schema !== null && !SCHEMA_NAME.test(schema))
      throw new StorageInputError(`schema name "${schema}" must be lowercase letters, digits and _`);
    const where = describeUrl(options.connectionString) + (schema ? ` (schema ${schema})` : '');
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // A server that went away mid-conversation (restart, failover) fails a query at once or within
      // this time, instead of leaving the turn waiting for ever; the pool reconnects on the next query.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      // A query with no answer fails after this; the pool then discards its connection (see above).
      query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
      keepAlive: true,
      types: typeParsers,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection the server drops emits here (the pool then discards it); without a listener
    // the process would crash.
    pool.on('error', (error) => options.onPoolError?.(error));
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StorageUnavailableError(`cannot reach ${where}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new PostgresExecutor(pool, where, options.onPoolError);
  }

  private check(): void {
    if (this.closed) throw new StorageClosedError(`${this.description} is closed`);
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    this.check();
    return wrap(this.pool).query<Row>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.check();
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    this.check();
    const client = await this.pool.connect();
    let broken = false;
    // While checked out, a connection the server drops between two statements emits 'error' on the
    // client, where the pool no longer listens: caught here (the next statement fails, the client is
    // discarded on release) so it never becomes an uncaught exception.
    const onError = (error: Error) => {
      broken = true;
      this.onPoolError?.(error);
    };
    client.on('error', onError);
    try {
      await client.query({
        text: 'BEGIN',
        ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
      });
      const result = await fn(wrap(client, options.queryTimeoutMs));
      await client.query({
        text: 'COMMIT',
        ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
      });
      return result;
    } catch (error) {
      // A statement that timed out still runs on the server: a ROLLBACK would queue behind it. The
      // connection is dropped instead, and the server rolls the transaction back when it goes.
      if ((error as Error).message === QUERY_READ_TIMEOUT) broken = true;
      else
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
