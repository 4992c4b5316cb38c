import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/types';
import type { AgentMeterSettings, IndexReads, UsageSource, UsageStatus } from './usageSource';
import type { SettingsStore } from './config';
import type { CoreIndexApi, DiscoveredRoots, IndexUpdate, IngestProgress } from './indexApi';
import type { Roots } from '../core/discovery';
import { WriterLock, type WriterLockOptions } from './lock';
import { FileFollower, fileSignature } from './fileFollower';
import { debounce, type Debounced } from './debounce';
import { coalesced } from './coalesce';
import { errorText } from './log';
import { progressMessage } from './progressText';
import { UsageModel } from './usageModel';
import { statusSettingsOf } from './statusSettings';

export const DB_FILE = 'usage-index.sqlite';
export const LOCK_FILE = 'writer.lock';
export const REBUILD_REQUEST_FILE = 'rebuild.request';

/** How often the writer re-runs discovery and a stat-only refresh (catches what the watcher missed). */
const PERIODIC_CHECK_MS = 30_000;
/**
 * The first index commits a batch this often (the indexer's default is 500 ms); the worker pushes the first batch's
 * summary at once and later ones throttled, so today's files (read first) show early.
 */
const FIRST_INDEX_FLUSH_MS = 200;
/** Losses of the index worker tolerated within LOSS_WINDOW_MS before the window stops reopening the index. */
const MAX_LOSSES = 3;
const LOSS_WINDOW_MS = 10 * 60_000;
/** A failed save is tried again after 1 s, 2 s, 4 s … and then every this often. */
const SAVE_RETRY_MAX_MS = 30_000;
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
  /** save debounce in ms (default 250; under a steady stream of changes a save still happens at least every 1 s) */
  saveDebounceMs?: number;
  /** how often the writer re-runs discovery and a stat-only refresh (default 30 s; tests) */
  periodicCheckMs?: number;
}

type Role = 'none' | 'writer' | 'reader';

/**
 * Owns the usage index for this window.
 * Exactly one window (the holder of the lock in global storage) ingests and writes the database file; the others
 * load it read-only and reload it whenever the writer saves, so every window shows the same numbers and nothing
 * is counted twice. When the writer goes away its lock goes stale and a reader takes over within ~10 s.
 * The database and the indexer live in the index worker (`core.index`): this thread only keeps the lock and the
 * timers, so it never blocks on ingest, saves, reloads or the log watcher's start-up walk.
 * The writer refreshes on file events (debounced; only the files reported), every 30 s (every file stat'ed), and on
 * demand; refreshes never overlap (a request during a refresh runs once more afterwards). Saves are debounced and
 * atomic. The numbers come back as updates the worker pushes after each commit or load (`model`), never asked for.
 */
export class UsageService implements UsageSource, vscode.Disposable {
  /** the index worker has a database open (the writer's, or the reader's latest copy) */
  private hasDb = false;
  private role: Role = 'none';
  private roots: DiscoveredRoots | undefined;
  /** bumped whenever the indexer is replaced or stopped; 0 = none runs */
  private indexerGen = 0;
  private indexerRunning = false;
  private watching = false;
  private follower: FileFollower | undefined;
  private readonly lock: WriterLock;
  private readonly saver: Debounced;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** new data (a pushed update with a new data version) or a change of the window's state (role, error, rebuild) */
  readonly onDidChange = this.changeEmitter.event;
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  /** `getStatus()` or `hasData()` changed (indexing, last update, error): views re-render, nothing is recomputed */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** the summaries and data versions the index worker pushes */
  readonly model = new UsageModel();
  /** the status settings reached the current index worker */
  private statusConfigured = false;
  /** files the watcher reported since the last writer pass took them; 'all' = stat every file */
  private pendingPaths: Set<string> | 'all' = new Set();
  private status: UsageStatus = { indexing: false, lastUpdatedMs: null, claudeRoots: [], codexRoots: [], notes: [], isWriter: false };
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private roleChain: Promise<void> = Promise.resolve();
  /** role changes queued or running */
  private switching = 0;
  private saving: Promise<void> = Promise.resolve();
  /** a save is queued and has not started yet (it will include every change made until it starts) */
  private saveQueued = false;
  /** the refresh pass in progress: a save waits for it, not for the passes coalesced after it */
  private ingesting: Promise<void> | undefined;
  /** this window wrote the database the worker holds, and no load of the writer's file has replaced it yet */
  private replaceWritable = false;
  private rebuilding: Promise<void> | undefined;
  private saveFailures = 0;
  private saveRetry: ReturnType<typeof setTimeout> | undefined;
  /** when the index worker was lost lately (onIndexLost) */
  private losses: number[] = [];
  private shuttingDown: Promise<void> | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private disposed = false;
  private lastSettings: AgentMeterSettings;

