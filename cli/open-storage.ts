/** Opens the storage the configuration names (none for WINFIX_STORAGE=memory); storage warnings go to stderr. */
import { openStorage, type Storage, type StorageLog, type StorageOptions } from '../connectors/storage';
import type { Config } from './config';
import type { Io } from './io';

export function storageLog(io: Io): StorageLog {
  return {
    info: () => {},
    warn: (message) => io.err(`winfix: ${message}`),
    error: (message) => io.err(`winfix: ${message}`),
  };
}

/** Options that open the configured database, or null when nothing is kept (memory). */
export function storageOptions(config: Config, io: Io): StorageOptions | null {
  const { kind, dataDir, databaseUrl, cardRetentionDays } = config.storage;
  if (kind === 'memory') return null;
  return { ...(kind === 'postgres' ? { databaseUrl } : { dataDir }), log: storageLog(io), cardRetentionDays };
}

/** Opens (and migrates) the configured database; null for WINFIX_STORAGE=memory. */
export async function openConfiguredStorage(config: Config, io: Io): Promise<Storage | null> {
  const options = storageOptions(config, io);
  return options ? openStorage(options) : null;
}
