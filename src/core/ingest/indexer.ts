import { resetOutdatedSources } from '../store/sourceVersions';
import type { Database, SqlValue } from 'sql.js';
import { listLogEntries, rootDirs, statLogFile, type ListedFile, type LogFile, type Roots } from '../discovery';
import { loadFileStamps, sameStamp } from '../store/fileStamps';
import { FileKeys } from '../store/fileDirs';
import { FileStateTexts } from '../store/fileRows';
import { statSync, type Stats } from 'node:fs';
import { DATABASE_MIN_INTERVAL_MS } from './databaseInterval';
import { type Logger, nullLogger } from '../types';
import { IngestRun } from './apply';
import { SOURCE_DEFS, sourceDef } from '../sources/registry';
import { parseFile } from './parseFile';
import { ParsePool, type SharedJobs } from './pool';
import { defaultParseWorkers } from './parseWorkers';
import { TimeSlicer } from '../store/timeSlice';
import { parseJobOf, type FileState, type ParseJob, type ParseResult } from './records';
import { stampedFile } from '../logFile';

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface IngestResult {
  filesScanned: number;
  filesChanged: number;
  bytesRead: number;
  /** new calls/events counted in this refresh */
  records: number;
  malformedLines: number;
  duplicateLines: number;
  /** true when the database changed (new usage, corrected copies, file state, missing marks) */
  changed: boolean;
  /** the most Claude calls the de-dup held in memory at once (bounded by maxCallsInMemory plus one file's calls) */
  peakCallsInMemory: number;
  /** changed databases left for later (read less than DATABASE_MIN_INTERVAL_MS ago): read them again after that */
  deferred?: string[];
}

export interface RefreshOptions {
  /** called after each file is applied; usage written so far is readable from the same database */
  onProgress?: (p: IngestProgress) => void;
  /** changed files in order of modification time, newest first (today's numbers first on a cold index) */
  newestFirst?: boolean;
  /** write usage at least this often during a long refresh (default 500 ms) */
  flushEveryMs?: number;
  /**
   * called after each batch of a long refresh is written (readable from the same database); `newest`: the batch that
   * completes the files of `flushNewerThanMs`
   */
  onFlush?: (newest: boolean) => void;
  /**
   * With `newestFirst`: the files modified at or after this time (e.g. the start of the local day) are written as a
   * batch of their own as soon as they are read, before the older ones: what was logged since then shows at once
   * instead of at the next `flushEveryMs`.
   */
  flushNewerThanMs?: number;
  /**
   * Look only at these files (a watcher's changed paths) instead of listing and stat'ing every log file. Falls back
   * to the full listing when one of them was not in the last listing or is gone (a new, moved or deleted file), and
   * on the first refresh.
   */
  paths?: readonly string[];
  /**
   * The full check's listing and stats, made by `scanLogs` before this refresh (the CLI makes them while sql.js
   * loads and the index file is read) instead of listing and stat'ing now. Used by this one refresh only (a
   * follow-up refresh lists again); ignored with `paths`.
   */
  scan?: LogScan;
}

/**
 * Every log file under the roots with its stat as one full check found them (`scanLogs`): per listed file, at
 * 4·i … 4·i+3 of `stats`, its device, inode, size and modification time (whole ms; a database's with its -wal, as
 * statLogFile stamps it), and `found[i]` 1 when it was there as a regular file.
 */
export interface LogScan {
  listed: ListedFile[];
  stats: Float64Array;
  found: Uint8Array;
}

/**
 * Lists every log file under the roots and stats each (in slices with event-loop turns between them, TimeSlicer):
 * the files as they are now, for a refresh's full check (`RefreshOptions.scan`). No object is made per file beyond
 * the listing's own.
 */
