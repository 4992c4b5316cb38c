import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';

/**
 * A cross-process lock next to an index file (`<file>.lock`), for programs that load the index, add to it and save
 * it (the CLI): of two runs at once, one refreshes and saves, the other learns who holds the file and does not save.
 * Saves are atomic on their own (`saveIndexDatabase`: temp file, fsync, rename), so the file is never torn; the
 * lock keeps two runs from reading the same new log bytes and one save replacing the other's.
 *
 * The lock file is created with O_EXCL (`wx`) and holds the owner's pid, host name and start time; the owner
 * touches its mtime every `heartbeatMs` while it runs. It is stale when its owner's process is gone (same host) or
 * when it was not touched for `staleMs` (a crash on another host, a reused pid); a stale lock is taken over.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** when the holder took the lock (ms since the epoch) */
  sinceMs: number;
}

export interface FileLockOptions {
  /** how long to wait for a lock held by a live run before giving up (default 3 s) */
  waitMs?: number;
  /** pause between attempts (default 100 ms) */
  retryMs?: number;
  /** a lock not touched for this long is stale (default 60 s) */
  staleMs?: number;
  /** the holder touches the lock this often (default 5 s) */
  heartbeatMs?: number;
  pid?: number;
  hostname?: string;
  now?: () => number;
  /** is a process alive? (default: signal 0) */
  isAlive?: (pid: number) => boolean;
}

export interface HeldFileLock {
  readonly path: string;
  /** Stops the heartbeat and deletes the lock file if it is still ours. */
  release(): void;
}

export type LockResult = { held: HeldFileLock } | { held: undefined; holder: LockHolder | undefined };

/** Is process `pid` alive on this host? (signal 0; EPERM means it runs under another user.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function parseLockHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.sinceMs !== 'number') return undefined;
    return { pid: v.pid, hostname: typeof v.hostname === 'string' ? v.hostname : '', sinceMs: v.sinceMs };
  } catch {
    return undefined;
  }
}

interface Seen {
  text: string;
  mtimeMs: number;
}

function look(path: string): Seen | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    return { text: readFileSync(path, 'utf8'), mtimeMs };
  } catch {
    return undefined; // gone (released meanwhile) or unreadable: try again
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Takes the lock at `path`, waiting up to `waitMs` for a live holder. Resolves to the held lock, or to the holder
 * that kept it (undefined when its record could not be read).
 */
export async function acquireFileLock(path: string, o: FileLockOptions = {}): Promise<LockResult> {
  const now = o.now ?? Date.now;
  const pid = o.pid ?? process.pid;
  const host = o.hostname ?? osHostname();
  const staleMs = o.staleMs ?? 60_000;
  const isAlive = o.isAlive ?? processAlive;
  const deadline = now() + (o.waitMs ?? 3000);
  const token = `${pid}-${Math.random().toString(36).slice(2)}`;
  let holder: LockHolder | undefined;
  for (;;) {
    const mine = JSON.stringify({ pid, hostname: host, sinceMs: now(), token });
    if (tryCreate(path, mine)) return { held: heldLock(path, mine, o.heartbeatMs ?? 5000) };
    const seen = look(path);
    if (seen) {
      holder = parseLockHolder(seen.text);
      // an unreadable record may be one being written this moment: only its age makes it stale
      const gone = !!holder && holder.hostname === host && holder.pid !== pid && !isAlive(holder.pid);
      if (gone || now() - seen.mtimeMs > staleMs) {
        removeStale(path, seen, token);
        continue;
      }
    }
    if (now() >= deadline) return { held: undefined, holder };
    await sleep(o.retryMs ?? 100);
  }
}

function tryCreate(path: string, record: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, record);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes the stale lock `seen`. It is renamed away first and compared with what was judged stale: if another run
 * replaced it in between with a live lock, that one is put back (a hard link never overwrites an existing file).
 */
function removeStale(path: string, seen: Seen, token: string): void {
  const aside = `${path}.stale-${token}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // already gone
  }
  const now = look(aside);
  if (now && (now.text !== seen.text || now.mtimeMs !== seen.mtimeMs)) {
    try {
      linkSync(aside, path);
    } catch {
      /* another lock is there already, or no hard links on this file system */
    }
  }
  rmSync(aside, { force: true });
}

function heldLock(path: string, record: string, heartbeatMs: number): HeldFileLock {
  const timer = setInterval(() => {
    try {
      const t = new Date();
      utimesSync(path, t, t);
    } catch {
      /* taken over or removed: nothing to keep alive */
    }
  }, heartbeatMs);
  timer.unref?.();
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      try {
        if (readFileSync(path, 'utf8') === record) rmSync(path, { force: true });
      } catch {
        /* already gone */
      }
    },
  };
}