  constructor(private readonly opts: UsageServiceOptions) {
    this.lock = new WriterLock({ path: join(opts.storageDir, LOCK_FILE), windowId: opts.windowId, ...opts.lockTimings });
    // Short: the writer saves in the index worker (the host never waits for it), and a reader shows an append
    // only after that save, so this delay is most of the "every window within 2 s" budget. The 1 s cap bounds
    // the writes under an agent streaming lines (one atomic file write per second at most).
    const wait = opts.saveDebounceMs ?? 250;
    this.saver = debounce(() => void this.saveNow(), wait, Math.max(wait, 1000));
    this.ready = new Promise((r) => (this.markReady = r));
    this.lastSettings = opts.settings.get();
    this.disposables.push(
      opts.settings.onDidChange((s) => void this.onSettings(s)),
      opts.core.onLogsChanged((paths) => {
        if (this.role !== 'writer' || this.disposed) return;
        this.want(paths);
        void this.refreshChanged();
      }),
      opts.core.onIndexUpdate((u) => this.onIndexUpdate(u)),
      opts.core.onIndexLost(() => this.onIndexLost()),
      this.model,
      this.model.onDidChangeData(() => this.fire()),
    );
  }

  /**
   * The index worker stopped unexpectedly (a crash, out of memory): its database is gone. A writer opens the index
   * file again (the last save; what was ingested since is read again from the logs), a reader reloads it. After
   * three losses within 10 minutes the window stops (a crash that repeats at every open), says so, and hands the
   * writer lock to another window.
   */
  private lostTooOften(): boolean {
    return this.losses.filter((t) => Date.now() - t < LOSS_WINDOW_MS).length > MAX_LOSSES;
  }

  private onIndexLost(): void {
    if (this.disposed) return;
    const now = Date.now();
    this.losses = [...this.losses.filter((t) => now - t < LOSS_WINDOW_MS), now];
    this.hasDb = false;
    this.statusConfigured = false; // the new worker has none
    this.model.reset();
    this.indexerGen++;
    this.indexerRunning = false;
    this.watching = false;
    if (this.lostTooOften()) {
      this.status = { ...this.status, indexing: false, error: `the index worker stopped ${this.losses.length} times in 10 minutes; reload the window to try again (see AgentMeter: Show Log)` };
      this.log().error(this.status.error!);
      this.role = 'none';
      void this.lock.release(); // another window may take over the index
      this.fire();
      return;
    }
    this.log().warn('opening the usage index again after the index worker stopped');
    this.status = { ...this.status, indexing: false };
    const was = this.role;
    this.role = 'none';
    if (was === 'writer') this.switchRole('writer');
    else if (was === 'reader') {
      this.role = 'reader';
      void this.reload();
    }
    this.fire();
  }

  get dbPath(): string {
    return join(this.opts.storageDir, DB_FILE);
  }