export async function scanLogs(roots: Pick<Roots, 'roots'>): Promise<LogScan> {
  const listed = await listLogEntries(roots);
  const stats = new Float64Array(listed.length * 4);
  const found = new Uint8Array(listed.length);
  let kind = { source: '', format: '', isDatabase: false };
  const slicer = new TimeSlicer();
  for (let i = 0; i < listed.length; i++) {
    if ((i & 63) === 63) {
      const turn = slicer.tick();
      if (turn) await turn;
    }
    const l = listed[i];
    // the files of a root come together: one lookup per run of the same source and format
    if (l.source !== kind.source || l.format !== kind.format) kind = { source: l.source, format: l.format, isDatabase: sourceDef(l.source).isDatabase(l.format) };
    if (kind.isDatabase) {
      // stamped with its -wal file too (statLogFile)
      const f = statLogFile(l);
      if (!f) continue;
      found[i] = 1;
      stats[4 * i] = f.dev;
      stats[4 * i + 1] = f.ino;
      stats[4 * i + 2] = f.size;
      stats[4 * i + 3] = f.mtimeMs;
      continue;
    }
    const st = statFile(l.path);
    if (!st) continue;
    found[i] = 1;
    stats[4 * i] = st.dev;
    stats[4 * i + 1] = st.ino;
    stats[4 * i + 2] = st.size;
    stats[4 * i + 3] = Math.floor(st.mtimeMs);
  }
  return { listed, stats, found };
}

export interface IndexerOptions {
  db: Database;
  roots: Pick<Roots, 'roots'>;
  logger?: Logger;
  /** path of the built dist/ingest-worker.js; without it files are parsed in-process */
  workerScript?: string;
  /** number of parse workers; 0 = parse in the calling thread (default: defaultParseWorkers()) */
  workers?: number;
  /**
   * A refresh with fewer new bytes than this parses in the calling thread only (its parse workers, also ones handed
   * over as `startedWorkers`, are not used). Default 0: every refresh of two files or more uses them.
   */
  parseWorkersFromBytes?: number;
  now?: () => number;
  /** longest synchronous stretch of apply/flush work before the event loop gets a turn (default 10 ms) */
  sliceMs?: number;
  /** bytes of logs shared with the parse workers at a time (default PARSE_WINDOW_BYTES) */
  parseWindowBytes?: number;
  /** windows shared with the parse workers ahead of the one this thread is in (default PARSE_LOOKAHEAD_WINDOWS) */
  parseLookahead?: number;
  /** Claude calls the de-dup may hold in memory before a flush spills them to compact records (default MAX_CALLS_IN_MEMORY) */
  maxCallsInMemory?: number;
  /** called before a refresh writes to the database (the CLI starts its deferred change capture there) */
  beforeWrite?: () => void;
  /**
   * Parse workers the caller started before this indexer (`startParseWorkers`: the CLI starts them for a new index
   * of 256 MiB or more once it has listed the logs, while the database opens), used by the first refresh that shares
   * jobs instead of starting its own; the indexer stops them after its refresh (dispose), as its own.
   */
  startedWorkers?: ParsePool;
  /** the database is dropped after one refresh and its report (the CLI's `--no-cache`; ApplyContext.discardedAfterRun) */
  discardedAfterRun?: boolean;
}

/** Usage of a long refresh is written (uncommitted, visible to this connection) at least this often. */
const FLUSH_EVERY_MS = 500;

/**
 * Bytes of logs shared with the parse workers at a time (their results wait in memory until applied). 16 MB: a year's
 * first index (3.4 GB) peaked at 401–409 MiB against 428–468 MiB with 48 MB windows, in the same 15.5–20 s (runs
 * alternated on 2 cores, one parse worker).
 */
export const PARSE_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * Windows shared with the parse workers ahead of the one this thread is in, when their results are packed (Claude's
 * and Codex's: SourceDef `packedResults`; a window of other sources' records past the next one waits until this
 * thread is closer: with every source, core's Indexer peaked at 348 against 294-304 MiB before its save with three
 * windows of any source ahead). With one, a worker that had claimed both
 * open windows waited for this thread (which also applies every result) to enter the next: on the 1 GB bench's cold
 * CLI run the worker idled 255 ms of its ~1.0 s (3 ms with three ahead), and the first index of every source through
 * the index worker took 19.2-21.6 s (32.7-36.3 s CPU) against 17.3-20.3 s (31.0-35.5 s CPU) with three, in 4 pairs in
 * turns (2026-12-07, 2 cores, load 2.2-3.1), peak RSS 289-310 against 294-297 MiB; the year alone 14.9 against 12.5 /
 * 13.4 s. Results that arrive early wait in memory: at most 4 windows' worth of packed results, 2 of others.
 */
