/**
 * A lock file that keeps a second process from opening the same PGlite folder (PGlite is one process's
 * embedded database; two writers would corrupt it). A lock left by a process that died (SIGKILL, power
 * loss) is taken over: the file names a pid on this host that no longer runs.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DataDirLockedError } from './errors';

export const LOCK_FILE = 'winfix.lock';

export interface LockOwner {
  pid: number;
  host: string;
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Who holds the folder's lock now, without taking it (`winfix config check`): null when the folder is
 * free or its lock was left by a process of this host that no longer runs.
 */
export function dataDirHolder(dataDir: string): LockOwner | null {
  const owner = readOwner(path.join(dataDir, LOCK_FILE));
  if (!owner) return null;
  return owner.host !== hostname() || alive(owner.pid) ? owner : null;
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return {
        release() {
          const owner = readOwner(file);
          if (owner?.pid === me.pid && owner.host === me.host) unlinkSync(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && (owner.host !== me.host || alive(owner.pid)))
        throw new DataDirLockedError(
          `${dataDir} is in use by process ${owner.pid} on ${owner.host}; PGlite allows one process per ` +
            `folder (stop it, or use PostgreSQL via DATABASE_URL to run several; remove ${file} if that ` +
            'process is gone)',
        );
      unlinkSync(file);
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}: another process keeps taking it`);
}
