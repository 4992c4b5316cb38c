import type { Database } from 'sql.js';
import { FILE_DIRS_JOIN, FILE_PATH } from './fileDirs';

/**
 * The stored stamps of the log files (`files`: dev, inode, size, modification time) as short strings, read in one
 * query for the full check of every log file a refresh makes: a file is unchanged when the stamp of its stat now
 * (`fileStamp`) equals the stored one, so a refresh that finds nothing new builds no object per file (at a year of
 * logs, 16k rows: reading them as rows and objects cost ~40 ms and much of the run's garbage collection).
 */
export interface StoredStamps {
  /** path → stamp; `MISSING` for a file marked missing (its stamp never equals a file's) */
  byPath: Map<string, string>;
  /** rows not marked missing */
  present: number;
}

export const MISSING = '-';

/** The stamp of a file's stat: what `loadFileStamps` gives for its stored row when nothing changed. */
export function fileStamp(dev: number, ino: number, size: number, mtimeMs: number): string {
  return `${dev} ${ino} ${size} ${mtimeMs}`;
}

/**
 * Every row's stamp. The rows come as one string (path TAB stamp, LF between rows) and are split here: one value
 * from sql.js instead of five per row. A path holding a line feed (possible, never seen) makes the split ambiguous:
 * then the rows are read one by one.
 */
export function loadFileStamps(db: Database): StoredStamps {
  const byPath = new Map<string, string>();
  let present = 0;
  const stamp = `CASE f.missing WHEN 0 THEN f.dev || ' ' || f.ino || ' ' || f.size || ' ' || f.mtime_ms ELSE '${MISSING}' END`;
  const [n, joined] = db.exec(`SELECT count(*), group_concat(${FILE_PATH} || char(9) || ${stamp}, char(10)) FROM ${FILE_DIRS_JOIN}`)[0].values[0];
  // each key and stamp is a slice of the one string: no string per row besides them
  const text = typeof joined === 'string' ? joined : '';
  let rows = 0;
  let ok = true;
  for (let start = 0; start < text.length && ok; rows++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.lastIndexOf('\t', end - 1);
    ok = tab >= start;
    const s = text.slice(tab + 1, end);
    byPath.set(text.slice(start, tab), s);
    if (s !== MISSING) present++;
    start = end + 1;
  }
  if (ok && rows === Number(n)) return { byPath, present };
  byPath.clear();
  present = 0;
  for (const [path, s] of db.exec(`SELECT ${FILE_PATH}, ${stamp} FROM ${FILE_DIRS_JOIN}`)[0]?.values ?? []) {
    byPath.set(String(path), String(s));
    if (s !== MISSING) present++;
  }
  return { byPath, present };
}