export const PARSE_LOOKAHEAD_WINDOWS = 3;

interface StoredFile {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  state: string;
  missing: boolean;
}

/**
 * Incremental index of the discovered logs. `refresh()` stats every file (or only the files it is given, `paths`: a
 * watcher's changed files), reads only new bytes of changed files
 * (workers parse, this thread de-dups and writes, all in one transaction), marks vanished files missing (their
 * usage is kept: Claude Code deletes old transcripts, our history must outlive them).
 * A file whose identity (dev+inode) changed, that shrank below its offset, or whose bytes around the offset changed
 * (rewritten in place; tailer.ts fingerprint) is re-read from 0; de-dup keeps that from counting anything twice. The caller persists the database (saveIndexDatabase) when `changed`.
 */
export class Indexer {
  private pool: ParsePool | undefined;
  /** workers the caller started (IndexerOptions.startedWorkers), until a refresh takes them or dispose stops them */
  private started: ParsePool | undefined;
  private running: Promise<IngestResult> | undefined;
  private followUp: Promise<IngestResult> | undefined;
  /** what the follow-up refresh looks at: the union of its callers' paths, undefined = every file */
  private followUpPaths: Set<string> | undefined;
  /** the files of the last full listing (their source, project and session come from where they were found) */
  private listedFiles: ListedFile[] | undefined;
  /** the same by path, made when first needed (a watcher's changed paths) */
  private listed: Map<string, ListedFile> | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** the sources' parser versions were compared with the index's (once per indexer) */
  private versionsChecked = false;
  /** when each database file was last read (DATABASE_MIN_INTERVAL_MS) */
  private readonly databaseReadMs = new Map<string, number>();

  constructor(private readonly opts: IndexerOptions) {
    this.logger = opts.logger ?? nullLogger;
    this.now = opts.now ?? Date.now;
    this.started = opts.startedWorkers;
  }

  /**
   * Runs one refresh. A call made while one is running gets one follow-up refresh after it (shared by all such
   * calls), so bytes appended during a run are never left unread. Do not export/save the database while a refresh
   * is pending (sql.js `export()` frees the refresh's prepared statements); save after it resolves.
   */
  refresh(o: RefreshOptions = {}): Promise<IngestResult> {
    if (!this.running) {
      this.running = this.doRefresh(o).finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.followUp) this.followUpPaths = o.paths ? new Set(o.paths) : undefined;
    else if (this.followUpPaths) {
      if (o.paths) for (const p of o.paths) this.followUpPaths.add(p);
      else this.followUpPaths = undefined;
    }
    this.followUp ??= this.running
      .catch(() => undefined)
      .then(() => {
        const paths = this.followUpPaths;
        this.followUp = undefined;
        return this.refresh({ ...o, paths: paths && [...paths] });
      });
    return this.followUp;
  }

  async dispose(): Promise<void> {
    const pools = [this.pool, this.started];
    this.pool = undefined;
    this.started = undefined;
    await Promise.all(pools.map((p) => p?.close()));
  }

