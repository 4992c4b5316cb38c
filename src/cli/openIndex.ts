/**
 * Builds or refreshes the index for one CLI run: checks the given directories, discovers the roots, opens the
 * database (`--db FILE`, else the file for these roots in the user's cache folder, `indexFile.ts`; in memory with
 * `--no-cache`), reads only new log bytes, and saves atomically, holding `<file>.lock` for the refresh and the save.
 * The user's log files are only read, never written.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { discoverRoots, rootDirs, type Roots } from '../core/discovery';
import { sourceDef } from '../core/sources/registry';
import { Indexer, listedBytes, scanLogs, startParseWorkers, type IndexerOptions, type IngestResult, type LogScan } from '../core/ingest/indexer';
import type { ParsePool } from '../core/ingest/pool';
import { acquireFileLock, type HeldFileLock, type LockResult } from '../core/store/fileLock';
import { IndexFileReadError, moveIndexAside, openIndexDatabase, saveIndexDatabase, startDeferredCapture, type OpenedIndex } from '../core/store/persist';
import { loadSqlJs } from '../core/store/sqljs';
import type { Logger } from '../core/types';
import { isDisabled, reportedSources, UsageError, type ReportArgs } from './args';
import { openFreshIndex } from './freshIndex';
import { readIndexFile, type ReadIndexFile } from './readIndexFile';
import { adoptLegacyIndexFile, cacheDir, indexFileFor, legacyIndexFileFor } from './indexFile';
import { heartbeatStale, INDEX_FILE, parseLockRecord, WRITER_LOCK_FILE } from '../app/writerLockFile';

export interface OpenedCliIndex {
  db: Database;
  roots: Roots;
  ingest: IngestResult;
  /** the index was read from a file (an error on first use may be corruption in it) */
  fromFile: boolean;
}

function expandHome(p: string, home: string): string {
  return resolve(p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p);
}

/** A directory given on the command line must exist (exit code 2 otherwise). */
function checkDirs(flag: string, dirs: readonly string[] | undefined, home: string): void {
  if (!dirs || isDisabled(dirs)) return;
  for (const d of dirs) {
    const p = expandHome(d, home);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      /* missing */
    }
    if (!isDir) throw new UsageError(`${flag}: directory not found: ${p}`);
  }
}

export interface OpenCliIndexOptions {
  /**
   * The index file turned out corrupt on first use (the reason): it is moved aside and the index rebuilt from the
   * logs (or, when another run holds the file, built in memory).
   */
  corrupt?: string;
  /**
   * Runs on the refreshed index before it is saved, under the index's lock (`agentmeter sync`: the push, whose state
   * is kept in the index's meta rows). The index is saved after it also when it fails, then its error is thrown.
   */
  afterRefresh?: (db: Database) => Promise<void>;
}