  // ---- UsageSource ----
  hasData(): boolean {
    return this.hasDb;
  }
  get index(): IndexReads {
    return this.opts.core.index;
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
    if (this.disposed) return; // closed during start-up
    this.every(this.opts.periodicCheckMs ?? PERIODIC_CHECK_MS, () => void this.periodicCheck());
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

  /** The data or the window's state changed (views rebuild; the status bar re-renders). */
  private fire(): void {
    if (this.disposed) return;
    this.changeEmitter.fire();
    this.statusEmitter.fire();
  }

  /** Only the status changed (indexing, last update): the status bar re-renders from the last summary. */
  private fireStatus(): void {
    if (!this.disposed) this.statusEmitter.fire();
  }

  private onIndexUpdate(u: IndexUpdate): void {
    if (this.disposed) return;
    this.model.accept(u);
  }

  /** Sends the status settings to the index worker unless it has them (a new worker after a loss has none). */
  private async ensureStatusSettings(): Promise<void> {
    if (this.statusConfigured) return;
    await this.opts.core.index.configureStatus(statusSettingsOf(this.opts.settings.get()));
    this.statusConfigured = true;
  }

  /**
   * Asks the index worker to push the summary as of now (the status bar's tick: a block ends, the day changes);
   * the answer arrives as an update like any other.
   */
  async publishStatus(): Promise<void> {
    if (!this.hasDb || this.disposed) return;
    await this.opts.core.index.publishStatus();
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
    this.switching++;
    this.roleChain = this.roleChain
      .then(() => (to === 'writer' ? this.becomeWriter() : this.becomeReader()))
      .catch((e) => {
        this.status = { ...this.status, error: errorText(e) };
        this.log().error(`could not start as ${to}: ${errorText(e)}`);
      })
      .finally(() => {
        this.switching--;
        this.markReady();
      });
  }

  private async becomeWriter(): Promise<void> {
    if (this.disposed || this.role === 'writer') return;
    this.log().info('this window maintains the usage index (writer)');
    this.follower?.dispose();
    this.follower = undefined;
    this.replaceWritable = false;
    await this.ensureStatusSettings();
    const { notes } = await this.opts.core.index.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    if (notes.length) void vscode.window.showWarningMessage(`AgentMeter: ${notes.join(' ')}`);
    this.hasDb = true;
    this.role = 'writer';
    this.fireStatus();
    await this.startIndexer();
    this.restartWatcher();
    await this.refreshNow();
  }

  private async becomeReader(): Promise<void> {
    if (this.disposed) return;
    if (this.role === 'reader' && this.follower) return;
    const wasWriter = this.role === 'writer';
    this.log().info(wasWriter ? 'another window took over the usage index; this window now reads it' : 'another window maintains the usage index; this window reads it');
    this.role = 'reader';
    this.saver.cancel();
    await this.stopWriting();
    // the signature before the load: a save landing while we load (or after a failed load) is then a change
    const seen = await fileSignature(this.dbPath);
    // until a load succeeds, every reload may replace our writable copy (the file may not exist yet)
    if (wasWriter) this.replaceWritable = true;
    await this.reload();
    this.follower = new FileFollower({ path: this.dbPath, onChange: () => void this.reload() });
    await this.follower.start(seen);
  }

  private async startIndexer(): Promise<void> {
    if (!this.hasDb || !this.roots) return;
    this.indexerGen++;
    this.indexerRunning = false;
    await this.opts.core.index.startIndexer(this.roots.raw as Pick<Roots, 'claude' | 'codex'>);
    this.indexerRunning = true;
  }

  private async stopWriting(): Promise<void> {
    if (this.watching) {
      this.watching = false;
      await this.opts.core.index.unwatchLogs();
    }
    this.indexerGen++;
    const wasRunning = this.indexerRunning;
    this.indexerRunning = false;
    if (wasRunning) await this.opts.core.index.stopIndexer();
  }

  /** Writer: (re)starts the log watcher (in the index worker: its start-up walk of the log folders is heavy). */
  private restartWatcher(): void {
    if (this.role !== 'writer' || !this.roots) return;
    const s = this.opts.settings.get();
    this.watching = true;
    this.opts.core.index
      .watchLogs([...this.roots.claudeDirs, ...this.roots.codexDirs], s.watchUsePolling)
      .catch((e) => this.log().warn(`file watcher: ${errorText(e)}`));
  }

  /**
   * Writer: ingest what is new (coalesced: a call during a refresh runs one more refresh afterwards).
   * Reader: reload the database file.
   */
  refresh(): Promise<void> {
    // during a role change (e.g. taking over as writer: the indexer is not started yet) wait for it first
    if (this.switching > 0) return this.roleChain.then(() => this.refresh());
    return this.refreshNow();
  }

  /** `refresh()` without waiting for a role change (used by the role change itself): every file is stat'ed. */
  private refreshNow(): Promise<void> {
    if (this.role === 'reader') return this.reload();
    if (this.role !== 'writer') return this.roleChain;
    this.want(undefined);
    return this.ingest();
  }

  /** Writer: a pass over the files the watcher reported (`want`), after a role change in progress. */
  private refreshChanged(): Promise<void> {
    if (this.switching > 0) return this.roleChain.then(() => this.refreshChanged());
    return this.role === 'writer' ? this.ingest() : Promise.resolve();
  }

  /** Adds files for the next writer pass to look at; undefined = every file. */
  private want(paths: readonly string[] | undefined): void {
    if (!paths) this.pendingPaths = 'all';
    else if (this.pendingPaths !== 'all') for (const p of paths) this.pendingPaths.add(p);
  }

  /** Writer passes, one at a time; a call during a pass runs one more pass afterwards. */
  private readonly ingest = coalesced(
    async () => {
      await this.saving; // a save that waited for the previous pass goes first
      this.ingesting = this.ingestOnce();
      await this.ingesting;
      this.ingesting = undefined;
    },
    () => !this.disposed && this.role === 'writer',
  );

  private async ingestOnce(): Promise<void> {
    const gen = this.indexerGen;
    if (!this.indexerRunning || !this.hasDb) return;
    const target = this.pendingPaths;
    if (target !== 'all' && target.size === 0) return; // a pass before this one took them
    this.pendingPaths = new Set();
    const paths = target === 'all' ? undefined : [...target];
    const index = this.opts.core.index;
    this.status = { ...this.status, indexing: true };
    const started = Date.now();
    try {
      const first = this.status.lastUpdatedMs === null && (await index.isEmpty());
      if (first) this.fireStatus();
      // While a large refresh runs, the worker pushes what is in already: the indexer takes the newest files first
      // and commits batches (the first index every 200 ms), so today's numbers show well within a second.
      const result = first
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'AgentMeter: indexing usage logs', cancellable: false },
            async (progress) => {
              let lastPct = 0;
              return index.refresh(
                (q: IngestProgress) => {
                  const pct = q.bytesTotal > 0 ? (100 * q.bytesDone) / q.bytesTotal : 0;
                  progress.report({ message: progressMessage(q), increment: Math.max(0, pct - lastPct) });
                  lastPct = Math.max(lastPct, pct);
                },
                { flushEveryMs: FIRST_INDEX_FLUSH_MS, paths },
              );
            },
          )
        : await index.refresh(undefined, { paths });
      if (this.indexerGen !== gen || !result) {
        this.status = { ...this.status, indexing: false }; // replaced (rebuild, role change) meanwhile
        this.fireStatus();
        return;
      }
      const hadError = this.status.error !== undefined;
      this.status = { ...this.status, indexing: false, lastUpdatedMs: Date.now(), error: undefined };
      if (result.changed || first) {
        this.log().debug(
          `refresh: ${result.filesChanged}/${result.filesScanned} files changed, ${(result.bytesRead / 1e6).toFixed(1)} MB, ${result.records} records, ${result.malformedLines} malformed lines, ${Date.now() - started} ms`,
        );
        this.saver.trigger();
      }
      // new data arrived as a pushed update already; views rebuild here only when the window's state changed
      if (first || hadError) this.fire();
      else this.fireStatus();
    } catch (e) {
      this.want(undefined); // the next pass looks at every file
      this.status = { ...this.status, indexing: false, error: errorText(e) };
      this.log().error(`refresh failed: ${errorText(e)}`);
      this.fire();
    }
  }

  private saveNow(): Promise<void> {
    if (this.saveQueued) return this.saving;
    this.saveQueued = true;
    this.saving = this.saving.then(async () => {
      // sql.js export() must not run inside the indexer's open transaction: wait for the pass in progress
      while (this.ingesting) await this.ingesting;
      this.saveQueued = false;
      if (!this.hasDb || this.role !== 'writer' || !this.lock.isHeld) return;
      clearTimeout(this.saveRetry);
      try {
        await this.opts.core.index.save(this.dbPath);
        if (this.saveFailures > 0) this.log().info(`the index is saved again (after ${this.saveFailures} failed attempt(s))`);
        this.saveFailures = 0;
      } catch (e) {
        // e.g. a full disk: try again later (1 s, 2 s, 4 s … at most every 30 s), even when no new usage comes in
        this.saveFailures++;
        const inMs = Math.min(SAVE_RETRY_MAX_MS, 1000 * 2 ** (this.saveFailures - 1));
        const text = `saving the index failed: ${errorText(e)}; trying again in ${Math.round(inMs / 1000)} s`;
        if (this.saveFailures === 1) this.log().error(text);
        else this.log().debug(text);
        if (!this.disposed) {
          this.saveRetry = setTimeout(() => void this.saveNow(), inMs);
          this.saveRetry.unref?.();
        }
      }
    });
    return this.saving;
  }

  /**
   * Reader: loads the writer's latest saved file (read-only) in the index worker. A half-written or unreadable
   * file is retried on the next change. `replaceWritable` on the switch from writer to reader.
   */
  // one load at a time, the last one after every change: two loads in flight could finish out of order and leave the
  // window on the older file
  private readonly reload = coalesced(() => this.reloadOnce(), () => !this.disposed);

  private async reloadOnce(): Promise<void> {
    if (this.role !== 'reader') return;
    try {
      await this.ensureStatusSettings(); // the load pushes the summary of the loaded file
      const loaded = await this.opts.core.index.openReadOnly(this.dbPath, this.replaceWritable);
      if (this.role !== 'reader') return;
      if (loaded) {
        this.replaceWritable = false;
        this.hasDb = true;
        this.status = { ...this.status, lastUpdatedMs: Date.now(), error: undefined };
        this.fireStatus(); // the data change came as the load's pushed update
      }
    } catch (e) {
      this.log().warn(`reloading the index failed (will retry on the next change): ${errorText(e)}`);
    }
  }

  private async periodicCheck(): Promise<void> {
    if (this.disposed) return;
    // this window holds the lock but could not open the index (e.g. the file could not be read): try again
    if (this.lock.isHeld && this.role !== 'writer' && this.switching === 0 && !this.lostTooOften()) this.switchRole('writer');
    try {
      const changed = await this.discover();
      if (changed && this.role === 'writer') {
        await this.startIndexer();
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
        await this.startIndexer().catch((e) => this.log().error(`could not restart the indexer: ${errorText(e)}`));
        this.restartWatcher();
        await this.refresh();
      }
    } else if (prev.watchUsePolling !== s.watchUsePolling) {
      this.restartWatcher();
    }
    // prices, zone, budgets, plan: the worker computes and pushes the summary again
    this.statusConfigured = false;
    await this.ensureStatusSettings().catch((e) => this.log().warn(`status settings: ${errorText(e)}`));
    this.fireStatus(); // format, currency, placement: the status bar re-renders
  }

  /**
   * Deletes the index and re-ingests every log. In a reader window the request is handed to the writer
   * through a file in global storage (picked up within ~2 s).
   */
  async rebuild(): Promise<void> {
    if (this.role !== 'writer') return this.requestRebuild();
    // one at a time (a request during a rebuild is that rebuild), never interleaved with a role change
    this.rebuilding ??= this.rebuildNow().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async requestRebuild(): Promise<void> {
    await fsp.writeFile(join(this.opts.storageDir, REBUILD_REQUEST_FILE), String(Date.now()));
    this.log().info('asked the writer window to rebuild the index');
  }

  private async rebuildNow(): Promise<void> {
    let reset = false;
    const step = this.roleChain.then(async () => {
      if (this.role !== 'writer' || this.disposed) return; // another window writes the index now
      await this.resetIndex();
      reset = true;
    });
    this.roleChain = step.catch(() => {});
    await step;
    if (!reset) return this.disposed ? undefined : this.requestRebuild(); // the new writer does it
    this.fire();
    await this.refresh();
    await this.saveNow();
    this.log().info('the index was rebuilt from the logs');
  }

  private async resetIndex(): Promise<void> {
    this.log().info('rebuilding the index from the logs');
    this.saver.cancel();
    await this.saving;
    await this.stopWriting();
    await this.opts.core.index.close();
    this.hasDb = false;
    this.model.reset();
    await fsp.rm(this.dbPath, { force: true });
    const { notes } = await this.opts.core.index.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    this.hasDb = true;
    this.status = { ...this.status, lastUpdatedMs: null };
    await this.startIndexer();
    this.restartWatcher();
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
  shutdown(): Promise<void> {
    // VS Code disposes context.subscriptions (→ dispose()) right after calling deactivate(), without waiting for it
    this.shuttingDown ??= this.shutdownNow();
    return this.shuttingDown;
  }

  private async shutdownNow(): Promise<void> {
    if (this.disposed) return;
    try {
      if (this.role === 'writer') {
        await this.ingesting; // the pass in progress: its changes are in the save below
        this.saver.flush();
      }
      await this.saving;
    } finally {
      // whatever happened above, the window lets go: timers, the lock (so another window takes over), the worker
      this.quiesce();
      await this.stopWriting().catch(() => {});
      await this.lock.release().catch((e) => this.log().warn(`releasing the writer lock: ${errorText(e)}`));
      await this.opts.core.dispose();
    }
  }

  dispose(): void {
    if (this.disposed || this.shuttingDown) return; // a shutdown in progress saves, then stops the worker itself
    this.quiesce();
    void this.opts.core.dispose();
  }

  /** Stops timers, watchers and events (the index worker keeps running until dispose/shutdown stops it). */
  private quiesce(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.saveRetry);
    this.saver.cancel();
    this.follower?.dispose();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
    this.statusEmitter.dispose();
  }
}