  private async doRefresh(o: RefreshOptions): Promise<IngestResult> {
    const { db } = this.opts;
    // a source whose parsers changed what they count: what the index holds of it is taken back and read again
    if (!this.versionsChecked) {
      this.versionsChecked = true;
      const reset = await resetOutdatedSources(db, sourceParserVersions(), sourceOwnTables());
      for (const id of reset) this.logger.info(`${sourceDef(id).label}: read again from the start (its parsers changed)`);
    }
    const given = this.statPaths(o.paths);
    // a full check: every listed file stat'ed against its stored stamp; only the files that differ go on, with their
    // stored ingest state (an appended line reads one row, not every log file's)
    const checked = given ? undefined : await this.checkAll(db, o.scan);
    const files = given ?? checked!.changed;
    const stored = loadStoredFiles(db, files.map((f) => f.path));
    const jobs: { file: LogFile; job: ParseJob }[] = [];
    const statOnly: LogFile[] = [];
    const deferred: string[] = [];
    for (const f of files) {
      const s = stored.get(f.path);
      if (s && !s.missing && s.dev === f.dev && s.ino === f.ino && s.size === f.size && s.mtimeMs === f.mtimeMs) continue;
      const def = sourceDef(f.source);
      if (def.isDatabase(f.format)) {
        const last = this.databaseReadMs.get(f.path);
        const now = this.now();
        if (given && last !== undefined && now - last >= 0 && now - last < DATABASE_MIN_INTERVAL_MS) {
          deferred.push(f.path);
          continue;
        }
        this.databaseReadMs.set(f.path, now);
      }
      if (def.wholeFile(f.format)) {
        // a document or database: read whole after any change (its parser state, e.g. a database cursor, is kept)
        jobs.push({ file: f, job: parseJobOf(f, 0, s ? parseState(s.state) : {}) });
        continue;
      }
      const replaced = !!s && (s.dev !== f.dev || s.ino !== f.ino || f.size < s.offset);
      if (s && !replaced && f.size === s.offset) {
        statOnly.push(f); // touched or re-found, nothing new to read
        continue;
      }
      if (replaced) this.logger.info(`re-reading ${f.path} from the start (replaced or truncated)`);
      const state: FileState = s && !replaced ? parseState(s.state) : {};
      jobs.push({ file: f, job: parseJobOf(f, s && !replaced ? s.offset : 0, state) });
    }
    // only a full listing tells what vanished (the stat of given paths falls back to one when a path is gone)
    const vanished = checked?.vanished ?? [];
    // other files the sources read beside their logs, when changed (on a full listing: the watcher reports logs only)
    const extras = given ? [] : SOURCE_DEFS.flatMap((s) => s.readExtras?.(db, rootDirs(this.opts.roots, s.id), this.logger) ?? []);

    if (o.newestFirst) jobs.sort((a, b) => b.file.mtimeMs - a.file.mtimeMs);
    // a first index: today's files first, the older ones source by source (each newest first), so that a source's
    // de-dup state goes when its last file is applied, not at the end (every source on the year bench, its logs dated
    // as an agent leaves them: 22.1–27.7 s and 289–325 MiB against 26.4–43.7 s and 318–341 MiB with the sources mixed)
    if (o.newestFirst && o.flushNewerThanMs !== undefined) groupOlderBySource(jobs, (j) => j.file.mtimeMs >= o.flushNewerThanMs!, (j) => j.file.source);
    const isDatabase = (j: { file: LogFile }) => sourceDef(j.file.source).isDatabase(j.file.format);
    // a first index (newest first) reads today's logs before the databases, and writes them as a batch of their own:
    // today's numbers of the sources that log to files do not wait for a database's whole read (every source on the
    // year bench: 3.8 s with OpenCode's 156 MB database read first)
    const todayAhead = o.newestFirst && o.flushNewerThanMs !== undefined ? (j: { file: LogFile }) => j.file.mtimeMs >= o.flushNewerThanMs! : undefined;
    const todayLogs = databasesFirst(jobs, isDatabase, todayAhead, (j) => j.file.source);
    const bytesTotal = jobs.reduce((n, j) => n + Math.max(0, j.file.size - j.job.offset), 0);
    const result: IngestResult = { filesScanned: checked?.scanned ?? files.length, filesChanged: jobs.length, bytesRead: 0, records: 0, malformedLines: 0, duplicateLines: 0, changed: false, peakCallsInMemory: 0, ...(deferred.length ? { deferred } : {}) };
    if (jobs.length === 0 && statOnly.length === 0 && vanished.length === 0 && extras.length === 0) {
      await this.dispose();
      return result;
    }

    const next = this.parseScheduler(jobs, bytesTotal);
    this.opts.beforeWrite?.();
    const run = new IngestRun(db, this.now(), new TimeSlicer(this.opts.sliceMs), this.opts.maxCallsInMemory, this.opts.discardedAfterRun);
    db.run('BEGIN');
    try {
      const touch = db.prepare('UPDATE files SET dev = ?, ino = ?, size = ?, mtime_ms = ?, missing = 0 WHERE dir = ? AND name = ?');
      for (const f of statOnly) {
        const key = run.fileKeys.find(f.path);
        if (key) touch.run([f.dev, f.ino, f.size, f.mtimeMs, ...key]);
      }
      touch.free();
      const gone = db.prepare('UPDATE files SET missing = 1 WHERE dir = ? AND name = ?');
      for (const p of vanished) {
        const key = run.fileKeys.find(p);
        if (key) gone.run(key);
      }
      gone.free();
      for (const x of extras) x.store();
      let bytesDone = 0;
      let lastFlush = performance.now();
      // the last job of the files modified since `flushNewerThanMs` (negative: none, or every job is one); the
      // databases read first whatever their time (databasesFirst) are in that batch, an old one does not end it
      const newestLast = o.newestFirst && o.flushNewerThanMs !== undefined ? jobs.findIndex((j) => !isDatabase(j) && j.file.mtimeMs < o.flushNewerThanMs!) - 1 : -1;
      // today's logs read ahead of the databases are a batch of their own (then the databases complete today's batch)
      const todayLogsLast = todayLogs - 1;
      // the last job of each source: once it is applied, that source's de-dup state goes to its tables (IngestRun.
      // finishSource) instead of being held while the other sources' files are applied (a first index in listing order:
      // the Claude de-dup's ~45 MB of a year's calls while every other source is read)
      const lastOfSource = new Map<string, number>();
      for (let i = 0; i < jobs.length; i++) lastOfSource.set(jobs[i].file.source, i);
      for (let i = 0; i < jobs.length; i++) {
        const r: ParseResult = await next(i);
        if (r.error) this.logger.warn(`could not read ${r.path}: ${r.error}`);
        if (r.rewritten) this.logger.info(`re-reading ${r.path} from the start (rewritten in place)`);
        await run.applyFile(jobs[i].file, r);
        if (i < jobs.length - 1 && lastOfSource.get(jobs[i].file.source) === i) await run.finishSource(jobs[i].file.source);
        result.bytesRead += r.bytesRead;
        bytesDone += Math.max(0, jobs[i].file.size - jobs[i].job.offset);
        // a long refresh writes its usage in batches, so the newest files (newestFirst) show within a second,
        // and whenever the de-dup state held in memory outgrows its bound
        const newest = i === newestLast || i === todayLogsLast;
        if (i < jobs.length - 1 && (run.wantsFlush || newest || performance.now() - lastFlush >= (o.flushEveryMs ?? FLUSH_EVERY_MS))) {
          await run.flush();
          lastFlush = performance.now();
          o.onFlush?.(newest);
        }
        o.onProgress?.({ filesDone: i + 1, filesTotal: jobs.length, bytesDone, bytesTotal });
      }
      // every file is parsed: the parse workers (their heaps) go before the end of the run's own peak (the de-dup
      // state moved to its tables), not after it
      await this.dispose();
      await run.finish();
      db.run('COMMIT');
    } catch (e) {
      try {
        db.run('ROLLBACK');
      } catch {
        /* no transaction left to roll back; report the original error */
      }
      throw e;
    } finally {
      run.free();
      // idle workers hold tens of MB each; most refreshes after the first read one file in-process anyway
      await this.dispose();
    }
    result.records = run.records;
    result.malformedLines = run.counters.malformedLines;
    result.duplicateLines = run.counters.duplicateLines;
    result.changed = true;
    result.peakCallsInMemory = run.peakCallsInMemory;
    return result;
  }

