import { readFileSync } from 'node:fs';
import type { SqlJsStatic } from 'sql.js';
import { readLinesJob, unread } from '../../ingest/readLinesJob';
import type { FileState, ParseJob, ParseResult } from '../../ingest/records';
import { loadOwnSqlJs, loadSqlJs } from '../../store/sqljs';
import type { DatabaseParser, FileInfo, KeyedUsage, SourceOutput, SourceParser, SourcePlugin } from '../plugin';
import { DatabaseImage } from './databaseImage';

/** What a plug-in source's read produces, handed to its applier (keyedApplier.ts). */
export interface KeyedPayload {
  records: KeyedUsage[];
  projects: { project: string; displayPath: string }[];
  /** the records are the file's whole content now: keys it counted before and no longer holds are taken back */
  replace: boolean;
}

/**
 * Reads one file of a plug-in source with the parser its format names (in a worker thread; never throws):
 * - lines: the new complete lines from the offset (readLinesJob), the parser's state kept in the file's state;
 * - document: the whole file; one caught mid-rewrite (`incomplete`) counts as one skipped record and changes
 *   nothing (read again at its next change);
 * - database: the file (with the committed transactions of its `-wal` file, sqliteWal.ts) opened by sql.js over a
 *   DatabaseImage (its pages read as SQLite asks for them, never the whole file at once; the agent's files are never
 *   written), read from the cursor kept in the file's state; one that cannot be read or changed while it was read
 *   (being written) is skipped, counted, and read again at its next change.
 * Sessions whose usage is not on disk are kept in the file's state (`unknownUsage`).
 */
export async function parseKeyed(plugin: SourcePlugin, job: ParseJob, chunkSize?: number): Promise<ParseResult> {
  const parser: SourceParser | undefined = plugin.parsers[job.format];
  const file: FileInfo = { path: job.path, project: job.project, session: job.session, format: job.format };
  if (!parser) return { ...unread(job), error: `no ${plugin.id} parser for format '${job.format}'` };
  if (parser.kind === 'lines') {
    return readLinesJob(
      job,
      (state) => {
        const parserState = ((state.parser as Record<string, unknown> | undefined) ?? {}) as Record<string, unknown>;
        const out: SourceOutput = { records: [], malformed: 0 };
        return {
          onBlock: (b, s) => parser.parseLines(b, s, file, parserState, out),
          finish: () => {
            state.parser = parserState;
            noteUnknown(state, out);
            return { payload: payloadOf(out, false), malformed: out.malformed, duplicates: 0 };
          },
        };
      },
      chunkSize,
    );
  }
  if (parser.kind === 'database') return readDatabaseJob(parser, job, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(job.path);
  } catch (e) {
    return { ...unread(job), error: e instanceof Error ? e.message : String(e) };
  }
  const state: FileState = { ...job.state };
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const out = safely(() => parser.parseDocument(text, file));
  if (!out || out.incomplete) return { ...unread(job), malformed: 1 };
  noteUnknown(state, out);
  return { path: job.path, offset: bytes.length, bytesRead: bytes.length, malformed: out.malformed, duplicates: 0, payload: payloadOf(out, parser.vanished === 'replace'), state };
}

/**
 * The sql.js a database is read with: the thread's own (the indexing thread's is its index's), or, in a parse worker
 * (`readDatabasesWithOwnSqlJs`, ingest/worker.ts), one loaded for the read and let go after it — a worker's kept
 * sql.js held the page cache of its last read (~9 MiB resident after a year's 156 MB opencode.db) to the end of the
 * refresh, beside the indexing thread's, whenever the worker claimed the database first.
 */
let sqlJsOfRead: () => Promise<SqlJsStatic> = () => loadSqlJs();

/** Every later database read in this thread with a sql.js of its own, let go after the read. */
export function readDatabasesWithOwnSqlJs(): void {
  sqlJsOfRead = () => loadOwnSqlJs();
}

/**
 * A database read through a DatabaseImage (databaseImage.ts: its pages read from the file as SQLite asks for them,
 * with the committed pages of its -wal over them), from the cursor kept in the file's state. A read during which the
 * file changed (its agent wrote it: a checkpoint) is thrown away like one that cannot be read: skipped, counted, read
 * again at its next change.
 */
async function readDatabaseJob(parser: DatabaseParser, job: ParseJob, file: FileInfo): Promise<ParseResult> {
  let image: DatabaseImage;
  try {
    image = DatabaseImage.open(job.path);
  } catch (e) {
    return { ...unread(job), error: e instanceof Error ? e.message : String(e) };
  }
  let db: import('sql.js').Database | undefined;
  try {
    const SQL = await sqlJsOfRead();
    db = new SQL.Database(image as unknown as Uint8Array);
    // SQLite's page cache (in sql.js's heap) instead of the file's bytes: 8 MB where its default is 2 MB, so a first
    // read of a year's database reads its pages ~2.7 times over rather than ~3.6 (the index lookups of each chunk)
    db.exec('PRAGMA cache_size = -8192');
    const state: FileState = { ...job.state };
    const { out, cursor } = parser.readDatabase(db, file, state.cursor ?? null);
    if (!image.unchanged()) return { ...unread(job), malformed: 1 };
    state.cursor = cursor;
    noteUnknown(state, out);
    return { path: job.path, offset: image.fileSize, bytesRead: image.bytesRead, malformed: out.malformed, duplicates: 0, payload: payloadOf(out, false), state };
  } catch {
    return { ...unread(job), malformed: 1 };
  } finally {
    db?.close();
    image.close();
  }
}

function payloadOf(out: SourceOutput, replace: boolean): KeyedPayload {
  return { records: out.records, projects: out.projects ?? [], replace };
}

function noteUnknown(state: FileState, out: SourceOutput): void {
  if (out.unknownUsageSessions?.length) state.unknownUsage = out.unknownUsageSessions;
  else delete state.unknownUsage;
}

/** A parser that throws despite its contract counts as an unreadable (incomplete) read, never as a crash. */
function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
