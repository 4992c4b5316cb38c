import type { RollUpResult } from '../core/store/retention';
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/types';
import { removeIndexFiles } from '../core/store/persist';
import { JOURNAL_FOLD_BYTES } from '../core/store/indexJournal';
import type { AgentMeterSettings, IndexReads, UsageSource, UsageStatus } from './usageSource';
import type { SettingsStore } from './config';
import type { CoreIndexApi } from '../app/indexApi';
import { WriterLock, type WriterLockOptions } from './lock';
import { errorText } from './errorText';
import { UsageModel } from './usageModel';
import { StatusSettingsSync } from './statusSettingsSync';
import { WindowStatus } from './windowStatus';
import { FIRST_INDEX_TITLE, writerPass, type ShowProgress } from './writerPass';
import { progressMessage } from '../app/progressText';
import { displayTranslator } from './i18n';
import { IndexSaver } from './indexSaver';
import { IngestScheduler } from './ingestScheduler';
import { ReaderFollower } from './readerFollower';
import { RebuildRequests, REBUILD_POLL_MS } from './rebuildRequests';
import { RoleChanges } from './roleChanges';
import { WorkerLosses } from './workerLosses';
import { FullCheckSchedule } from '../app/fullCheckSchedule';
import { LaterPaths } from '../app/laterPaths';
import { DATABASE_MIN_INTERVAL_MS } from '../core/ingest/databaseInterval';
import { WriterIndexer } from './writerIndexer';
import { LogRoots } from './logRoots';
import { INDEX_FILE, WRITER_LOCK_FILE } from '../app/writerLockFile';

export { REBUILD_REQUEST_FILE } from './rebuildRequests';

/**
 * How often the writer re-runs discovery and, at first and while it finds something, a stat-only refresh of every
 * log (catches what the watcher missed; backs off to every 5 min while it finds nothing: app/fullCheckSchedule.ts).
 */