  /**
   * Lists every log file and stats each against its stored stamp (store/fileStamps.ts), or takes a scan made
   * before (`scanLogs`). Returns the files whose stamp differs (new, grown, touched, replaced, or marked missing
   * before) as LogFiles, the stored files no longer there, and how many files were found. An unchanged file costs
   * one stat, one map lookup and four number compares: no object or string is made for it.
   */
  private async checkAll(db: Database, given?: LogScan): Promise<{ changed: LogFile[]; vanished: string[]; scanned: number }> {
    const stamps = loadFileStamps(db);
    // a first index: the workers boot (~100 ms each) while the logs are listed (with a bytes threshold, once the
    // listing says the logs reach it: every byte of a first index is new)
    const first = stamps.byPath.size === 0 && !!this.opts.workerScript && this.workerCount() > 0;
    const threshold = this.opts.parseWorkersFromBytes ?? 0;
    if (first && threshold <= 0) this.startPool().prestart();
    const { listed, stats, found } = given ?? (await scanLogs(this.opts.roots));
    if (first && threshold > 0 && listedBytes(stats, found) >= threshold) this.startPool().prestart();
    this.listedFiles = listed;
    this.listed = undefined;
    const changed: LogFile[] = [];
    let scanned = 0;
    /** found files whose stored row is not marked missing: all of those rows when nothing vanished */
    let storedFound = 0;
    const slicer = new TimeSlicer();
    for (let i = 0; i < listed.length; i++) {
      if ((i & 255) === 255) {
        const turn = slicer.tick();
        if (turn) await turn;
      }
      if (!found[i]) continue;
      const l = listed[i];
      const row = stamps.byPath.get(l.path);
      if (row !== undefined && !stamps.missing[row]) storedFound++;
      scanned++;
      const dev = stats[4 * i], ino = stats[4 * i + 1], size = stats[4 * i + 2], mtimeMs = stats[4 * i + 3];
      if (row !== undefined && sameStamp(stamps, row, dev, ino, size, mtimeMs)) continue;
      changed.push(stampedFile(l, size, mtimeMs, dev, ino));
    }
    let vanished: string[] = [];
    if (storedFound !== stamps.present || scanned !== listed.length) {
      const present = new Set<string>();
      for (let i = 0; i < listed.length; i++) if (found[i]) present.add(listed[i].path);
      vanished = [...stamps.byPath].filter(([p, row]) => !stamps.missing[row] && !present.has(p)).map(([p]) => p);
    }
    return { changed, vanished, scanned };
  }

