import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import type { Logger } from '../core/types';
import type { AgentMeterSettings, UsageSource, UsageStatus } from './usageSource';
import type { SettingsStore } from './config';
import type { CoreIndexApi, DiscoveredRoots, IndexerHandle, IngestProgress } from './indexApi';
import { WriterLock, type WriterLockOptions } from './lock';
import { FileFollower } from './fileFollower';
import { LogWatcher } from './watcher';
import { debounce, type Debounced } from './debounce';
import { errorText } from './log';
import { progressMessage } from './progressText';

export const DB_FILE = 'usage-index.sqlite';
export const LOCK_FILE = 'writer.lock';
export const REBUILD_REQUEST_FILE = 'rebuild.request';

/** How often the writer re-runs discovery and a stat-only refresh (catches what the watcher missed). */
const PERIODIC_CHECK_MS = 30_000;
/** How often the writer looks for a rebuild requested by a reader window. */
const REBUILD_POLL_MS = 2_000;

export interface UsageServiceOptions {
  storageDir: string;
  /** distinct per window (vscode.env.sessionId) */
  windowId: string;
  settings: Pick<SettingsStore, 'get' | 'onDidChange'>;
  core: CoreIndexApi;
  logger: Logger;
  /** lock timings (tests) */
  lockTimings?: Pick<WriterLockOptions, 'heartbeatMs' | 'staleMs' | 'settleMs' | 'pollMs'>;
  /** save debounce in ms (default 500, at most 1500 under a stream of changes) */
  saveDebounceMs?: number;
}

type Role = 'none' | 'writer' | 'reader';

/**
 * Owns the usage index for this window.
 * Exactly one window (the holder of the lock in global storage) ingests and writes the database file; the others
 * load it read-only and reload it whenever the writer saves, so every window shows the same numbers and nothing
 * is counted twice. When the writer goes away its lock goes stale and a reader takes over within ~10 s.
 * The writer refreshes on file events (debounced), every 30 s (stat-only), and on demand; refreshes never overlap
 * (a request during a refresh runs once more afterwards). Saves are debounced and atomic.
 */
export class UsageService implements UsageSource, vscode.Disposable {
  private db: Database | undefined;
  private role: Role = 'none';
  private roots: DiscoveredRoots | undefined;
  private indexer: IndexerHandle | undefined;
  private watcher: LogWatcher | undefined;
  private follower: FileFollower | undefined;
  private readonly lock: WriterLock;
  private readonly saver: Debounced;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private status: UsageStatus = { indexing: false, lastUpdatedMs: null, claudeRoots: [], codexRoots: [], notes: [], isWriter: false };
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private roleChain: Promise<void> = Promise.resolve();
  private running: Promise<void> | undefined;
  private again = false;
  private saving: Promise<void> = Promise.resolve();
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private disposed = false;
  private lastSettings: AgentMeterSettings;

  constructor(private readonly opts: UsageServiceOptions) {
    this.lock = new WriterLock({ path: join(opts.storageDir, LOCK_FILE), windowId: opts.windowId, ...opts.lockTimings });
    const wait = opts.saveDebounceMs ?? 500;
    this.saver = debounce(() => void this.saveNow(), wait, wait * 3);
    this.ready = new Promise((r) => (this.markReady = r));
    this.lastSettings = opts.settings.get();
    this.disposables.push(opts.settings.onDidChange((s) => void this.onSettings(s)));
  }

  get dbPath(): string {
    return join(this.opts.storageDir, DB_FILE);
  }

  // ---- UsageSource ----
  getDatabase(): Database | undefined {
    return this.db;
  }
  getSettings(): AgentMeterSettings {
    return this.opts.settings.get();
  }
  getStatus(): UsageStatus {
    return { ...this.status, isWriter: this.role === 'writer' };
  }

  /** Resolves when this window has data to show: the first refresh (writer) or the first load (reader) is done. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Starts everything: discovery, the lock, then the writer or reader role. Call after activation returned. */
  async start(): Promise<void> {
    await fsp.mkdir(this.opts.storageDir, { recursive: true });
    await this.discover();
    await this.lock.start((held) => this.switchRole(held ? 'writer' : 'reader'));
    this.every(PERIODIC_CHECK_MS, () => void this.periodicCheck());
    this.every(REBUILD_POLL_MS, () => void this.checkRebuildRequest());
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref?.();
    this.timers.push(t);
  }

  private log(): Logger {
    return this.opts.logger;
  }

  private fire(): void {
    if (!this.disposed) this.changeEmitter.fire();
  }