export async function openCliIndex(
  args: ReportArgs,
  log: Logger,
  env: Record<string, string | undefined> = process.env,
  opts: OpenCliIndexOptions = {},
): Promise<OpenedCliIndex> {
  const home = env.HOME || homedir();
  const enabled = reportedSources(args);
  for (const id of enabled) checkDirs(`--dir ${id}`, args.dirs[id], home);

  const roots = discoverRoots({ env, home, dirs: args.dirs, enabled });
  for (const n of roots.notes) log.info(n);
  for (const id of enabled) {
    const found = rootDirs(roots, id);
    const given = args.dirs[id];
    // a folder given for a source that holds none of its logs is a mistake worth stopping for (exit 2)
    if (given && found.length === 0) throw new UsageError(`--dir ${id}: no ${sourceDef(id).label} logs folder in ${given.join(', ')}`);
    log.info(`${sourceDef(id).label} roots: ${found.join(', ') || '(none)'}`);
  }
  if (!roots.roots.length) {
    const searched = Object.values(roots.searched).flat();
    for (const [id, dirs] of Object.entries(roots.searched)) log.info(`${sourceDef(id).label}: looked in ${dirs.join(', ') || '(nowhere)'}`);
    if (!searched.length) log.warn('no logs read: every source is disabled (--source, or --dir SOURCE=none)');
    else if (searched.length <= 4) log.warn(`no logs found (looked in ${searched.join(', ')})`);
    else log.warn(`no logs found (looked in ${searched.length} folders; --verbose lists them)`);
  }

  const dbFile = args.noCache ? undefined : args.db ? expandHome(args.db, home) : indexFileFor(roots, cacheDir(env, home));
  if (dbFile && !args.db && !args.noCache) adoptLegacyIndexFile(dbFile, legacyIndexFileFor(roots, cacheDir(env, home)));
  if (args.db && dbFile && existsSync(dbFile) && statSync(dbFile).isDirectory()) throw new UsageError(`--db: ${dbFile} is a directory, expected a file`);
  log.info(dbFile ? `index file: ${dbFile}` : 'index kept in memory for this run (--no-cache)');

  // a new index (in memory, or no file yet) reads every log
  const newIndex = roots.roots.length > 0 && (dbFile === undefined || !!opts.corrupt || !existsSync(dbFile));
  let workers: ParsePool | undefined;
  // sql.js's wasm compiles on V8's background threads while this run takes the lock and lists the logs
  const sqlJs = loadSqlJs();
  sqlJs.catch(() => {}); // awaited below
  // the cache file is a convenience: when it cannot be used (a read-only or full disk), the report is still made,
  // with the index in memory and a one-line warning; a --db file the user named fails the run as before
  const inCache = !args.db;
  let lock: HeldFileLock | undefined;
  try {
    lock = dbFile ? await lockIndexFile(dbFile, log, inCache) : undefined;
    const owned = !!lock;
    if (dbFile && owned && opts.corrupt) moveIndexAside(dbFile, opts.corrupt, log);
    const existed = dbFile !== undefined && existsSync(dbFile);
    const fromFile = dbFile !== undefined && !(opts.corrupt && !owned);
    // every log file listed and stat'ed now, at the run's start and under the lock, while the index file is read on
    // the thread pool and sql.js compiles; the refresh compares these stats with the stored stamps
    const tScan = performance.now();
    const reading = dbFile && fromFile && existed ? readIndexFile(dbFile) : undefined;
    const scan = await scanLogs(roots);
    // logs enough for a parse worker to pay (CLI_PARSE_WORKERS_FROM_BYTES): it boots while the database opens
    if (newIndex && listedBytes(scan.stats, scan.found) >= CLI_PARSE_WORKERS_FROM_BYTES) workers = startWorkersEarly();
    const SQL = await sqlJs;
    const preread = await reading;
    log.info(`listed and stat'ed ${scan.listed.length} log files in ${Math.round(performance.now() - tScan)} ms (the index file read and sql.js loaded meanwhile)`);
    // a corrupt or newer-schema file is moved aside and rebuilt (left alone when another run holds it);
    // openIndexDatabase warns through `log`
    const tOpen = performance.now();
    const opened: OpenedIndex & { unreadable?: boolean } = dbFile && fromFile && existed ? openOrMemory(SQL, dbFile, log, owned, inCache, preread) : { db: freshDatabase(SQL) };
    if (existed && !opened.rebuiltReason) log.info(`opened the index in ${Math.round(performance.now() - tOpen)} ms`);
    let ingest: IngestResult;
    try {
      const started = workers;
      workers = undefined; // the indexer stops them
      // an index that is not saved (--no-cache, another run's file, an unreadable file) is dropped after the report
      const discarded = !dbFile || !owned || !!opened.unreadable;
      ingest = await refreshIndex(opened.db, roots, log, () => startDeferredCapture(opened.db, log), scan, { startedWorkers: started, discardedAfterRun: discarded });
    } catch (e) {
      opened.db.close();
      throw e;
    }
    let afterError: { e: unknown } | undefined;
    if (opts.afterRefresh) {
      startDeferredCapture(opened.db, log);
      try {
        await opts.afterRefresh(opened.db);
      } catch (e) {
        afterError = { e };
      }
    }
    // an unreadable file is not replaced: it may hold the history of logs deleted since
    if (dbFile && owned && !opened.unreadable && (ingest.changed || !existed || opened.rebuiltReason || opened.migratedFrom !== undefined || opts.afterRefresh)) {
      try {
        const tSave = performance.now();
        saveIndexDatabase(opened.db, dbFile);
        log.info(`saved the index in ${Math.round(performance.now() - tSave)} ms`);
      } catch (e) {
        if (!inCache) throw e;
        log.warn(`could not save the index ${dbFile} (${errorText(e)}); the next run reads these logs again`);
      }
    }
    if (afterError) {
      opened.db.close();
      throw afterError.e;
    }
    return { db: opened.db, roots, ingest, fromFile: existed };
  } finally {
    lock?.release();
    await workers?.close(); // started early, and the run failed before its refresh
  }
}

/**
 * A CLI run writes what it read in batches this far apart, not every 500 ms as the extension does to show a long first
 * index as it goes: nobody reads the index before the run ends (one transaction, one save). Each batch rewrites every
 * Codex replay-hash pack it touches (most of them: hashes are spread over all 4096) and stages its usage rows, so on
 * a loaded machine, where a 1 GB cold run made 14 batches, fewer batches cost less. Memory stays bounded: a batch
 * still ends when the Claude de-dup outgrows its bound, and what 5 s of reading adds is a few MB.
 */
export const CLI_FLUSH_EVERY_MS = 5000;