  /** The given files stat'ed again; undefined (list everything) when one is unknown or gone, or none are given. */
  private statPaths(paths: readonly string[] | undefined): LogFile[] | undefined {
    if (!paths || !this.listedFiles) return undefined;
    this.listed ??= new Map(this.listedFiles.map((f) => [f.path, f]));
    const out: LogFile[] = [];
    // a database's -wal file changed: the database did (discovery.ts statLogFile stamps it with its -wal)
    const logs = new Set(paths.map((p) => (!this.listed!.has(p) && p.endsWith('-wal') && this.listed!.has(p.slice(0, -4)) ? p.slice(0, -4) : p)));
    for (const path of logs) {
      const known = this.listed.get(path);
      if (!known) return undefined;
      const f = statLogFile(known);
      if (!f) return undefined;
      out.push(f);
    }
    return out;
  }

  /**
   * Returns `parsed(i)`, the parse result of job i, to be called for i = 0, 1, 2, … (results are applied in job
   * order: deterministic de-dup ties). With parse workers, this thread parses too: it claims jobs from the front as
   * it reaches them, the workers claim jobs from the back on their own (pool.ts), and the two meet in the middle.
   * The jobs are shared in windows of about PARSE_WINDOW_BYTES, PARSE_LOOKAHEAD_WINDOWS ahead of the window this
   * thread is in while their results are packed (else the next one only): a result that arrives early waits in memory
   * until applied. While a worker still parses the job this thread needs next, this thread parses the next window's
   * jobs from the front.
   */
  private parseScheduler(jobs: { file: LogFile; job: ParseJob }[], bytesTotal: number): (i: number) => Promise<ParseResult> {
    const enough = jobs.length >= 2 && bytesTotal >= (this.opts.parseWorkersFromBytes ?? 0);
    const pool = enough && (this.started || (this.opts.workerScript && this.workerCount() > 0)) ? this.startPool() : undefined;
    if (!pool) return (i) => parseFile(jobs[i].job);
    const starts = windowStarts(jobs.map((j) => Math.max(0, j.file.size - j.job.offset)), this.opts.parseWindowBytes ?? PARSE_WINDOW_BYTES);
    const ahead = this.opts.parseLookahead ?? PARSE_LOOKAHEAD_WINDOWS;
    const shared: (SharedJobs | undefined)[] = [];
    const windowJobs = (w: number) => jobs.slice(starts[w], starts[w + 1] ?? jobs.length);
    const share = (w: number) => {
      if (w < starts.length && !shared[w]) shared[w] = pool.share(windowJobs(w).map((j) => j.job));
    };
    /** windows past the next one are shared only when their results are packed (Claude's, Codex's) */
    const packedWindows = starts.map((_, w) => windowJobs(w).every((j) => sourceDef(j.job.source).packedResults === true));
    const packed = (w: number) => packedWindows[w] === true;
    let w = 0;
    return async (i) => {
      while (starts[w + 1] !== undefined && i >= starts[w + 1]) shared[w++] = undefined;
      share(w);
      for (let k = 1; k <= ahead && (k === 1 || shared[w + k] || packed(w + k)); k++) share(w + k);
      const current = shared[w]!;
      // a worker is still parsing job i (it claimed the window's rest from the back, or all of a window it reached
      // first): this thread parses the next window's first jobs meanwhile instead of waiting idle (on the 1 GB bench
      // it waited ~0.35-1 s of a 2.4-5 s cold run, mostly for windows of one large file)
      while (current.pending(i - starts[w])) {
        const next = shared[w + 1]?.parseNext();
        if (!next) break;
        await next;
      }
      return current.result(i - starts[w]);
    };
  }

