/**
 * The usage index of one window: the sql.js database and the incremental Indexer, plus every read the host
 * needs, answered as plain data. Runs inside the index worker (main.ts), so ingest, saves, reloads and the heavy
 * computations (status summary, dashboard snapshot, export text) never block the extension host's event loop.
 * No `vscode` import. One database at a time: opening another closes the previous one.
 */
import { statsCachesSignature } from '../../core/store/claudeStatsCaches';
import { costOf } from '../../core/pricing/costOf';
import { loadEstimatedDays, type EstimatedDays } from '../../core/query/estimatedDays';
import { unknownUsageSessions } from '../../core/store/unknownUsage';
import { existsSync } from 'node:fs';
import type { Database, SqlJsStatic } from 'sql.js';
import type { Roots } from '../../core/discovery';
import { Indexer } from '../../core/ingest/indexer';
import {
  followJournal, journalReadUpTo, freshIndexDatabase, IndexFileReadError, isCorruptDatabaseError, moveIndexAside, openIndexDatabase, readIndexCopy,
  saveIndexDatabase, type OpenedIndex, type SaveOptions, type SaveResult,
} from '../../core/store/persist';
import { readJournalFile, readJournalFrom } from './savedIndexFiles';
import { fileStamp, sameFileStamp, type FileStamp } from '../../core/fileStamp';
import { loadSqlJs } from '../../core/store/sqljs';
import { readFileWithRoomAsync } from '../../core/store/roomyFile';
import { hasIngestedFiles } from '../../core/query/files';
import {
  loadCounters, loadFacts, loadLatestRateLimits, loadLimitResets, loadProjects, loadRateLimitSamples,
  type FactFilter, type LimitReset, type ProjectInfo,
} from '../../core/query/facts';
import type { Counters } from '../../core/store/counters';
import type { Fact, Logger, RateLimitSnapshot, Source } from '../../core/types';
import { priceTableDate, type CurrencyRates, type PriceOverrides, type PriceTable } from '../../core/pricing/priceTable';
import type { ActivityView, DashboardSnapshot, SessionsPage, SessionsPageAsk } from '../../shared/protocol';
import { DEFAULT_SESSION_SORT, type SessionSort } from '../../shared/sessionsTable';
import type { SessionTable } from '../dashboard/sessionTable';
import { KeptGroups } from '../dashboard/keptGroups';
import { PriceTableCache } from '../prices';
import { blockLookbackStart, summarizeStatus, statusFactsSince, type StatusSummary } from '../status/statusSummary';
import { loadAnomalyBaseline, todayAnomaly, type AnomalyBaseline } from '../status/dayAnomaly';
import { zoneCalendar } from '../../core/report/tz';
import { exportRows, rowsToCsv, rowsToJson, type ExportRequest } from '../export';
import { loadActivityFacts } from '../../core/query/activityFacts';
import { activityView } from '../dashboard/activityView';
import { ACTIVITY_NOT_PER_PROJECT } from '../../core/activity';
import { retentionCutoff, rollUpUsage, type RollUpResult } from '../../core/store/retention';
import { createReportFile, type ReportQuery, type ReportWritten } from '../reports/createReportFile';
import { loadDashboardData, sessionLogPath, snapshotFrom, type DashboardData, type SnapshotContext } from '../dashboard/fromDatabase';
import type { IndexUpdate, IngestProgress, IngestSummary } from '../indexUpdates';
import { claudeBlockChainStart } from '../../core/query/claudeBlocks';
import { idleGapMarks, updateIdleGaps } from '../../core/store/idleGaps';
import { committedDims } from '../../core/query/committedDims';
import { keptDimTotalsState } from '../../core/query/keptDimTotals';
import { projectLabels } from '../../core/query/projectPaths';
import { keptHistoryOf } from '../dashboard/keptHistory';
import { keptStatusFacts } from '../../core/query/keptStatusFacts';
import { adoptPreopened, dropPreopened, preopenIndexDatabase, type PreopenedIndex } from '../../core/store/preopen';
import { PlanBlocks } from './planBlocks';
import type { BlockLike } from '../../core/limits/blockLike';
import { projectDisplayPaths } from '../../core/query/projectPaths';
import { resolvePlanLimit, type PlanLimit, type PlanSetting } from '../../core/limits/plans';
import { periodAt } from '../../core/limits/periods';

/** Waits before the next attempt to read an index file that could not be read (e.g. held by a scanner). */
const OPEN_RETRY_MS = [100, 400, 1000];

export interface EngineOptions {
  /** dist/sql-wasm.wasm ('' = resolve from node_modules) */
  wasmPath: string;
  /** dist/ingest-worker.js ('' = parse in this thread) */
  ingestWorkerScript: string;
  logger: Logger;
  /** receives the pushed updates (main.ts posts them to the host) */
  onUpdate?: (u: IndexUpdate) => void;
  /** tests: every status summary takes this much longer (busy wait) */
  statusExtraCostMs?: number;
  /**
   * names this build of the code (main.ts: a hash of the worker bundle, bundleId.ts): the plan limit's priced blocks are kept
   * in the index file under it (planBlocks.ts); undefined = not kept
   */
  codeId?: string;
}

/** What the status bar needs to summarise (all plain data). */
export interface StatusQuery {
  nowMs: number;
  timeZone: string;
  weekStart: number;
  billingCycleStartDay: number;
  budgets: Parameters<typeof summarizeStatus>[0]['budgets'];
  priceOverrides: PriceOverrides;
  /** `agentMeter.currency.rates` (prices published in other currencies) */
  currencyRates?: CurrencyRates;
  /** `agentMeter.claude.plan` (+ custom numbers); absent = no plan limit in the summary */
  claudePlan?: PlanSetting;
  /** `agentMeter.alerts.anomalies`: judge today's running cost by the dashboard's anomaly rule (summary.anomaly) */
  anomalies?: boolean;
}

