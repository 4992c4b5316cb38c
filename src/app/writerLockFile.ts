/**
 * The extension's index and writer lock in its global storage, as files: written by the window that holds the lock
 * (src/host/lock.ts, src/host/usageService.ts) and looked at by the CLI, which must not add to an index file a VS Code
 * window is writing (src/cli/openIndex.ts). One definition of the names, the lock's record and when it is stale.
 */
export const INDEX_FILE = 'usage-index.sqlite';
export const WRITER_LOCK_FILE = 'writer.lock';
/** A writer renews its heartbeat every ~3 s; one older than this is stale (its window is gone or hung). */
export const WRITER_LOCK_STALE_MS = 8000;

export interface LockRecord {
  pid: number;
  windowId: string;
  hostname: string;
  heartbeatMs: number;
}

export function parseLockRecord(text: string): LockRecord | null {
  try {
    const v = JSON.parse(text) as Partial<LockRecord>;
    if (typeof v.pid !== 'number' || typeof v.windowId !== 'string' || typeof v.heartbeatMs !== 'number') return null;
    return { pid: v.pid, windowId: v.windowId, hostname: typeof v.hostname === 'string' ? v.hostname : '', heartbeatMs: v.heartbeatMs };
  } catch {
    return null;
  }
}

/** The record's heartbeat is older than `staleMs` (the owner's process is checked separately, on its host only). */
export function heartbeatStale(rec: LockRecord, nowMs: number, staleMs = WRITER_LOCK_STALE_MS): boolean {
  return nowMs - rec.heartbeatMs > staleMs;
}