  private startPool(): ParsePool {
    if (!this.pool && this.started) {
      this.pool = this.started;
      this.started = undefined;
    }
    this.pool ??= new ParsePool(this.opts.workerScript!, Math.max(1, this.workerCount()));
    return this.pool;
  }

  private workerCount(): number {
    return this.opts.workers ?? defaultParseWorkers();
  }
}

/** The tables only one source writes (sourceDef `ownTables`), taken back with it when its version changes. */
export function sourceOwnTables(): Map<string, readonly string[]> {
  return new Map(SOURCE_DEFS.flatMap((s) => (s.ownTables ? [[s.id, s.ownTables] as [string, readonly string[]]] : [])));
}

/** The parser version of each source that has one (sourceDef `version`), as `resetOutdatedSources` compares them with the index's. */
export function sourceParserVersions(): Map<string, number> {
  return new Map(SOURCE_DEFS.flatMap((s) => (s.version !== undefined ? [[s.id, s.version] as [string, number]] : [])));
}

/**
 * Starts the parse workers of a refresh that is known to come (`defaultParseWorkers()` of them; undefined for none),
 * to be handed to its Indexer (`startedWorkers`): a worker takes ~0.1 s to boot, longer on a busy machine, which a
 * first index would otherwise wait for after opening its database.
 */
export function startParseWorkers(workerScript: string, workers = defaultParseWorkers()): ParsePool | undefined {
  if (workers <= 0) return undefined;
  const pool = new ParsePool(workerScript, workers);
  pool.prestart();
  return pool;
}

/**
 * Keeps the jobs `recent` picks where they are (first, after a newest-first sort) and groups the others by source, in
 * place: each source's in their order, the sources in the order of their first such job. A source's older files then
 * come one after another, so its de-dup state is written and let go of after its last one (IngestRun.finishSource)
 * instead of being held while every other source's history is read.
 */
export function groupOlderBySource<T>(jobs: T[], recent: (job: T) => boolean, sourceOf: (job: T) => string): void {
  const groups = new Map<string, T[]>();
  const head: T[] = [];
  for (const j of jobs) {
    if (recent(j)) head.push(j);
    else {
      const k = sourceOf(j);
      const g = groups.get(k);
      if (g) g.push(j);
      else groups.set(k, [j]);
    }
  }
  let i = 0;
  for (const j of head) jobs[i++] = j;
  for (const g of groups.values()) for (const j of g) jobs[i++] = j;
}

