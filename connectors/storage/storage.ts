/**
 * Opens the configured database (PostgreSQL when a connection string is given, else PGlite in a
 * folder), brings its schema up to date, and hands out the repositories over it.
 */
import { type Clock, systemClock } from '../../bot';
import { Approvals } from './approvals';
import { AuditLog } from './audit-log';
import { BadRows, type StorageLog, silentLog } from './bad-rows';
import { Enrollments } from './enrollments';
import { SchemaOutdatedError, SchemaTooNewError } from './errors';
import { Jobs } from './jobs';
import { migrate, schemaStatus } from './migrate';
import { TABLES } from './migrations';
import { PgliteExecutor } from './pglite-executor';
import { PostgresExecutor } from './postgres-executor';
import type { SqlExecutor } from './sql';
import { SqlConversationStore } from './sql-conversation-store';
import { SqlReferenceStore } from './sql-reference-store';
import { StepOutcomes } from './step-outcomes';
import { TicketJobs } from './ticket-jobs';
import { Timers } from './timers';

export interface StorageOptions {
  /** PostgreSQL connection string; when set, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string | null;
  /** PGlite data folder (default ./data). */
  dataDir?: string;
  /** PostgreSQL schema for the tables, created if missing (default: the server's search_path). */
  schema?: string | null;
  /** Apply pending migrations at start-up (default true); when false, an outdated schema is refused. */
  migrate?: boolean;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
  /** How long a PostgreSQL query may wait for an answer (default 30 s; postgres-executor.ts). */
  queryTimeoutMs?: number;
  /** Default: silent. */
  log?: StorageLog;
  /** Default: the system clock. */
  clock?: Clock;
  /** Days a card is remembered after it was last shown (default 90; WINFIX_CARD_RETENTION_DAYS). */
  cardRetentionDays?: number;
}

/** The repositories over one database. */
export class Storage {
  readonly conversations: SqlConversationStore;
  readonly references: SqlReferenceStore;
  readonly enrollments: Enrollments;
  readonly approvals: Approvals;
  readonly jobs: Jobs;
  readonly timers: Timers;
  readonly audit: AuditLog;
  readonly outcomes: StepOutcomes;
  readonly tickets: TicketJobs;
  readonly badRows: BadRows;
  readonly log: StorageLog;
  readonly clock: Clock;

  constructor(
    readonly db: SqlExecutor,
    options: { log?: StorageLog; clock?: Clock; cardRetentionDays?: number } = {},
  ) {
    this.log = options.log ?? silentLog;
    this.clock = options.clock ?? systemClock;
    this.badRows = new BadRows(this.log);
    this.conversations = new SqlConversationStore(db, this.badRows);
    this.references = new SqlReferenceStore(db, this.clock, {
      cardRetentionDays: options.cardRetentionDays,
      log: this.log,
    });
    this.enrollments = new Enrollments(db, this.clock);
    this.approvals = new Approvals(db, this.clock);
    this.jobs = new Jobs(db, this.clock);
    this.timers = new Timers(db, this.clock);
    this.audit = new AuditLog(db, this.clock);
    this.outcomes = new StepOutcomes(db);
    this.tickets = new TicketJobs(db, this.clock);
  }

  get backend() {
    return this.db.backend;
  }

  /** Rows per table (for `winfix db status`). */
  async rowCounts(): Promise<Record<(typeof TABLES)[number], number>> {
    const { rows } = await this.db.query<Record<string, number>>(
      `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
    );
    return rows[0] as Record<(typeof TABLES)[number], number>;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Connects to PostgreSQL or opens PGlite, as the options say. */
export function openExecutor(options: StorageOptions): Promise<SqlExecutor> {
  return options.databaseUrl
    ? PostgresExecutor.open({
        connectionString: options.databaseUrl,
        schema: options.schema ?? null,
        poolSize: options.poolSize,
        ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
        onPoolError: (error) => options.log?.warn(`PostgreSQL connection dropped: ${error.message}`),
      })
    : PgliteExecutor.open(options.dataDir ?? './data');
}

/** Opens the database, migrates it (unless told not to) and refuses a schema it does not match. */
export async function openStorage(options: StorageOptions = {}): Promise<Storage> {
  const db = await openExecutor(options);
  try {
    if (options.migrate ?? true) {
      const result = await migrate(db);
      if (result.applied.length > 0)
        options.log?.info(`${db.description}: schema migrated from version ${result.from} to ${result.to}`);
    } else {
      const status = await schemaStatus(db);
      if (status.current > status.latest) throw new SchemaTooNewError(status.current, status.latest);
      if (status.pending.length > 0) throw new SchemaOutdatedError(status.current, status.latest);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return new Storage(db, options);
}