/** The status settings the host sends when they change; each summary adds the time. */
export type StatusSettings = Omit<StatusQuery, 'nowMs'>;

/**
 * During a long refresh a batch's summary is pushed at most once per this long, and never sooner than 30 × the last
 * summary's cost after it, so summaries take at most ~3 % of the worker while it indexes; the first batch's goes
 * out at once (today's numbers, read first, show within a second), and so does the batch that completes the files
 * modified today (the indexer's `flushNewerThanMs`), once per refresh. The later batches add older history (the first
 * index reads the newest files first): a summary costs more as the index grows (~130 ms at a year, its Claude blocks
 * cut again), and with 10 × their cost they took 1.7–1.9 s of a year's first index in the index worker (2026-12-07).
 */
const BATCH_SUMMARY_GAP_MS = 1000;
const BATCH_SUMMARY_COST_FACTOR = 30;

/**
 * The `auto` plan limit (P90 over all completed Claude blocks) needs the whole Claude history; completed blocks only
 * change when one ends or usage is ingested, so it is recomputed when new usage is in the database (dataChanged), when
 * the setting or the database changes, and otherwise at least this often (a block ends as time passes).
 */
const PLAN_LIMIT_TTL_MS = 10 * 60_000;
/**
 * How long the status summary made on a pre-opened index stays the one `openWritable` pushes when it adopts that
 * database (nothing changed in it meanwhile): the first update then costs no second summary (~15-80 ms at a year).
 */
const PREPARED_SUMMARY_MS = 5_000;
/** Dims rows marked for their idle re-writes from which a refresh's end computes them (`settleIdleGaps`). */
const SETTLE_IDLE_GAPS_FROM = 200;

/** What the dashboard needs for one snapshot; `reload` = the data changed since the last one. */
export interface SnapshotQuery extends Omit<SnapshotContext, 'table' | 'priceTableDate' | 'sessionPages' | 'claudeBlockLikes'> {
  priceOverrides: PriceOverrides;
  reload: boolean;
  /** the order and page of the sessions table the snapshot carries (default: newest first, the first page) */
  sessions?: { sort: SessionSort; offset: number };
}

export interface ExportQuery {
  format: 'csv' | 'json';
  request: Omit<ExportRequest, 'path'>;
  timeZone: string;
  weekStart: number;
  priceOverrides: PriceOverrides;
  currencyRates?: CurrencyRates;
}

type Summarized = { summary: StatusSummary | null; summaryMs: number };

/** The settings that price the plan limit's blocks (planBlocks.ts `priceKey`). */
const planPriceKey = (overrides: PriceOverrides, rates?: CurrencyRates) => JSON.stringify([overrides, rates ?? {}]);