const PERIODIC_CHECK_MS = 30_000;
/** the writer folds a journal of JOURNAL_FOLD_BYTES or more into the index file after this long without a save */
const FOLD_AFTER_IDLE_MS = 5 * 60_000;

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
  /**
   * the idle fold: how long after its last save the writer writes the whole index file when its journal holds
   * `journalFromBytes` or more (defaults 5 minutes, JOURNAL_FOLD_BYTES; tests)
   */
  fold?: { afterIdleMs?: number; journalFromBytes?: number };
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
 *
 * This class composes the parts, each with one concern and no `vscode` import: `RoleChanges` (role changes one at a
 * time), `WriterIndexer` (the writer's indexer and watcher), `IngestScheduler` (which files, one pass at a time),
 * `IndexSaver` (debounced saves with back-off), `ReaderFollower` (the reader's loads), `RebuildRequests` (a reader
 * asks the writer to rebuild), `WorkerLosses` (when to stop reopening after worker crashes), `LogRoots` (discovery).
 * The numbers come back as updates the worker pushes after each commit or load (`model`), never asked for.
 */
export class UsageService implements UsageSource, vscode.Disposable {
  /** the index worker has a database open (the writer's, or the reader's latest copy) */
  private hasDb = false;
  private role: Role = 'none';
  private readonly lock: WriterLock;
  private readonly roles = new RoleChanges();
  private readonly roots: LogRoots;
  private readonly indexer: WriterIndexer;
  private readonly ingest: IngestScheduler;
  private readonly saver: IndexSaver;
  private readonly reader: ReaderFollower;
  private readonly rebuildRequests: RebuildRequests;
  private readonly losses = new WorkerLosses();
  /** when the writer's periodic check stats every log file (less often while they keep showing nothing new) */
  private readonly fullCheck: FullCheckSchedule;
  /**
   * Writer: changed databases a pass left for later (read less than DATABASE_MIN_INTERVAL_MS before, as OpenCode's
   * while it streams), refreshed once that has passed — so their last change is read within ~10 s however long the
   * periodic full check waits; one timer for all deferred while it runs
   */
  private readonly later = new LaterPaths(DATABASE_MIN_INTERVAL_MS + 100, (paths) => {
    if (this.role !== 'writer' || this.disposed) return;
    this.ingest.want(paths);
    void this.refreshChanged();
  });
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** new data (a pushed update with a new data version) or a change of the window's state (role, error, rebuild) */
  readonly onDidChange = this.changeEmitter.event;
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  /** `getStatus()` or `hasData()` changed (indexing, last update, error): views re-render, nothing is recomputed */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** the summaries and data versions the index worker pushes */
  readonly model = new UsageModel();
  private readonly statusSettings: StatusSettingsSync;
  private readonly status: WindowStatus;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private rebuilding: Promise<void> | undefined;
  private shuttingDown: Promise<void> | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private disposed = false;
  private lastSettings: AgentMeterSettings;

  constructor(private readonly opts: UsageServiceOptions) {
    const index = opts.core.index;
    this.status = new WindowStatus((change) => (change === 'state' ? this.fire() : this.fireStatus()));
    this.statusSettings = new StatusSettingsSync(index, () => opts.settings.get());
    this.lock = new WriterLock({ path: join(opts.storageDir, WRITER_LOCK_FILE), windowId: opts.windowId, ...opts.lockTimings });
    this.roots = new LogRoots(opts.core.discover, opts.logger);
    this.indexer = new WriterIndexer(index, opts.logger);
    this.rebuildRequests = new RebuildRequests(opts.storageDir);
    this.ingest = new IngestScheduler({
      pass: (paths) => writerPass(paths, {
        index, generation: () => this.indexer.generation, status: this.status, onDataChanged: () => this.saver.trigger(),
        onDeferred: (paths) => this.later.add(paths),
        showProgress, progressText: (p) => progressMessage(p, displayTranslator()), logger: opts.logger,
      }),
      canPass: () => this.indexer.isRunning && this.hasDb,
      keepGoing: () => !this.disposed && this.role === 'writer',
      onFailed: (e) => {
        this.status.set({ indexing: false, error: errorText(e) });
        this.log().error(`refresh failed: ${errorText(e)}`);
        this.fire();
      },
    });
    // Short: the writer saves in the index worker (the host never waits for it), and a reader shows an append
    // only after that save, so this delay is most of the "every window within 2 s" budget. The 1 s cap bounds
    // the writes under an agent streaming lines (one atomic file write per second at most).
    this.saver = new IndexSaver({
      save: async () => {
        await index.save(this.dbPath);
      },
      canSave: () => this.hasDb && this.role === 'writer' && this.lock.isHeld,
      logger: opts.logger,
      debounceMs: opts.saveDebounceMs ?? 250,
      fold: {
        afterIdleMs: opts.fold?.afterIdleMs ?? FOLD_AFTER_IDLE_MS,
        run: () => index.save(this.dbPath, { wholeIfJournalFrom: opts.fold?.journalFromBytes ?? JOURNAL_FOLD_BYTES }),
      },
    });
    this.reader = new ReaderFollower({
      dbPath: this.dbPath,
      index,
      isReader: () => this.role === 'reader',
      keepGoing: () => !this.disposed,
      beforeLoad: () => this.statusSettings.ensure(),
      onLoaded: () => {
        this.hasDb = true;
        this.status.set({ lastUpdatedMs: Date.now(), error: undefined });
        this.fireStatus(); // the data change came as the load's pushed update
      },
      logger: opts.logger,
    });
    this.fullCheck = new FullCheckSchedule(opts.periodicCheckMs ?? PERIODIC_CHECK_MS);
    this.ready = new Promise((r) => (this.markReady = r));
    this.lastSettings = opts.settings.get();
    this.disposables.push(
      opts.settings.onDidChange((s) => void this.onSettings(s)),
      opts.core.onLogsChanged((paths) => {
        if (this.role !== 'writer' || this.disposed) return;
        if (!paths) this.fullCheck.reset(); // the watcher may have missed changes (its start-up walk, an error)
        this.ingest.want(paths);
        void this.refreshChanged();
      }),
      opts.core.onIndexUpdate((u) => {
        if (!this.disposed) this.model.accept(u);
      }),
      opts.core.onIndexLost(() => this.onIndexLost()),
      this.model,
      this.model.onDidChangeData(() => this.fire()),
    );
  }

  get dbPath(): string {
    return join(this.opts.storageDir, INDEX_FILE);
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
    return { ...this.status.current, isWriter: this.role === 'writer' };
  }

  /**
   * Writer: rolls up the index's detail older than `detailDays` into daily rows of the time zone setting (retention, in the index worker) and
   * saves when rows moved; null in a reader window or before the index is open.
   */
  async applyRetention(detailDays: number, nowMs = Date.now()): Promise<RollUpResult | null> {
    if (this.disposed || this.role !== 'writer' || !this.hasDb) return null;
    const r = await this.opts.core.index.applyRetention(detailDays, nowMs, this.opts.settings.get().timeZone);
    if (r && r.rowsBefore > 0) this.saver.trigger();
    return r;
  }

  /** Resolves when this window has data to show: the first refresh (writer) or the first load (reader) is done. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Starts everything: discovery, the lock, then the writer or reader role. Call after activation returned. */
  async start(): Promise<void> {
    // the index worker starts now and opens the index file while this window takes the lock (adopted when it becomes
    // the writer and the file is unchanged): today's numbers do not wait for the lock's settle time (the worker
    // takes the requests in order: the settings, then the file)
    this.statusSettings.ensure().catch((e) => this.log().warn(`index worker: ${errorText(e)}`));
    void this.openEarly();
    await fsp.mkdir(this.opts.storageDir, { recursive: true });
    await this.discover();
    await this.lock.start((held) => this.switchRole(held ? 'writer' : 'reader'));
    if (this.disposed) return; // closed during start-up
    this.every(this.opts.periodicCheckMs ?? PERIODIC_CHECK_MS, () => void this.periodicCheck());
    this.every(REBUILD_POLL_MS, () => void this.checkRebuildRequest());
  }

  /**
   * Opens the index file early (`prepareOpen`) unless another window holds the writer lock now: this window will then
   * read the writer's saves (`openReadOnly`), which would drop the early open, ~0.3-0.5 s of the worker's CPU at a year.
   */
  private async openEarly(): Promise<void> {
    if (await this.lock.heldByAnother()) return;
    await this.opts.core.index.prepareOpen(this.dbPath).catch((e) => this.log().warn(`opening the usage index early: ${errorText(e)}`));
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

  /**
   * The index worker stopped unexpectedly (a crash, out of memory): its database is gone. A writer opens the index
   * file again (the last save; what was ingested since is read again from the logs), a reader reloads it. After
   * three losses within 10 minutes the window stops (a crash that repeats at every open), says so, and hands the
   * writer lock to another window.
   */
  private onIndexLost(): void {
    if (this.disposed) return;
    this.losses.record(Date.now());
    this.hasDb = false;
    this.statusSettings.invalidate(); // the new worker has none
    this.model.reset();
    this.indexer.lost();
    if (this.losses.tooOften(Date.now())) {
      this.status.set({ indexing: false, error: this.losses.message() });
      this.log().error(this.losses.message());
      this.role = 'none';
      void this.lock.release(); // another window may take over the index
      this.fire();
      return;
    }
    this.log().warn('opening the usage index again after the index worker stopped');
    this.status.set({ indexing: false });
    const was = this.role;
    this.role = 'none';
    if (was === 'writer') this.switchRole('writer');
    else if (was === 'reader') {
      this.role = 'reader';
      void this.reader.reload();
    }
    this.fire();
  }

  /**
   * Asks the index worker to push the summary as of now (the status bar's tick: a block ends, the day changes);
   * the answer arrives as an update like any other.
   */
  async publishStatus(): Promise<void> {
    if (!this.hasDb || this.disposed) return;
    await this.opts.core.index.publishStatus();
  }

  /**
   * Writer: save soon although no usage changed (the team push wrote its watermark to the index's `meta`: kept, a
   * restart does not send the whole history again).
   */
  saveSoon(): void {
    if (this.role === 'writer' && !this.disposed) this.saver.trigger();
  }

  /** Discovers the log folders again (the status shows where it looked); true when they changed. */
  private async discover(): Promise<boolean> {
    const changed = await this.roots.update(this.opts.settings.get().sources);
    const roots = this.roots.current!;
    this.status.set({ searched: roots.searched, notes: roots.notes });
    return changed;
  }

  /** Role changes are serialised: a change arriving during one waits for it. */
  private switchRole(to: 'writer' | 'reader'): void {
    this.roles.change(
      () => (to === 'writer' ? this.becomeWriter() : this.becomeReader()),
      (e) => {
        this.status.set({ error: errorText(e) });
        this.log().error(`could not start as ${to}: ${errorText(e)}`);
      },
      () => this.markReady(),
    );
  }

  private async becomeWriter(): Promise<void> {
    if (this.disposed || this.role === 'writer') return;
    this.log().info('this window maintains the usage index (writer)');
    this.reader.stop();
    await this.statusSettings.ensure();
    const { notes } = await this.opts.core.index.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    if (notes.length) void vscode.window.showWarningMessage(vscode.l10n.t('AgentMeter: {0}', notes.join(' ')));
    this.hasDb = true;
    this.role = 'writer';
    this.fireStatus();
    await this.startIndexer();
    this.restartWatcher();
    await this.refreshNow();
  }

  private async becomeReader(): Promise<void> {
    if (this.disposed) return;
    if (this.role === 'reader' && this.reader.following) return;
    const wasWriter = this.role === 'writer';
    this.log().info(wasWriter ? 'another window took over the usage index; this window now reads it' : 'another window maintains the usage index; this window reads it');
    this.role = 'reader';
    this.saver.cancel();
    await this.indexer.stop();
    await this.reader.start(wasWriter);
  }

  private async startIndexer(): Promise<void> {
    const roots = this.roots.current;
    if (!this.hasDb || !roots) return;
    await this.indexer.start(roots.roots);
  }

  /** Writer: (re)starts the log watcher. */
  private restartWatcher(): void {
    const roots = this.roots.current;
    if (this.role !== 'writer' || !roots) return;
    this.fullCheck.reset();
    this.indexer.watch(roots.roots, this.opts.settings.get().watchUsePolling);
  }

  /**
   * Writer: ingest what is new (coalesced: a call during a refresh runs one more refresh afterwards).
   * Reader: reload the database file.
   */
  refresh(): Promise<void> {
    // during a role change (e.g. taking over as writer: the indexer is not started yet) wait for it first
    if (this.roles.busy) return this.roles.settled().then(() => this.refresh());
    return this.refreshNow();
  }

  /** `refresh()` without waiting for a role change (used by the role change itself): every file is stat'ed. */
  private refreshNow(): Promise<void> {
    if (this.role === 'reader') return this.reader.reload();
    if (this.role !== 'writer') return this.roles.settled();
    this.ingest.want(undefined);
    return this.ingest.run();
  }

  /** Writer: a pass over the files the watcher reported, after a role change in progress. */
  private refreshChanged(): Promise<void> {
    if (this.roles.busy) return this.roles.settled().then(() => this.refreshChanged());
    return this.role === 'writer' ? this.ingest.run() : Promise.resolve();
  }

  private async periodicCheck(): Promise<void> {
    if (this.disposed) return;
    // this window holds the lock but could not open the index (e.g. the file could not be read): try again
    if (this.lock.isHeld && this.role !== 'writer' && !this.roles.busy && !this.losses.tooOften(Date.now())) this.switchRole('writer');
    try {
      const changed = await this.discover();
      if (changed && this.role === 'writer') {
        await this.startIndexer();
        this.restartWatcher();
      }
    } catch (e) {
      this.log().warn(`discovery failed: ${errorText(e)}`);
    }
    if (this.role !== 'writer' || !this.fullCheck.due(Date.now())) return;
    const before = this.model.latest;
    await this.refresh();
    const after = this.model.latest;
    this.fullCheck.done(Date.now(), !!after && (!before || before.epoch !== after.epoch || before.version !== after.version));
  }

  private async onSettings(s: AgentMeterSettings): Promise<void> {
    const prev = this.lastSettings;
    this.lastSettings = s;
    if (JSON.stringify(prev.sources) !== JSON.stringify(s.sources)) {
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
    this.statusSettings.invalidate();
    await this.statusSettings.ensure().catch((e) => this.log().warn(`status settings: ${errorText(e)}`));
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
    await this.rebuildRequests.request();
    this.log().info('asked the writer window to rebuild the index');
  }

  private async rebuildNow(): Promise<void> {
    const reset = await this.roles.step(async () => {
      if (this.role !== 'writer' || this.disposed) return false; // another window writes the index now
      await this.resetIndex();
      return true;
    });
    if (!reset) return this.disposed ? undefined : this.requestRebuild(); // the new writer does it
    this.fire();
    await this.refresh();
    await this.saver.saveNow();
    this.log().info('the index was rebuilt from the logs');
  }

  private async resetIndex(): Promise<void> {
    this.log().info('rebuilding the index from the logs');
    this.saver.cancel();
    await this.saver.idle();
    await this.indexer.stop();
    await this.opts.core.index.close();
    this.hasDb = false;
    this.model.reset();
    removeIndexFiles(this.dbPath);
    const { notes } = await this.opts.core.index.openWritable(this.dbPath);
    for (const n of notes) this.log().warn(n);
    this.hasDb = true;
    this.status.set({ lastUpdatedMs: null });
    await this.startIndexer();
    this.restartWatcher();
  }

  private async checkRebuildRequest(): Promise<void> {
    if (this.role !== 'writer' || this.disposed) return;
    if (!(await this.rebuildRequests.take())) return;
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
        await this.ingest.passInProgress(); // its changes are in the save below
        this.saver.flush();
      }
      await this.saver.idle();
    } finally {
      // whatever happened above, the window lets go: timers, the lock (so another window takes over), the worker
      this.quiesce();
      await this.indexer.stop().catch(() => {});
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
    this.later.dispose();
    this.saver.dispose();
    this.reader.stop();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
    this.statusEmitter.dispose();
  }
}

/** The first index's progress notification. */
const showProgress: ShowProgress = async (title, task) =>
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: title === FIRST_INDEX_TITLE ? vscode.l10n.t('AgentMeter: indexing usage logs') : title, cancellable: false },
    (progress) => task((r) => progress.report(r)),
  );
