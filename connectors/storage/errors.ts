/** Errors raised by the storage connector. Each has a stable string code (`winfix_*`) and keeps its cause. */

export abstract class WinfixStorageError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The database could not be reached or opened. */
export class StorageUnavailableError extends WinfixStorageError {
  readonly code = 'winfix_storage_unavailable';
}

/** The PGlite data folder is open in another live process (PGlite is single-process). */
export class DataDirLockedError extends WinfixStorageError {
  readonly code = 'winfix_storage_data_dir_locked';
}

/** The database schema is newer than this code knows: refuse rather than corrupt it. */
export class SchemaTooNewError extends WinfixStorageError {
  readonly code = 'winfix_storage_schema_too_new';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database schema is at version ${found}, newer than this winfix knows (${known}); ` +
        'upgrade winfix or point it at another database',
    );
  }
}

/** The schema is older than the code and migrations were not allowed to run at start-up. */
export class SchemaOutdatedError extends WinfixStorageError {
  readonly code = 'winfix_storage_schema_outdated';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the database schema is at version ${found}, this winfix needs ${known}: run "winfix db migrate"`);
  }
}

/** A migration failed; nothing of it was applied (migrations run in one transaction). */
export class MigrationFailedError extends WinfixStorageError {
  readonly code = 'winfix_storage_migration_failed';
}

/** The storage was used after `close()`. */
export class StorageClosedError extends WinfixStorageError {
  readonly code = 'winfix_storage_closed';
}

/** A value handed to a repository is not acceptable (empty computer name, unknown decision …). */
export class StorageInputError extends WinfixStorageError {
  readonly code = 'winfix_storage_input';
}

/** An operation needs a record in another state (a job for an approval that is not approved …). */
export class StorageStateError extends WinfixStorageError {
  readonly code = 'winfix_storage_state';
}

/** A stored row the code cannot use (JSON that fails validation). Reported and skipped, never thrown out. */
export class BadRowError extends WinfixStorageError {
  readonly code = 'winfix_storage_bad_row';
}

export const STORAGE_ERROR_CLASSES = [
  StorageUnavailableError,
  DataDirLockedError,
  SchemaTooNewError,
  SchemaOutdatedError,
  MigrationFailedError,
  StorageClosedError,
  StorageInputError,
  StorageStateError,
  BadRowError,
] as const;