  private async discover(): Promise<boolean> {
    const s = this.opts.settings.get();
    const roots = await this.opts.core.discover(s.claudeDirs, s.codexDirs);
    const before = this.roots;
    this.roots = roots;
    this.status = { ...this.status, claudeRoots: roots.searched.claude, codexRoots: roots.searched.codex, notes: roots.notes };
    const changed = !before || JSON.stringify([before.claudeDirs, before.codexDirs]) !== JSON.stringify([roots.claudeDirs, roots.codexDirs]);
    if (changed) {
      this.log().info(`log folders: Claude [${roots.claudeDirs.join(', ') || 'none'}], Codex [${roots.codexDirs.join(', ') || 'none'}]`);
      for (const n of roots.notes) this.log().info(`discovery: ${n}`);
    }
    return changed;
  }

  /** Role changes are serialised: a change arriving during one waits for it. */
  private switchRole(to: 'writer' | 'reader'): void {
    this.roleChain = this.roleChain
      .then(() => (to === 'writer' ? this.becomeWriter() : this.becomeReader()))
      .catch((e) => {
        this.status = { ...this.status, error: errorText(e) };
        this.log().error(`could not start as ${to}: ${errorText(e)}`);
      })
      .finally(() => this.markReady());
  }

  private async becomeWriter(): Promise<void> {
    if (this.disposed || this.role === 'writer') return;
    this.log().info('this window maintains the usage index (writer)');
    this.follower?.dispose();
    this.follower = undefined;
    const { db, notes } = await this.opts.core.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    if (notes.length) void vscode.window.showWarningMessage(`AgentMeter: ${notes.join(' ')}`);
    this.swapDb(db);
    this.role = 'writer';
    this.startIndexer();
    this.restartWatcher();
    await this.refresh();
  }

  private async becomeReader(): Promise<void> {
    if (this.disposed) return;
    if (this.role === 'reader' && this.follower) return;
    const wasWriter = this.role === 'writer';
    this.log().info(wasWriter ? 'another window took over the usage index; this window now reads it' : 'another window maintains the usage index; this window reads it');
    this.role = 'reader';
    this.saver.cancel();
    await this.stopWriting();
    await this.reload();
    this.follower = new FileFollower({ path: this.dbPath, onChange: () => void this.reload() });
    await this.follower.start();
  }

  private startIndexer(): void {
    if (!this.db || !this.roots) return;
    void this.indexer?.dispose();
    this.indexer = this.opts.core.createIndexer(this.db, this.roots, this.log());
  }

  private async stopWriting(): Promise<void> {
    await this.watcher?.dispose();
    this.watcher = undefined;
    const ix = this.indexer;
    this.indexer = undefined;
    await ix?.dispose();
  }

  private restartWatcher(): void {
    if (this.role !== 'writer' || !this.roots) return;
    void this.watcher?.dispose();
    const s = this.opts.settings.get();
    this.watcher = new LogWatcher({
      dirs: [...this.roots.claudeDirs, ...this.roots.codexDirs],
      usePolling: s.watchUsePolling,
      logger: this.log(),
      onChange: () => void this.refresh(),
    });
    this.watcher.start();
  }

  /** Replaces the current database; the old one is closed a little later so a reader mid-query is not cut off. */
  private swapDb(db: Database | undefined): void {
    const old = this.db;
    this.db = db;
    if (old && old !== db) {
      const t = setTimeout(() => {
        try {
          old.close();
        } catch {
          // already closed
        }
      }, 5000);
      t.unref?.();
    }
  }

