import { promises as fsp } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { processAlive } from '../core/store/fileLock';
import { heartbeatStale, parseLockRecord, WRITER_LOCK_STALE_MS, type LockRecord } from '../app/writerLockFile';

export { parseLockRecord, type LockRecord };

export interface WriterLockOptions {
  path: string;
  windowId: string;
  heartbeatMs?: number;
  staleMs?: number;
  /** wait between writing our record and reading it back */
  settleMs?: number;
  /** how often a non-holder checks whether the lock went stale (default 1 s: takeover ≤ staleMs + 1 s) */
  pollMs?: number;
  now?: () => number;
  pid?: number;
  hostname?: string;
  /** is a process alive? (default: signal 0) */
  isAlive?: (pid: number) => boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Single writer across VS Code windows. The writer keeps a lock file in global storage holding
 * its pid, window id, host name and a heartbeat it renews every `heartbeatMs` (~3 s).
 * A lock whose heartbeat is older than `staleMs` (~8 s), whose owner process is gone (same host),
 * or that cannot be parsed, is taken over, so a closed or crashed writer is replaced within 10 s.
 * Acquiring writes our record atomically (temp file + rename), waits a moment and reads it back:
 * of two windows racing, the one whose rename landed last wins and the other sees it and stays a reader.
 * The owner re-reads before every heartbeat and steps down if someone else's fresh record is there.
 * Non-holders check every `pollMs` (~1 s), so a dead writer is replaced within staleMs + pollMs (< 10 s).
 */
export class WriterLock {
  private held = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  /** release() was called: no more heartbeats or takeovers */
  private stopped = false;
  private ticking: Promise<void> | undefined;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;

  constructor(private readonly opts: WriterLockOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 3000;
    this.staleMs = opts.staleMs ?? WRITER_LOCK_STALE_MS;
    this.settleMs = opts.settleMs ?? 150;
    this.now = opts.now ?? Date.now;
    this.pid = opts.pid ?? process.pid;
    this.host = opts.hostname ?? osHostname();
    this.isAlive = opts.isAlive ?? processAlive;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** The record on disk, or null when missing/unreadable. */
  async read(): Promise<LockRecord | null> {
    try {
      return parseLockRecord(await fsp.readFile(this.opts.path, 'utf8'));
    } catch {
      return null;
    }
  }

  private isMine(r: LockRecord | null): boolean {
    return !!r && r.windowId === this.opts.windowId && r.pid === this.pid;
  }

  /** A lock nobody keeps alive: missing, unparseable, heartbeat too old, or its process gone on this host. */
  isStale(r: LockRecord | null): boolean {
    if (!r) return true;
    if (heartbeatStale(r, this.now(), this.staleMs)) return true;
    if (r.hostname === this.host && r.pid !== this.pid && !this.isAlive(r.pid)) return true;
    return false;
  }

  /** Another window holds the lock now: a live record that is not ours (what `tryAcquire` would leave alone). */
  async heldByAnother(): Promise<boolean> {
    const cur = await this.read();
    return !!cur && !this.isMine(cur) && !this.isStale(cur);
  }

  /** We do not hold the lock (now): `false`, for the callers that answer whether we hold it. */
  private notHeld(): false {
    this.held = false;
    return false;
  }

  private async writeMine(): Promise<void> {
    const rec: LockRecord = { pid: this.pid, windowId: this.opts.windowId, hostname: this.host, heartbeatMs: this.now() };
    const tmp = `${this.opts.path}.${this.pid}.${this.opts.windowId.replace(/[^\w.-]/g, '_')}.tmp`;
    await fsp.writeFile(tmp, JSON.stringify(rec));
    await fsp.rename(tmp, this.opts.path);
  }

  /** Takes the lock if it is free, stale or already ours. Resolves to whether we hold it now. */
  async tryAcquire(): Promise<boolean> {
    const cur = await this.read();
    if (!this.isMine(cur) && !this.isStale(cur)) return this.notHeld();
    try {
      await this.writeMine();
    } catch {
      return this.notHeld();
    }
    if (this.settleMs > 0) await sleep(this.settleMs);
    this.held = this.isMine(await this.read());
    return this.held;
  }

  /** Renews our heartbeat; steps down (false) when another window's live record replaced ours. */
  async heartbeat(): Promise<boolean> {
    if (!this.held) return false;
    const cur = await this.read();
    if (cur && !this.isMine(cur) && !this.isStale(cur)) return this.notHeld();
    try {
      await this.writeMine();
    } catch {
      // keep holding; a missed heartbeat is retried on the next tick
    }
    return this.held;
  }

  /**
   * Keeps the lock alive while held, and tries to take it over while not.
   * `onChange(held)` is called whenever ownership flips (also after the first attempt).
   */
  async start(onChange: (held: boolean) => void): Promise<boolean> {
    const first = await this.tryAcquire();
    if (this.stopped) {
      await this.dropRecord(); // released while we acquired (the window closed during start-up)
      return false;
    }
    onChange(first);
    const pollMs = this.opts.pollMs ?? 1000;
    let since = 0;
    const step = Math.min(pollMs, this.heartbeatMs);
    this.timer = setInterval(() => {
      since += step;
      // holders beat every heartbeatMs; others look every pollMs
      if (this.held ? since >= this.heartbeatMs : since >= pollMs) {
        since = 0;
        if (!this.busy) this.ticking = this.tick(onChange);
      }
    }, step);
    this.timer.unref?.();
    return first;
  }

  private async tick(onChange: (held: boolean) => void): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    try {
      const before = this.held;
      const after = before ? await this.heartbeat() : await this.tryAcquire();
      if (this.stopped) return; // release() waits for us, then deletes what we wrote
      if (after !== before) onChange(after);
    } finally {
      this.busy = false;
    }
  }

  /** Stops the timer and deletes the lock file when it is ours (a clean hand-over to another window). */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking; // a heartbeat or takeover in flight would rewrite our record after we delete it
    await this.dropRecord();
  }

  private async dropRecord(): Promise<void> {
    if (this.held && this.isMine(await this.read())) await fsp.rm(this.opts.path, { force: true }).catch(() => {});
    this.held = false;
  }
}