type RefreshOpts = { flushEveryMs?: number; paths?: string[] };

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class IndexEngine {
  private sql: Promise<SqlJsStatic> | undefined;
  private SQL: SqlJsStatic | undefined;
  private db: Database | undefined;
  /** the open database is the writer's (a reader's reload must never replace it) */
  private writable = false;
  /** the writer's index file */
  private path: string | undefined;
  /**
   * The writer's database was read from its file with the cheap checks only (no whole-file scan): damage further
   * in shows up as an SQLite corruption error on first use (`guard`), which moves the file aside once.
   */
  private fromFile = false;
  /** bumped by every move aside of a file found damaged on first use (a refresh during one runs again) */
  private recoveries = 0;
  /** a fresh index replaced a damaged file and is not saved yet: the next refresh reports a change (the host saves) */
  private rebuiltUnsaved = false;
  /** the reason of the last move aside on first use ("database is unreadable (…); moved aside to …; rebuilding …") */
  private lastRecovery: string | undefined;
  private roots: Pick<Roots, 'roots'> | undefined;
  /** bumped by every openWritable: a read-only load that started before one must not replace it */
  private writableGen = 0;
  /** reader: the saved file the open copy was loaded from (its journal is followed while the file stays this one) */
  private copyOf: { path: string; stamp: FileStamp } | undefined;
  private indexer: Indexer | undefined;
  private refreshing: Promise<unknown> | undefined;
  private dashboard: DashboardData | undefined;
  /** the last two cost-by-activity views (the one shown and the one prepared), for the data of `dashboard` (dropped with it) */
  private activities: { key: string; table: PriceTable; view: ActivityView }[] = [];
  /** the sessions table of the last snapshot (its pages are asked for by id) and the id the next one gets */
  private sessionTable: SessionTable | undefined;
  /** the sessions table of the last snapshot `dashboardPrepare` made (the webview may show that snapshot) */
  private preparedSessionTable: SessionTable | undefined;
  private sessionTableIds = 0;
  /** the range's sessions and projects of the last snapshots, across data changes (only those a change touched made again) */
  private readonly dashboardGroups = new KeptGroups();
  private readonly prices: PriceTableCache;
  private planLimitCache: { key: string; atMs: number; limit: PlanLimit } | undefined;
  /** the days estimated from Claude Code's stats caches (they concern days no log covers: read again at most every 10 min) */
  private anomalyCache: { db: Database; atMs: number; baseline: AnomalyBaseline } | undefined;
  private estimatedCache: { db: Database; sig: string; atMs: number; est: EstimatedDays; priced?: { table: PriceTable; summary: StatusSummary['estimated'] } } | undefined;
  /** the P90's blocks, kept across summaries and in the file */
  private readonly planBlocks: PlanBlocks;
  private statusSettings: StatusSettings | undefined;
  /** the index file opened while the host waits for the writer lock (`prepareOpen`), adopted by `openWritable` */
  private prepared: Promise<PreopenedIndex | undefined> | undefined;
  /** the status summary `prepareOpen` made on the pre-opened database (pushed by `openWritable` when it adopts it soon) */
  private preparedSummary: { db: Database; settings: StatusSettings; atMs: number; computed: Summarized } | undefined;
  /** the data version pushed with each update: bumped by every change of the data (commit, load, open, close) */
  private version = 0;
  private readonly epoch = Math.floor(Math.random() * 2 ** 48);

  constructor(private readonly opts: EngineOptions) {
    this.prices = new PriceTableCache((m) => opts.logger.warn(m));
    this.planBlocks = new PlanBlocks(opts.codeId);
  }

  /**
   * New usage is in the database: the dashboard's data and the auto plan limit are computed again when next asked.
   * (The plan limit used to be kept for its TTL whatever was ingested, so one computed from the first batch of a
   * first index, before the history was read, hid the Claude limit alert for ten minutes.)
   */
  private dataChanged(): void {
    this.version++;
    this.dashboard = undefined;
    this.planLimitCache = undefined;
  }

  private loadSql(): Promise<SqlJsStatic> {
    this.sql ??= loadSqlJs(this.opts.wasmPath || undefined);
    return this.sql;
  }

  /** Puts `db` in place of the open database, which is closed (or returned open, `keepOld`). */
  private replaceDb(db: Database | undefined, keepOld = false): Database | undefined {
    const old = this.db;
    this.db = db;
    this.copyOf = undefined;
    this.version++;
    this.dashboard = undefined;
    this.planLimitCache = undefined;
    if (keepOld) return old;
    if (old && old !== db) {
      try {
        old.close();
      } catch {
        // already closed
      }
    }
    return undefined;
  }

  /** True when a database is open (readers: after the first successful load). */
  hasDatabase(): boolean {
    return !!this.db;
  }

  /**
   * Writer: opens (or creates) the index file; a corrupt or newer-schema file is moved aside and rebuilt (damage the
   * cheap checks on open do not see: when first met, see `guard`; the open's status summary is such a use). A file that
   * cannot be read is tried again a few times (another program may hold it for a moment), then the error is thrown
   * and the file is left alone.
   */
  async openWritable(path: string): Promise<{ notes: string[] }> {
    await this.stopIndexer();
    const existed = existsSync(path);
    const pre = await this.takePrepared();
    const adopted = pre && adoptPreopened(pre, path);
    const opened: OpenedIndex = adopted ? { db: adopted } : await this.openRetrying(path);
    this.replaceDb(opened.db);
    this.writable = true;
    this.writableGen++;
    this.path = path;
    this.fromFile = existed && !opened.rebuiltReason;
    this.rebuiltUnsaved = opened.migratedFrom !== undefined; // the migrated file is saved after the first refresh
    const before = this.recoveries;
    // the summary is the first use: damage it meets is moved aside here, and reported below; the one made on the
    // pre-opened database a moment ago is pushed as it is (the same data and settings)
    const early = this.preparedSummary;
    this.preparedSummary = undefined;
    const fresh = early && adopted && early.db === adopted && early.settings === this.statusSettings && Date.now() - early.atMs < PREPARED_SUMMARY_MS;
    this.publish('open', fresh ? early.computed : undefined);
    const reason = this.recoveries !== before ? this.lastRecovery : opened.rebuiltReason;
    return { notes: reason ? [`The usage index ${reason}.`] : [] };
  }

  /**
   * Before the host knows whether this window will maintain the index (it waits for the writer lock): sql.js loaded
   * and the index file opened as `openWritable` opens it, and one status summary run on it (sql.js and the summary's
   * code warmed up, the plan limit's blocks kept), so that `openWritable` adopts it — while the file and its journal
   * are unchanged — and pushes today's numbers at once. Nothing is pushed, and nothing happens to the file; a reader
   * window drops it (`openReadOnly`).
   */
  prepareOpen(path: string): Promise<void> {
    if (this.db || this.prepared) return Promise.resolve();
    const prepared = (async () => {
      const SQL = await this.loadSql();
      this.SQL = SQL;
      const pre = preopenIndexDatabase(SQL, path, this.opts.logger);
      const settings = this.statusSettings;
      if (pre && settings) {
        try {
          const t0 = performance.now();
          const atMs = Date.now();
          const summary = this.summaryOf(pre.db, { ...settings, nowMs: atMs });
          this.preparedSummary = { db: pre.db, settings, atMs, computed: { summary, summaryMs: performance.now() - t0 } };
        } catch {
          // damage the summary meets is the owner's to find: its open reads the file again
          dropPreopened(pre);
          return undefined;
        }
      }
      return pre;
    })();
    this.prepared = prepared;
    return prepared.then(() => undefined);
  }

  /** The pre-opened index, if any (it is then no longer kept here). */
  private async takePrepared(): Promise<PreopenedIndex | undefined> {
    const p = this.prepared;
    this.prepared = undefined;
    return p ? p.catch(() => undefined) : undefined;
  }

  private async dropPrepared(): Promise<void> {
    this.preparedSummary = undefined;
    dropPreopened(await this.takePrepared());
  }

  private async openRetrying(path: string): Promise<OpenedIndex> {
    const SQL = await this.loadSql();
    this.SQL = SQL;
    for (let attempt = 0; ; attempt++) {
      try {
        // no whole-file scan (PRAGMA quick_check: ~0.45 s on a year's index, at every window start): damage past the
        // cheap checks is found on first use, see `guard`
        return openIndexDatabase(SQL, path, this.opts.logger);
      } catch (e) {
        const waitMs = OPEN_RETRY_MS[attempt];
        if (!(e instanceof IndexFileReadError) || waitMs === undefined) throw e;
        this.opts.logger.warn(`${e.message}; trying again in ${waitMs} ms`);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }

  /**
   * Reader: loads an in-memory copy of the writer's saved file. False when the file does not exist yet (the
   * current copy is kept); throws when it is unreadable or of another schema (the current copy is kept too): the
   * cheap checks (`readIndexCopy`), and damage inside the file that the load's status summary meets. Damage found
   * by a later read fails that read; the copy is replaced at the writer's next save.
   * A writable database open meanwhile (this window became the writer) is kept unless `replaceWritable`.
   */
  async openReadOnly(path: string, replaceWritable = false): Promise<boolean> {
    await this.dropPrepared();
    const gen = this.writableGen;
    const followed = await this.followJournal(path);
    if (followed !== 'reload') return followed;
    // the stamp before the read: a file written whole after it is a change on the next call
    const stamp = await fileStamp(path);
    let bytes: Buffer;
    let journal: Buffer | undefined;
    try {
      bytes = await readFileWithRoomAsync(path); // sql.js keeps this memory as the copy's file (core store/roomyFile.ts)
      journal = await readJournalFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
    // the cheap checks (a truncated or foreign file, another schema): the copy this window has is kept
    const db = readIndexCopy(await this.loadSql(), bytes, journal, this.opts.logger);
    if ((this.writable && !replaceWritable) || gen !== this.writableGen) {
      db.close();
      return false;
    }
    await this.stopIndexer();
    const before = { writable: this.writable, path: this.path, fromFile: this.fromFile };
    const previous = this.replaceDb(db, true);
    this.writable = false;
    this.path = undefined;
    this.fromFile = false;
    // the load's status summary is the copy's first use: damage it meets is reported and the previous copy kept
    let first: Summarized;
    try {
      first = this.summarizeNow(isCorruptDatabaseError);
    } catch (e) {
      this.replaceDb(previous); // closes the damaged copy
      ({ writable: this.writable, path: this.path, fromFile: this.fromFile } = before);
      throw new Error(`the saved index is unreadable (${errorText(e)}); this window keeps the copy it has`);
    }
    try {
      previous?.close();
    } catch {
      // already closed
    }
    this.copyOf = stamp && { path, stamp };
    this.publish('load', first);
    return true;
  }

  /**
   * Reader: the writer's journal records added since this copy last read it, applied when the file itself is still
   * the one the copy was loaded from (true when any were). 'reload' when the whole file must be loaded: no copy of
   * it, the file written whole since, or the journal not followable (another generation, shorter than read).
   */
  private async followJournal(path: string): Promise<boolean | 'reload'> {
    const db = this.db;
    const from = this.copyOf;
    if (this.writable || !db || !from || from.path !== path || !sameFileStamp(await fileStamp(path), from.stamp)) return 'reload';
    const upTo = journalReadUpTo(db);
    const journal = await readJournalFrom(path, upTo);
    if (this.db !== db || this.writable) return 'reload';
    const applied = this.guard((d) => followJournal(d, journal?.bytes, this.opts.logger, upTo, journal?.size ?? 0));
    if (applied === 'reload') return 'reload';
    if (applied === 0) return false;
    this.planBlocks.drop(); // the writer's re-cut blocks arrive as rows, not through updateClaudeBlocks
    this.dataChanged();
    this.publish('load');
    return true;
  }

  /** Drops the indexer and the database (before a rebuild deletes the file). */
  async close(): Promise<void> {
    await this.dropPrepared();
    await this.stopIndexer();
    this.replaceDb(undefined);
    this.writable = false;
    this.path = undefined;
    this.fromFile = false;
  }

  /**
   * Writer: its database once no refresh runs (the team push reads its rows outside any write transaction and writes
   * its state to `meta`; the next save keeps it). Not a worker request: the team requests (teamWorker.ts) use it.
   */
  async writerDatabase(): Promise<Database> {
    while (this.refreshing) await this.refreshing.catch(() => {});
    if (!this.db || !this.writable) throw new Error('the usage index is not open in this window (the window that maintains it pushes)');
    return this.db;
  }

  /**
   * Atomic save (temp file, fsync, rename), never inside a running refresh's transaction. `options`: the writer's
   * idle fold of its journal into the file (core journaledSaves.ts).
   */
  async save(path: string, options?: SaveOptions): Promise<SaveResult> {
    while (this.refreshing) await this.refreshing.catch(() => {});
    if (!this.db) return { bytes: 0, whole: false };
    const r = this.guard((db) => saveIndexDatabase(db, path, options));
    this.rebuiltUnsaved = false;
    return r;
  }

  /**
   * Writer: retention — rolls up the 15-minute detail older than `detailDays` (at least MIN_DETAIL_DAYS) into daily
   * rows of the local days of `timeZone` (core store/retention.ts), never inside a running refresh; pushes an update when rows moved (the host saves).
   * null in a reader or without a database.
   */
  async applyRetention(detailDays: number, nowMs: number, timeZone: string): Promise<RollUpResult | null> {
    while (this.refreshing) await this.refreshing.catch(() => {});
    if (!this.db || !this.writable) return null;
    const r = this.guard((db) => rollUpUsage(db, retentionCutoff(detailDays, nowMs, timeZone), timeZone));
    if (r.rowsBefore > 0) {
      this.dataChanged();
      this.publish('ingest');
    }
    return r;
  }

  /**
   * Every use of the database goes through here. In the writer, an SQLite corruption error from a database read
   * from its file (opened with the cheap checks only) moves the file aside once and starts a fresh index
   * (`recoverFromCorruption`); the logs are then read again (the refresh in progress runs again, else one starts
   * here) and this use fails with the reason: no answer from a half-read index passes for a total. Other errors,
   * and every error in a reader window (the writer's file: the copy is reloaded on its next save), pass through.
   */
  private guard<T>(use: (db: Database) => T): T {
    try {
      return use(this.db!);
    } catch (e) {
      if (!this.recoverFromCorruption(e)) throw e;
      if (this.indexer && !this.refreshing) {
        void this.refresh().catch((err) => this.opts.logger.error(`rebuilding the index from the logs failed: ${errorText(err)}`));
      }
      throw new Error(`The usage index ${this.lastRecovery}.`);
    }
  }

  /** A read of the open database (see `guard`); `none` without one. */
  private read<T>(none: T, use: (db: Database) => T): T {
    return this.db ? this.guard(use) : none;
  }

  /**
   * The writer's database turned out damaged on first use: moves the file aside (`<file>.corrupt-<time>`, warned
   * once), puts a fresh index and indexer in its place and returns true; false (nothing done) for any other error,
   * in a reader, or when this database is not the file's (fresh, or already replaced once: no loop).
   */
  private recoverFromCorruption(e: unknown): boolean {
    if (!this.writable || !this.fromFile || !this.path || !this.SQL || !isCorruptDatabaseError(e)) return false;
    this.fromFile = false;
    this.lastRecovery = moveIndexAside(this.path, `database is unreadable (${errorText(e)})`, this.opts.logger);
    this.recoveries++;
    this.rebuiltUnsaved = true;
    const old = this.indexer;
    this.replaceDb(freshIndexDatabase(this.SQL)); // a refresh still running on the old one fails, and runs again
    this.indexer = old && this.roots ? this.newIndexer(this.roots) : undefined;
    void old?.dispose().catch(() => {});
    return true;
  }

  private newIndexer(roots: Pick<Roots, 'roots'>): Indexer {
    return new Indexer({ db: this.db!, roots, logger: this.opts.logger, workerScript: this.opts.ingestWorkerScript || undefined });
  }

  /** Writer: (re)creates the indexer over the discovered roots. */
  async startIndexer(roots: Pick<Roots, 'roots'>): Promise<void> {
    await this.stopIndexer();
    if (!this.db) throw new Error('no index database is open');
    this.roots = roots;
    this.indexer = this.newIndexer(roots);
  }

  async stopIndexer(): Promise<void> {
    const ix = this.indexer;
    this.indexer = undefined;
    if (this.refreshing) await this.refreshing.catch(() => {});
    await ix?.dispose();
  }

  /**
   * Writer: ingests what is new (newest files first); null when no indexer runs. `flushEveryMs`: how often a long
   * refresh commits what it has so far (the indexer's default 500 ms; the first index asks for sooner batches).
   * `paths`: only these files changed (the watcher's); without, every file is stat'ed.
   * Pushes an update after the refresh when it changed data, and after its partial batches (throttled, see
   * BATCH_SUMMARY_GAP_MS).
   * When the index file turns out damaged during the refresh (`guard`), it runs again on the fresh index (every log).
   */
  refresh(onProgress?: (p: IngestProgress) => void, opts: RefreshOpts = {}): Promise<IngestSummary | null> {
    if (!this.indexer) return Promise.resolve(null);
    const run = this.refreshRecovering(onProgress, opts);
    const tracked = run.finally(() => {
      if (this.refreshing === tracked) this.refreshing = undefined;
    });
    this.refreshing = tracked;
    return run;
  }

  private async refreshRecovering(onProgress: ((p: IngestProgress) => void) | undefined, opts: RefreshOpts): Promise<IngestSummary | null> {
    const before = this.recoveries;
    let r: IngestSummary | null = null;
    try {
      r = await this.refreshOnce(onProgress, opts);
    } catch (e) {
      if (!this.recoverFromCorruption(e) && this.recoveries === before) throw e;
    }
    if (this.recoveries !== before) r = await this.refreshOnce(onProgress, { flushEveryMs: opts.flushEveryMs });
    return r && (this.rebuiltUnsaved ? { ...r, changed: true } : r);
  }

  private async refreshOnce(onProgress: ((p: IngestProgress) => void) | undefined, opts: RefreshOpts): Promise<IngestSummary | null> {
    const ix = this.indexer;
    if (!ix) return null;
    let nextBatchSummaryAt = 0;
    const s = this.statusSettings;
    const run = ix.refresh({
      newestFirst: true,
      flushEveryMs: opts.flushEveryMs,
      // today's files are a batch of their own: the status bar's today shows as soon as they are read
      flushNewerThanMs: s ? periodAt('day', Date.now(), s).startMs : undefined,
      paths: opts.paths,
      onProgress: (p) => {
        this.dataChanged(); // batches of the newest files are readable early
        onProgress?.(p);
      },
      onFlush: (newest) => {
        // the batch just written is new data, whichever file's progress was reported last (the batch of today's files
        // is written before the first file's progress): the update must carry a version the host has not seen
        this.dataChanged();
        const now = performance.now();
        // the batch that completes today's files goes out whatever the throttle says (once per refresh)
        if (now < nextBatchSummaryAt && !newest) return;
        const cost = this.publish('batch');
        nextBatchSummaryAt = now + Math.max(BATCH_SUMMARY_GAP_MS, BATCH_SUMMARY_COST_FACTOR * cost);
      },
    });
    const r = await run;
    if (r.changed && this.indexer === ix) {
      this.dataChanged();
      this.publish('ingest');
      // a refresh of fewer records than that cannot have marked that many dims rows (one per record at most): the
      // marks are not counted (a scan of idle_gaps, ~10 ms at a year) after each appended call
      if (r.records >= SETTLE_IDLE_GAPS_FROM) this.settleIdleGaps();
    }
    return { filesScanned: r.filesScanned, filesChanged: r.filesChanged, bytesRead: r.bytesRead, records: r.records, malformedLines: r.malformedLines, changed: r.changed, ...(r.deferred ? { deferred: r.deferred } : {}) };
  }

  /**
   * The writer, after a refresh that wrote many sessions (a first index, a long catch-up): their idle cache re-writes
   * computed now (core store/idleGaps.ts), as the dashboard's first read would otherwise do — ~2 s of CPU for the
   * ~25k dims rows of a year, paid by the first F1 after a first index. After a few calls the dashboard's read stays
   * the one that brings them up to date (a session or two, when it is asked for).
   */
  private settleIdleGaps(): void {
    if (!this.db || !this.writable) return;
    try {
      this.guard((db) => {
        if (idleGapMarks(db) >= SETTLE_IDLE_GAPS_FROM) updateIdleGaps(db);
      });
    } catch (e) {
      this.opts.logger.warn(`the idle cache re-writes are computed when the dashboard asks: ${errorText(e)}`);
    }
  }

  /** True when the index has never ingested a file (first run: show progress). */
  isEmpty(): boolean {
    return this.read(true, (db) => !hasIngestedFiles(db));
  }

  // ---- reads (plain data; empty results when no database is open) ----

  loadFacts(filter: FactFilter = {}): Fact[] {
    return this.read([], (db) => loadFacts(db, filter));
  }
  loadProjects(): ProjectInfo[] {
    return this.read([], loadProjects);
  }
  loadLatestRateLimits(): RateLimitSnapshot | null {
    return this.read(null, loadLatestRateLimits);
  }
  loadRateLimitSamples(sinceMs: number): RateLimitSnapshot[] {
    return this.read([], (db) => loadRateLimitSamples(db, sinceMs));
  }
  loadLimitResets(sinceMs: number): LimitReset[] {
    return this.read([], (db) => loadLimitResets(db, sinceMs));
  }
  loadCounters(): Counters | null {
    return this.read(null, loadCounters);
  }
  sessionLogPath(source: Source, session: string): string | null {
    return this.read(null, (db) => sessionLogPath(db, source, session));
  }

  /** The host's status settings (time zone, budgets, plan, prices), sent when they change; pushes a new summary. */
  configureStatus(s: StatusSettings): void {
    this.statusSettings = s;
    this.publish('settings');
  }

  /** Pushes the summary as of now (the host's 30 s tick: a block ends, the day changes, without new data). */
  publishStatus(): void {
    if (this.refreshing) return; // the refresh pushes its batches (throttled) and its end
    this.publish('asked');
  }

  /** Pushes an update with the data version and the summary (none without a database); returns the summary's cost. */
  private publish(reason: IndexUpdate['reason'], computed?: Summarized): number {
    if (!this.opts.onUpdate || !this.db) return 0;
    const { summary, summaryMs } = computed ?? this.summarizeNow();
    this.opts.onUpdate({ epoch: this.epoch, version: this.version, summary, summaryMs, reason });
    return summaryMs;
  }

  /** The summary as of now for the host's settings (null without them) and its cost; errors are logged, or thrown when `rethrow` says so. */
  private summarizeNow(rethrow?: (e: unknown) => boolean): Summarized {
    const t0 = performance.now();
    let summary: StatusSummary | null = null;
    try {
      summary = this.statusSettings ? this.statusSummary({ ...this.statusSettings, nowMs: Date.now() }) : null;
    } catch (e) {
      if (rethrow?.(e)) throw e;
      this.opts.logger.error(`status summary failed: ${errorText(e)}`);
    }
    if (summary && this.opts.statusExtraCostMs) while (performance.now() - t0 < this.opts.statusExtraCostMs); // tests
    return { summary, summaryMs: performance.now() - t0 };
  }

  /** The status bar's summary (today, week, month, 5-hour block, Codex quota, budgets); null without a database. */
  statusSummary(q: StatusQuery): StatusSummary | null {
    return this.read(null, (db) => this.summaryOf(db, q));
  }

  private summaryOf(db: Database, q: StatusQuery): StatusSummary {
    const periodOpts = { timeZone: q.timeZone, weekStart: q.weekStart, billingCycleStartDay: q.billingCycleStartDay };
    // the current 5-hour block is cut from the start of the stored block holding the look-back's start, not from
    // the look-back itself (a block's window depends on the entries before it)
    const blockSinceMs = claudeBlockChainStart(db, blockLookbackStart(q.nowMs));
    const since = statusFactsSince(q.nowMs, periodOpts, blockSinceMs);
    // display paths are only asked for by per-project budgets
    let displayPathOf: ((project: string) => string | undefined) | undefined;
    const unknownUsage = unknownUsageSessions(db);
    const estimated = this.estimatedSummary(db, q);
    const summary = summarizeStatus({
      ...periodOpts,
      facts: keptStatusFacts(db, since),
      blockSinceMs,
      prices: this.prices.get(q.priceOverrides, q.currencyRates),
      nowMs: q.nowMs,
      budgets: q.budgets,
      rateLimits: loadLatestRateLimits(db),
      limitResets: loadLimitResets(db, since),
      displayPathOf: (p) => {
        displayPathOf ??= projectDisplayPaths(db);
        return displayPathOf(p);
      },
      planLimit: q.claudePlan ? this.planLimit(db, q.claudePlan, q.nowMs, q.priceOverrides, q.currencyRates) : null,
    });
    const anomaly = q.anomalies ? todayAnomaly(this.anomalyBaseline(db, q), summary.today.pricedCostUSD) : undefined;
    return { ...summary, ...(Object.keys(unknownUsage).length ? { unknownUsage } : {}), ...(estimated ? { estimated } : {}), ...(anomaly !== undefined ? { anomaly } : {}) };
  }

  /**
   * The 30 days before today for the anomaly check, read again when the day, the zone, the prices or the database
   * change, and otherwise after PLAN_LIMIT_TTL_MS (late usage landing in those days): not once per change.
   */
  private anomalyBaseline(db: Database, q: StatusQuery): AnomalyBaseline {
    const table = this.prices.get(q.priceOverrides, q.currencyRates);
    const c = this.anomalyCache;
    if (c && c.db === db && q.nowMs - c.atMs >= 0 && q.nowMs - c.atMs < PLAN_LIMIT_TTL_MS && c.baseline.table === table && c.baseline.timeZone === q.timeZone
      && c.baseline.day === zoneCalendar(q.timeZone).dayKey(q.nowMs)) return c.baseline;
    const baseline = loadAnomalyBaseline(db, q.nowMs, q.timeZone, table);
    this.anomalyCache = { db, atMs: q.nowMs, baseline };
    return baseline;
  }

  /** How many days no log covers are estimated from Claude Code's stats caches, and ≈ what they cost (the tooltip's ≈ line). */
  private estimatedSummary(db: Database, q: StatusQuery): StatusSummary['estimated'] {
    // read again when a refresh stored another stats cache, or after the TTL (the days the logs cover move on)
    let c = this.estimatedCache;
    const sig = statsCachesSignature(db);
    if (!(c && c.db === db && c.sig === sig && q.nowMs - c.atMs >= 0 && q.nowMs - c.atMs < PLAN_LIMIT_TTL_MS)) {
      c = this.estimatedCache = { db, sig, atMs: q.nowMs, est: loadEstimatedDays(db) };
    }
    if (!c.est.days.length) return undefined;
    // priced once per price table (the same object until the prices or rates change), not after every change
    const table = this.prices.get(q.priceOverrides, q.currencyRates);
    if (c.priced?.table !== table) {
      let costUSD: number | null = 0;
      for (const d of c.est.days) {
        const cost = costOf({ input: d.input, output: d.output, cacheWrite5m: d.cacheCreation, cacheWrite1h: 0, cacheRead: d.cacheRead, reasoning: 0, webSearch: 0, requests: 0 }, d.model, 'standard', table);
        costUSD = costUSD === null || cost === null ? null : costUSD + cost;
      }
      c.priced = { table, summary: { days: c.est.dayCount, costUSD } };
    }
    return c.priced.summary;
  }

  /** The Claude per-block plan limit for the setting (presets and custom directly; `auto` from the history, cached). */
  private planLimit(db: Database, setting: PlanSetting, nowMs: number, overrides: PriceOverrides, rates?: CurrencyRates): PlanLimit {
    if (setting.plan !== 'auto') return resolvePlanLimit(setting, []);
    const key = planPriceKey(overrides, rates);
    const c = this.planLimitCache;
    if (c && c.key === key && nowMs - c.atMs >= 0 && nowMs - c.atMs < PLAN_LIMIT_TTL_MS) return c.limit;
    // the stored blocks (brought up to date from the oldest bucket ingested since), priced with today's table
    const limit = resolvePlanLimit(setting, this.planBlocks.likes(db, key, this.prices.get(overrides, rates), nowMs, this.writable));
    this.planLimitCache = { key, atMs: nowMs, limit };
    return limit;
  }

  /**
   * Every stored Claude block priced with the prices of `overrides` and `rates`, as of a time: the plan limit's blocks
   * (`planLimit`), which the window's start priced already (or read from the file), brought up to date from the newest
   * — the same blocks the dashboard's data would read and price again on its first snapshot. Undefined without a
   * database.
   */
  private blockLikesFor(overrides: PriceOverrides, rates?: CurrencyRates): ((nowMs: number) => BlockLike[]) | undefined {
    const db = this.db;
    if (!db) return undefined;
    const key = planPriceKey(overrides, rates);
    return (nowMs) => this.planBlocks.likes(db, key, this.prices.get(overrides, rates), nowMs, this.writable);
  }

  /**
   * Reads ahead what every window's first dashboard snapshot reads of all time, for a window whose dashboard was not
   * opened lately (those who use it get a whole snapshot made after the start: host `DashboardPanel.warmUp`): the
   * dims rows and the projects' labels, the all-time sums by dims row and their groups, and the idle re-writes of the
   * sessions marked since they were computed (a write, which that snapshot would make). Each is kept per database
   * and follows data changes (query/committedDims.ts, keptDimTotals.ts, dashboard/keptHistory.ts): ~0.1 s of the first
   * F1 at a year, ~14 MiB kept. The writer only (a reader's copy keeps none of them). Returns the ms it took, or
   * undefined when there is nothing to read ahead.
   */
  dashboardWarm(): number | undefined {
    if (!this.db || !this.writable) return undefined;
    const t0 = performance.now();
    this.guard((db) => {
      // the idle re-writes first: settling them consumes their marks, which the kept sums read next as dims rows
      // changed (after a first index, every one: the sums and their groups would be read again by the first snapshot)
      if (idleGapMarks(db) > 0) updateIdleGaps(db);
      projectLabels(db);
      keptHistoryOf(db, keptDimTotalsState(db), committedDims(db));
    });
    return performance.now() - t0;
  }

  /**
   * The dashboard's snapshot. Per data change: usage summed by dims (the all-time figures) and, as snapshots need
   * them, the recent facts of their ranges and the stored Claude blocks, reused for filter and range changes.
   */
  dashboardSnapshot(q: SnapshotQuery): DashboardSnapshot {
    if (q.reload || !this.dashboard) {
      this.dashboard = this.db ? this.guard((db) => loadDashboardData(db, q.nowMs, this.writable)) : loadDashboardData(undefined, q.nowMs);
      this.activities = [];
    }
    const { sessions } = q;
    const sessionPages = { id: ++this.sessionTableIds, sort: sessions?.sort ?? DEFAULT_SESSION_SORT, offset: sessions?.offset ?? 0, keep: (t: SessionTable) => { this.sessionTable = t; } };
    return this.snapshotWithActivity(this.dashboard, q, sessionPages);
  }

  /**
   * A snapshot of `data` for `q` and its cost-by-activity view (kept: `activityOf`), with what the engine keeps across
   * snapshots (the plan limit's priced blocks, the range's groups) — the same context for the snapshots shown and the
   * one `dashboardPrepare` makes, so that what the one keeps the other reuses.
   */
  private snapshotWithActivity(data: DashboardData, q: SnapshotQuery, sessionPages?: SnapshotContext['sessionPages']): DashboardSnapshot {
    const { priceOverrides, reload: _reload, sessions: _sessions, ...ctx } = q;
    const table = this.prices.get(priceOverrides, ctx.settings.currency.rates);
    const claudeBlockLikes = this.blockLikesFor(priceOverrides, ctx.settings.currency.rates);
    const snapshot = snapshotFrom(data, { ...ctx, table, priceTableDate, sessionPages, claudeBlockLikes, groups: this.dashboardGroups });
    snapshot.activity = this.activityOf(snapshot, ctx.settings.timeZone, table);
    return snapshot;
  }

  /**
   * Cost by activity: its own hourly aggregate over a snapshot's range and filters (dashboard/activityView.ts); the
   * same view again while the data is unchanged (a filter change back, the same snapshot asked again, or the range
   * prepared by `dashboardPrepare`).
   */
  private activityOf(snapshot: DashboardSnapshot, timeZone: string, table: PriceTable): ActivityView {
    const { rangeFromDay: fromDay, rangeToDay: toDay, filters } = snapshot;
    const key = JSON.stringify([filters.source, filters.project, filters.model, fromDay, toDay, timeZone]);
    const kept = this.activities.find((a) => a.key === key && a.table === table);
    if (kept) return kept.view;
    const activity = (db: Database | undefined) =>
      fromDay && toDay ? activityView(db, { filters, fromDay, toDay, timeZone, prices: table }) : activityView(undefined, { filters, fromDay: '', toDay: '', timeZone, prices: table });
    const view = this.db ? this.guard(activity) : activity(undefined);
    this.activities = [{ key, table, view }, ...this.activities.slice(0, 1)];
    return view;
  }

  /**
   * Reads and keeps what a snapshot of `q` needs before the webview asks for it (the dashboard panel asks for all time
   * once its first snapshot of a shorter range is drawn): the writer's kept rows of the range — facts per dims row,
   * hours, activities, idle re-writes and their prices (query/kept*.ts, store/keptIdleGaps.ts) — so that a change to
   * that range reads only what changed since, and its cost-by-activity view. Returns the snapshot made (the same as
   * `dashboardSnapshot` of `q` would give now: the panel sends it ahead, so that choosing that range shows it without
   * asking), whose sessions table is kept beside the one of the snapshot shown; null when no snapshot was made yet
   * (nothing to prepare for).
   */
  dashboardPrepare(q: SnapshotQuery): DashboardSnapshot | null {
    const data = this.dashboard;
    if (!data || !this.db) return null;
    const { sessions } = q;
    const sessionPages = { id: ++this.sessionTableIds, sort: sessions?.sort ?? DEFAULT_SESSION_SORT, offset: sessions?.offset ?? 0, keep: (t: SessionTable) => { this.preparedSessionTable = t; } };
    // its cost-by-activity view is kept beside the one shown (while the data of `dashboard` stays)
    return this.guard(() => this.snapshotWithActivity(data, q, sessionPages));
  }

  /**
   * A page of the sessions table of a snapshot made before (`q.table`, its `sessionsPage.table`), in any order (with
   * `q.find`: the page holding that session); null
   * when that table is no longer kept (a later snapshot replaced it): then a new snapshot carries the page.
   */
  dashboardSessions(q: SessionsPageAsk): SessionsPage | null {
    const t = [this.sessionTable, this.preparedSessionTable].find((x) => x?.id === q.table);
    return t ? t.page(q.sort, q.offset, q.find) : null;
  }

  /** The export file's text (CSV, or the CLI's JSON with the range and skipped counters) and its row count. */
  exportText(q: ExportQuery): { text: string; rows: number } {
    if (!this.db) throw new Error('the usage index is not ready yet');
    return this.guard((db) => this.exportOf(db, q));
  }

  private exportOf(db: Database, q: ExportQuery): { text: string; rows: number } {
    const r = q.request;
    if (r.grain === 'activity' && r.project !== undefined) throw new Error(ACTIVITY_NOT_PER_PROJECT);
    const facts =
      r.grain === 'activity'
        ? loadActivityFacts(db, { sinceMs: r.sinceMs, untilMs: r.untilMs, sources: r.source ? [r.source] : undefined, model: r.model })
        : loadFacts(db, { sinceMs: r.sinceMs, untilMs: r.untilMs, source: r.source, project: r.project, model: r.model });
    const paths = new Map(loadProjects(db).map((p) => [`${p.source}\u0000${p.project}`, p.displayPath]));
    const rows = exportRows(facts, r.grain, this.prices.get(q.priceOverrides, q.currencyRates), { timeZone: q.timeZone, weekStart: q.weekStart }, (s, p) => paths.get(`${s}\u0000${p}`));
    if (q.format === 'csv') return { text: rowsToCsv(rows), rows: rows.length };
    const counters = loadCounters(db);
    const text = rowsToJson(rows, {
      grain: r.grain, timeZone: q.timeZone, sinceMs: r.sinceMs, untilMs: r.untilMs,
      skipped: { malformedLines: counters.malformedLines, duplicateLines: counters.duplicateLines },
    });
    return { text, rows: rows.length };
  }

  /**
   * A report document (issue 17 §2): built from this index's facts, rendered (exceljs/jsPDF run here, not on the
   * extension host) and written to `q.path` (temp file, then rename).
   */
  async writeReport(q: ReportQuery): Promise<ReportWritten> {
    if (!this.db) throw new Error('the usage index is not ready yet');
    return createReportFile((use) => this.guard(use), (o, r) => this.prices.get(o, r), q);
  }

  async dispose(): Promise<void> {
    await this.close();
  }
}
