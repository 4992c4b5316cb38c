import { readFileSync } from 'node:fs';
import { readLinesJob, unread } from '../../ingest/readLinesJob';
import type { FileState, ParseJob, ParseResult } from '../../ingest/records';
import { loadSqlJs } from '../../store/sqljs';
import type { FileInfo, KeyedUsage, SourceOutput, SourceParser, SourcePlugin } from '../plugin';
import { mergeWal } from './sqliteWal';

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
 * - database: the file's bytes (with the committed transactions of its `-wal` file, sqliteWal.ts) opened by sql.js (a
 *   copy in memory: the agent's files are never written), read from the cursor kept in the file's state; one that
 *   cannot be read (being written) is skipped, counted, and read again at its next change.
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
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(job.path);
  } catch (e) {
    return { ...unread(job), error: e instanceof Error ? e.message : String(e) };
  }
  const size = bytes.length;
  const state: FileState = { ...job.state };
  if (parser.kind === 'document') {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const out = safely(() => parser.parseDocument(text, file));
    if (!out || out.incomplete) return { ...unread(job), malformed: 1 };
    noteUnknown(state, out);
    return { path: job.path, offset: bytes.length, bytesRead: bytes.length, malformed: out.malformed, duplicates: 0, payload: payloadOf(out, parser.vanished === 'replace'), state };
  }
  let db: import('sql.js').Database | undefined;
  try {
    const SQL = await loadSqlJs();
    let image: Uint8Array | undefined = openedInPlace(mergeWal(bytes, readWal(job.path)));
    bytes = undefined;
    db = new SQL.Database(image);
    image = undefined;
    const { out, cursor } = parser.readDatabase(db, file, state.cursor ?? null);
    state.cursor = cursor;
    noteUnknown(state, out);
    return { path: job.path, offset: size, bytesRead: size, malformed: out.malformed, duplicates: 0, payload: payloadOf(out, false), state };
  } catch {
    return { ...unread(job), malformed: 1 };
  } finally {
    db?.close();
  }
}

/**
 * The bytes as a Buffer over the same memory (no copy), which sql.js's in-memory file system then holds as they are:
 * it stores a new file's first write as `data.slice(…)`, and a Buffer's slice is a view where a Uint8Array's is a copy.
 * So a database costs one copy of its bytes (this read of the file, with its -wal merged), not two at once — the
 * difference at the peak of a first index is the database's size (156 MB for the year bench's opencode.db).
 * Nothing is written to it but by SQLite reading a database we only query; the agent's file is never written.
 */
export function openedInPlace(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A copy of the database's `-wal` file (its transactions not yet checkpointed), if it has one. */
function readWal(path: string): Uint8Array | undefined {
  try {
    return readFileSync(`${path}-wal`);
  } catch {
    return undefined;
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
