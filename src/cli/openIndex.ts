/**
 * Builds or refreshes the index for one CLI run: checks the given directories, discovers the roots, opens the
 * database (`--db FILE` persisted and reused, else in memory), reads only new log bytes, and saves atomically.
 * The user's log files are only read, never written.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots, type Roots } from '../core/discovery';
import { Indexer, type IngestResult } from '../core/ingest/indexer';
import { openIndexDatabase, saveIndexDatabase } from '../core/store/persist';
import { loadSqlJs } from '../core/store/sqljs';
import type { Logger } from '../core/types';
import { isDisabled, UsageError, type ReportArgs } from './args';

export interface OpenedCliIndex {
  db: Database;
  roots: Roots;
  ingest: IngestResult;
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

export async function openCliIndex(args: ReportArgs, log: Logger, env: Record<string, string | undefined> = process.env): Promise<OpenedCliIndex> {
  const home = env.HOME || homedir();
  const claudeDirs = args.source === 'codex' ? ['none'] : args.claudeDirs;
  const codexDirs = args.source === 'claude' ? ['none'] : args.codexDirs;
  checkDirs('--claude-dir', claudeDirs, home);
  checkDirs('--codex-dir', codexDirs, home);

  const roots = discoverRoots({ env, home, claudeDirs, codexDirs });
  for (const n of roots.notes) log.info(n);
  if (claudeDirs && !isDisabled(claudeDirs) && roots.claude.length === 0) {
    throw new UsageError(`--claude-dir: no projects/ folder in ${claudeDirs.join(', ')}`);
  }
  log.info(`Claude roots: ${roots.claude.map((r) => r.projectsDir).join(', ') || '(none)'}`);
  log.info(`Codex roots: ${roots.codex.map((r) => [r.sessionsDir, r.archivedDir].filter(Boolean).join(', ')).join(', ') || '(none)'}`);
  if (!roots.claude.length && !roots.codex.length) {
    const searched = [...roots.searched.claude, ...roots.searched.codex];
    log.warn(searched.length ? `no logs found (looked in ${searched.join(', ')})` : 'no logs read: every source is disabled (--claude-dir none, --codex-dir none or --source)');
  }

  const SQL = await loadSqlJs();
  const dbFile = args.db ? expandHome(args.db, home) : undefined;
  const existed = dbFile !== undefined && existsSync(dbFile);
  if (existed && statSync(dbFile!).isDirectory()) throw new UsageError(`--db: ${dbFile} is a directory, expected a file`);
  // a corrupt or newer-schema file is moved aside and rebuilt; openIndexDatabase warns through `log`
  const opened = openIndexDatabase(SQL, dbFile, log);

  const worker = join(__dirname, 'ingest-worker.js');
  const indexer = new Indexer({ db: opened.db, roots, logger: log, workerScript: existsSync(worker) ? worker : undefined });
  let ingest: IngestResult;
  try {
    ingest = await indexer.refresh();
  } finally {
    await indexer.dispose();
  }
  if (dbFile && (ingest.changed || !existed || opened.rebuiltReason)) saveIndexDatabase(opened.db, dbFile);
  return { db: opened.db, roots, ingest };
}
