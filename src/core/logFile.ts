/** One log file found under a root. */
export interface LogFile {
  path: string;
  source: string;
  /** which of the source's parsers reads it */
  format: string;
  /** where discovery found it: its project ('' when the log says: Codex) and session */
  project: string;
  session: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * A listed file with its stamp now. Written field by field, never as `{ ...listed, size, … }`: V8 (Node 20) gives each
 * object that a spread copies into and that then gets more fields a hidden class of its own — its map, descriptor
 * array and property array, ~330 bytes an object. A first index holds every changed file's LogFile and ParseJob to
 * its end: a year with every source (27,493 files) held ~55,000 such maps, ~19 MB of the indexing thread's heap.
 */
export function stampedFile(f: Pick<LogFile, 'path' | 'source' | 'format' | 'project' | 'session'>, size: number, mtimeMs: number, dev: number, ino: number): LogFile {
  return { path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, size, mtimeMs, dev, ino };
}