/**
 * A CLI run reads logs with a parse worker only when it has this many new bytes to read (256 MiB); below, the run
 * parses on its own thread: the worker's own start and V8 compiling the parsers a second time for its isolate (~0.5 s
 * of CPU on the optimising compiler's background threads) cost more than a small refresh can win back. At 1 GB the
 * worker pays in wall time when the second core is free and costs CPU either way — the cold `report --no-cache` of the
 * 1 GB bench corpus on the 2-core machine, in turns at load 1.8–2.9: 1.20 / 1.17 s wall (2.03 / 2.24 s CPU) with a
 * worker against 1.28 / 1.69 s (1.65 / 1.91 s CPU) without; under load 7–15 (other benchmarks running) it was the
 * other way round (1.70–1.75 s CPU without, 2.06–2.17 s with, less wall in most pairs). The worker is kept from
 * 256 MiB up, for the wall time of an idle machine.
 */
export const CLI_PARSE_WORKERS_FROM_BYTES = 256 * 1024 ** 2;

/** The bundled parse worker beside the CLI's bundle (undefined when tests run from the sources: files are parsed in-process). */
function workerScript(): string | undefined {
  const worker = join(__dirname, 'ingest-worker.js');
  return existsSync(worker) ? worker : undefined;
}

function startWorkersEarly(): ParsePool | undefined {
  const script = workerScript();
  return script ? startParseWorkers(script) : undefined;
}

async function refreshIndex(
  db: Database,
  roots: Roots,
  log: Logger,
  beforeWrite: () => void,
  scan: LogScan,
  o: Pick<IndexerOptions, 'startedWorkers' | 'discardedAfterRun'>,
): Promise<IngestResult> {
  const indexer = new Indexer({ db, roots, logger: log, workerScript: workerScript(), beforeWrite, parseWorkersFromBytes: CLI_PARSE_WORKERS_FROM_BYTES, ...o });
  try {
    return await indexer.refresh({ scan, flushEveryMs: CLI_FLUSH_EVERY_MS });
  } finally {
    await indexer.dispose();
  }
}

function openOrMemory(SQL: SqlJsStatic, file: string, log: Logger, owned: boolean, inCache: boolean, preread: ReadIndexFile | undefined): OpenedIndex & { unreadable?: boolean } {
  try {
    // no whole-file scan: runReport turns a corruption error on first use into moving the file aside and a rebuild
    // the change capture of the saves is set up when the refresh first writes: a run that finds nothing new skips it
    return openIndexDatabase(SQL, file, log, { moveAside: owned, deferCapture: true, preread });
  } catch (e) {
    if (!inCache || !(e instanceof IndexFileReadError)) throw e;
    log.warn(`${e.message}; this run keeps the index in memory`);
    return { db: freshDatabase(SQL), unreadable: true };
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** A new index (no file yet, --no-cache, or a file that cannot be used): the build's empty copy (freshIndex.ts). */
function freshDatabase(SQL: SqlJsStatic): Database {
  return openFreshIndex(SQL, __dirname);
}

/**
 * Takes `<file>.lock` for the refresh and the save. Undefined when another run holds it (or a VS Code window keeps
 * this file as its writer): this run then reads the saved copy, adds the new log bytes in memory only, and says so.
 */
async function lockIndexFile(file: string, log: Logger, inCache: boolean): Promise<HeldFileLock | undefined> {
  const busy = (who: string) =>
    log.warn(`the index ${file} is in use by ${who}; this run reads the new log lines into memory and does not save them`);
  if (vsCodeWriterOf(file)) {
    busy('a VS Code window');
    return undefined;
  }
  let r: LockResult;
  try {
    mkdirSync(dirname(file), { recursive: true });
    r = await acquireFileLock(`${file}.lock`);
  } catch (e) {
    if (!inCache) throw e;
    log.warn(`cannot use the index folder ${dirname(file)} (${errorText(e)}); this run keeps the index in memory`);
    return undefined;
  }
  if (!r.held) busy(r.holder ? `another agentmeter run (pid ${r.holder.pid}${r.holder.hostname ? ` on ${r.holder.hostname}` : ''}, since ${new Date(r.holder.sinceMs).toISOString()})` : 'another agentmeter run');
  return r.held;
}

/**
 * Whether `file` is the VS Code extension's index (in its global storage) and a window keeps it as the writer: the
 * writer lock next to it has a heartbeat that is not stale (src/app/writerLockFile.ts, the rule the windows use).
 */
function vsCodeWriterOf(file: string): boolean {
  if (basename(file) !== INDEX_FILE) return false;
  try {
    const rec = parseLockRecord(readFileSync(join(dirname(file), WRITER_LOCK_FILE), 'utf8'));
    return !!rec && !heartbeatStale(rec, Date.now());
  } catch {
    return false;
  }
}
