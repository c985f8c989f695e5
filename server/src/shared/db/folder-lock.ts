// One server per data folder (issue 14, point 16): a second process on the same folder would run on the live
// database while the screens connected to it miss the first one's events, and rate limits would be counted twice.
// The lock is an exclusive SQLite lock on a small file of the folder, held for the server's life: the operating
// system drops it when the process ends, even by kill -9 or a power cut, so a lock is never left behind. Beside it
// a JSON note says who holds it, for the message the second process gives.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'server.lock';
export const LOCK_NOTE = 'server.lock.json';

export interface FolderLockHolder { pid: number; host: string; startedAt: string; what: string }

export class FolderLockedError extends Error {
  constructor(readonly folder: string, readonly holder: FolderLockHolder | null) {
    super(holder
      ? `the data folder ${folder} is in use by another SmartQueue ${holder.what} (process ${holder.pid} on ${holder.host}, started ${holder.startedAt}): stop that one first, or start this one on another data folder (SMARTQUEUE_DATA_DIR)`
      : `the data folder ${folder} is in use by another SmartQueue server: stop that one first, or start this one on another data folder (SMARTQUEUE_DATA_DIR)`);
    this.name = 'FolderLockedError';
  }
}

export interface FolderLock { release(): void }

/** Take the folder's lock or throw FolderLockedError naming the folder and the process that holds it. */
export function lockDataFolder(folder: string, what = 'branch server'): FolderLock {
  fs.mkdirSync(folder, { recursive: true });
  const db = new Database(path.join(folder, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new FolderLockedError(folder, readHolder(folder));
  }
  const note = path.join(folder, LOCK_NOTE);
  const holder: FolderLockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), what };
  fs.writeFileSync(note, `${JSON.stringify(holder)}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try { fs.rmSync(note, { force: true }); } catch { /* the lock matters, not the note */ }
      try { db.exec('ROLLBACK'); } catch { /* closing drops it anyway */ }
      db.close();
    },
  };
}

function readHolder(folder: string): FolderLockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, LOCK_NOTE), 'utf8')) as FolderLockHolder;
  } catch {
    return null;
  }
}