/**
 * Moves the jobs that read a database to the front, in place, each side in its order; with `ahead`, the other jobs it
 * picks (today's logs of a first index, a few small files) before them. Returns how many jobs went ahead of the
 * databases (0 without databases: nothing moves). A database's read holds every
 * row that changed since its cursor, and SQLite's page cache (keyed/keyedParse.ts; its pages are read from the file as
 * SQLite asks, keyed/databaseImage.ts): read first, while the index and the parse results of a long refresh are
 * small, its peak does not stack on theirs, and its memory is returned before they grow. On the year bench with every
 * source the 156 MB opencode.db, read last in the listing's order when its bytes were still held whole, took the first
 * index from ~440 MiB to its 734–791 MiB peak. No count depends on it: keys are counted per
 * source (sources/keyed/keyedApplier.ts), so only the order within a source could matter, and there each folder's
 * database already came before its message files (opencode/discovery.ts); a second folder's database (Kilo CLI's
 * kilo.db beside OpenCode's folder) now comes before the first folder's message files, another agent's ids. Today's
 * logs of the other sources read ahead of the databases leave each source's order as it was.
 */
export function databasesFirst<T>(jobs: T[], isDatabase: (job: T) => boolean, ahead?: (job: T) => boolean, sourceOf?: (job: T) => string): number {
  const dbs = jobs.filter(isDatabase);
  if (dbs.length === 0) return 0;
  // with `ahead` (today's logs of a first index): those logs go before the databases, except a database source's own
  // (its database stays before its message files: the order within a source is kept)
  const dbSources = new Set(sourceOf ? dbs.map(sourceOf) : []);
  const first = new Set(ahead && sourceOf ? jobs.filter((j) => !isDatabase(j) && ahead(j) && !dbSources.has(sourceOf(j))) : []);
  const rest = jobs.filter((j) => !isDatabase(j) && !first.has(j));
  let i = 0;
  for (const j of first) jobs[i++] = j;
  for (const j of dbs) jobs[i++] = j;
  for (const j of rest) jobs[i++] = j;
  return first.size;
}

/** The bytes of the files a scan found (LogScan: the size of file i at 4·i + 2). */
export function listedBytes(stats: Float64Array, found: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < found.length; i++) if (found[i]) n += stats[4 * i + 2];
  return n;
}

/** First job of each window: consecutive jobs of at most `windowBytes` new bytes together (at least one job). */
export function windowStarts(bytes: readonly number[], windowBytes: number): number[] {
  const starts: number[] = [];
  let sum = 0;
  bytes.forEach((b, i) => {
    if (i === 0 || (b > 0 && sum > 0 && sum + b > windowBytes)) {
      starts.push(i);
      sum = 0;
    }
    sum += b;
  });
  return starts;
}

/** Stored ingest state of the given log files (looked up by the primary key: directory id, name). */
function loadStoredFiles(db: Database, paths: readonly string[]): Map<string, StoredFile> {
  const out = new Map<string, StoredFile>();
  const cols = 'SELECT f.dir, f.name, f.dev, f.ino, f.size, f.mtime_ms, f.offset, f.fp, f.state, f.missing FROM files f';
  const keys = new FileKeys(db);
  const known: SqlValue[] = [];
  /** the path of each key asked for */
  const pathOf = new Map<string, string>();
  for (const p of paths) {
    const k = keys.find(p);
    if (!k) continue;
    known.push(...k);
    pathOf.set(`${k[0]}/${k[1]}`, p);
  }
  keys.free();
  const results = [];
  for (let i = 0; i < known.length; i += 500) {
    const chunk = known.slice(i, i + 500);
    results.push(db.exec(`${cols} WHERE (f.dir, f.name) IN (VALUES ${Array.from({ length: chunk.length / 2 }, () => '(?, ?)').join(',')})`, chunk));
  }
  const states = results.length ? new FileStateTexts(db) : undefined;
  for (const res of results) {
    for (const [dir, name, dev, ino, size, mtime, offset, fp, state, missing] of res[0]?.values ?? []) {
      const path = pathOf.get(`${dir}/${name}`);
      if (path === undefined) continue;
      out.set(path, { dev: Number(dev), ino: Number(ino), size: Number(size), mtimeMs: Number(mtime), offset: Number(offset), state: states!.text(fp, state), missing: Number(missing) === 1 });
    }
  }
  return out;
}

/** A regular file's stat (undefined when it is gone or not a file: vanished between the listing and its stat). */
function statFile(path: string): Stats | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return st?.isFile() ? st : undefined;
  } catch {
    return undefined;
  }
}

function parseState(s: string): FileState {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