  /**
   * Writer: ingest what is new (coalesced: a call during a refresh runs one more refresh afterwards).
   * Reader: reload the database file.
   */
  refresh(): Promise<void> {
    if (this.role === 'reader') return this.reload();
    if (this.role !== 'writer') return this.roleChain;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.ingestOnce();
      } while (this.again && !this.disposed && this.role === 'writer');
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async ingestOnce(): Promise<void> {
    const indexer = this.indexer;
    const db = this.db;
    if (!indexer || !db) return;
    const first = this.status.lastUpdatedMs === null && this.opts.core.isEmpty(db);
    this.status = { ...this.status, indexing: true };
    const started = Date.now();
    try {
      // While a large first index runs, show what is in already (newest files come first) about once a second.
      let lastShown = Date.now();
      const onProgress = (p: IngestProgress, report?: (p: IngestProgress) => void) => {
        report?.(p);
        if (Date.now() - lastShown > 1000) {
          lastShown = Date.now();
          this.fire();
        }
      };
      const result = first
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'AgentMeter: indexing usage logs', cancellable: false },
            async (progress) => {
              let lastPct = 0;
              return indexer.refresh((p) =>
                onProgress(p, (q) => {
                  const pct = q.bytesTotal > 0 ? (100 * q.bytesDone) / q.bytesTotal : 0;
                  progress.report({ message: progressMessage(q), increment: Math.max(0, pct - lastPct) });
                  lastPct = Math.max(lastPct, pct);
                }),
              );
            },
          )
        : await indexer.refresh((p) => onProgress(p));
      if (this.indexer !== indexer) return; // replaced (rebuild, role change) meanwhile
      this.status = { ...this.status, indexing: false, lastUpdatedMs: Date.now(), error: undefined };
      if (result.changed || first) {
        this.log().debug(
          `refresh: ${result.filesChanged}/${result.filesScanned} files changed, ${(result.bytesRead / 1e6).toFixed(1)} MB, ${result.records} records, ${result.malformedLines} malformed lines, ${Date.now() - started} ms`,
        );
        this.saver.trigger();
      }
      this.fire();
    } catch (e) {
      this.status = { ...this.status, indexing: false, error: errorText(e) };
      this.log().error(`refresh failed: ${errorText(e)}`);
      this.fire();
    }
  }

  private saveNow(): Promise<void> {
    this.saving = this.saving.then(async () => {
      // sql.js export() must not run inside the indexer's open transaction: wait until no refresh runs
      while (this.running) await this.running.catch(() => {});
      const db = this.db;
      if (!db || this.role !== 'writer' || !this.lock.isHeld) return;
      try {
        await this.opts.core.save(db, this.dbPath);
      } catch (e) {
        this.log().error(`saving the index failed: ${errorText(e)}`);
      }
    });
    return this.saving;
  }

  /** Reader: loads the writer's latest saved file (read-only). A half-written or unreadable file is retried on the next change. */
  private async reload(): Promise<void> {
    if (this.role !== 'reader') return;
    try {
      const db = await this.opts.core.openReadOnly(this.dbPath);
      if (this.role !== 'reader') {
        db?.close();
        return;
      }
      if (db) {
        this.swapDb(db);
        this.status = { ...this.status, lastUpdatedMs: Date.now(), error: undefined };
        this.fire();
      }
    } catch (e) {
      this.log().warn(`reloading the index failed (will retry on the next change): ${errorText(e)}`);
    }
  }

  private async periodicCheck(): Promise<void> {
    if (this.disposed) return;
    try {
      const changed = await this.discover();
      if (changed && this.role === 'writer') {
        this.startIndexer();
        this.restartWatcher();
      }
    } catch (e) {
      this.log().warn(`discovery failed: ${errorText(e)}`);
    }
    if (this.role === 'writer') await this.refresh();
  }

  private async onSettings(s: AgentMeterSettings): Promise<void> {
    const prev = this.lastSettings;
    this.lastSettings = s;
    const dirsChanged = JSON.stringify([prev.claudeDirs, prev.codexDirs]) !== JSON.stringify([s.claudeDirs, s.codexDirs]);
    if (dirsChanged) {
      await this.discover().catch((e) => this.log().warn(`discovery failed: ${errorText(e)}`));
      if (this.role === 'writer') {
        this.startIndexer();
        this.restartWatcher();
        await this.refresh();
      }
    } else if (prev.watchUsePolling !== s.watchUsePolling) {
      this.restartWatcher();
    }
    // prices, zone, budgets, format: views recompute from the same data
    this.fire();
  }

  /**
   * Deletes the index and re-ingests every log. In a reader window the request is handed to the writer
   * through a file in global storage (picked up within ~2 s).
   */
  async rebuild(): Promise<void> {
    if (this.role !== 'writer') {
      await fsp.writeFile(join(this.opts.storageDir, REBUILD_REQUEST_FILE), String(Date.now()));
      this.log().info('asked the writer window to rebuild the index');
      return;
    }
    this.log().info('rebuilding the index from the logs');
    this.saver.cancel();
    await this.saving;
    await this.stopWriting();
    this.swapDb(undefined);
    await fsp.rm(this.dbPath, { force: true });
    const { db, notes } = await this.opts.core.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    this.swapDb(db);
    this.status = { ...this.status, lastUpdatedMs: null };
    this.startIndexer();
    this.restartWatcher();
    this.fire();
    await this.refresh();
    await this.saveNow();
  }

  private async checkRebuildRequest(): Promise<void> {
    if (this.role !== 'writer' || this.disposed) return;
    const p = join(this.opts.storageDir, REBUILD_REQUEST_FILE);
    try {
      await fsp.rm(p); // throws ENOENT when there is no request
    } catch {
      return;
    }
    await this.rebuild().catch((e) => this.log().error(`rebuild failed: ${errorText(e)}`));
  }

  /** Saves pending changes (writer) and releases the lock so another window takes over at once. */
  async shutdown(): Promise<void> {
    if (this.disposed) return;
    if (this.role === 'writer' && this.saver.pending) {
      this.saver.cancel();
      await this.saveNow();
    }
    await this.saving;
    this.dispose();
    await this.stopWriting();
    await this.lock.release();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.timers) clearInterval(t);
    this.saver.cancel();
    this.follower?.dispose();
    void this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}
