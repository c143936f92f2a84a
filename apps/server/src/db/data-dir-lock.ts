import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from '../lib/startup-error.js';
import type { DatabaseTarget } from './database.js';

/** The lock file's name inside DATA_DIR; it holds the owning process id. */
export const LOCK_FILE = 'paygate.lock';

export class DataDirInUseError extends StartupError {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dataDir} in use by pid ${pid}`);
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Remove the lock file (if it is still ours). Safe to call more than once. */
  release(): void;
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(error) === 'EPERM';
  }
}

function holderOf(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error: unknown) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Make this process the only one using the embedded database in `dataDir`. PGlite is one
 * Postgres backend in this process's memory: a second process on the same files would corrupt
 * them (or abort inside the WASM runtime), so it must stop at once instead.
 *
 * The lock file appears atomically with the pid already in it (written to a private file, then
 * hard-linked into place, which fails when the lock exists). A lock whose process is gone — a
 * crash, `kill -9`, a container restart that gave us the same pid — is stale and taken over.
 * Two processes taking over one stale lock in the same instant could both proceed; outside that
 * microsecond window the check is exact.
 *
 * @throws DataDirInUseError when a running process holds the lock
 */
export function acquireDataDirLock(dataDir: string, pid: number = process.pid): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const staging = join(dir, `${LOCK_FILE}.${pid}`);
  writeFileSync(staging, `${pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(staging, path);
        return ownLock(path, pid);
      } catch (error: unknown) {
        if (errnoCode(error) !== 'EEXIST') throw error;
      }
      const holder = holderOf(path);
      if (holder !== null && holder !== pid && isRunning(holder)) throw new DataDirInUseError(dir, holder);
      try {
        unlinkSync(path);
      } catch (error: unknown) {
        if (errnoCode(error) !== 'ENOENT') throw error;
      }
    }
    throw new StartupError(`could not lock data directory ${dir}: ${path} keeps reappearing`);
  } finally {
    unlinkSync(staging);
  }
}

function ownLock(path: string, pid: number): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    // Never remove a lock another process has taken over meanwhile.
    try {
      if (holderOf(path) === pid) unlinkSync(path);
    } catch (error: unknown) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  };
  // Also on process.exit() (forced shutdown, fatal error), which skips the normal close path.
  process.on('exit', release);
  return { path, release };
}

/** The lock for an on-disk embedded database; none for PostgreSQL (built for many processes) or an in-memory PGlite. */
export function lockEmbeddedDatabase(target: DatabaseTarget): DataDirLock | undefined {
  return target.kind === 'pglite' && !target.dataDir.startsWith('memory://') ? acquireDataDirLock(target.dataDir) : undefined;
}
