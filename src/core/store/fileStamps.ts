import type { Database } from 'sql.js';
import { FileKeys } from './fileDirs';

/**
 * The stored stamps of the log files (`files`: dev, inode, size, modification time), read in one query for the full
 * check of every log file a refresh makes: a file is unchanged when its stat now has the stored stamp (`sameStamp`),
 * so a refresh that finds nothing new builds no object and no string per file. The stamps are kept as numbers in one
 * array, the map holds a row number per path: a year of logs (16k rows) built no stamp string per file, stored or
 * stat'ed (those strings, their compares and their garbage were ~10 % of a CLI run that found nothing new).
 */
export interface StoredStamps {
  /** path → row, the row's stamp at 4·row … 4·row+3 of `stamps` */
  byPath: Map<string, number>;
  /** per row: dev, inode, size, mtime (whole ms); NaN in all four for a row whose stamp no stat can equal */
  stamps: Float64Array;
  /** per row: 1 when marked missing */
  missing: Uint8Array;
  /** rows not marked missing */
  present: number;
}

/**
 * Whether a file stat'ed now (dev, inode, size, whole-ms mtime) has the stored stamp of `row`. A row marked missing,
 * or holding a number that is not a safe integer (an inode past 2^53), never has one: such a file goes on as
 * changed and is compared with its whole stored row, as a file with another stamp is.
 */
export function sameStamp(s: StoredStamps, row: number, dev: number, ino: number, size: number, mtimeMs: number): boolean {
  const i = 4 * row;
  return s.stamps[i] === dev && s.stamps[i + 1] === ino && s.stamps[i + 2] === size && s.stamps[i + 3] === mtimeMs;
}

/** The stamp of a row marked missing in the text `loadFileStamps` reads. */
const MISSING = '-';
const STAMP = `CASE f.missing WHEN 0 THEN f.dev || ' ' || f.ino || ' ' || f.size || ' ' || f.mtime_ms ELSE '${MISSING}' END`;

/**
 * Every row's stamp. The rows come as one string (directory id '/' name TAB stamp, LF between rows; the stamp as SQLite
 * writes its four integers) and are split here: one value from sql.js instead of six per row, and each stamp's digits
 * read in place into the array; the path is the directory's text (held in memory, store/strs.ts) and the name. A name
 * holding a line feed (possible, never seen) makes the split ambiguous: then the rows are read one by one.
 */
export function loadFileStamps(db: Database): StoredStamps {
  const keys = new FileKeys(db);
  try {
    return readStamps(db, keys);
  } finally {
    keys.free();
  }
}

function readStamps(db: Database, keys: FileKeys): StoredStamps {
  const [n, joined] = db.exec(`SELECT count(*), group_concat(f.dir || '/' || f.name || char(9) || ${STAMP}, char(10)) FROM files f`)[0].values[0];
  const count = Number(n);
  const out = emptyStamps(count);
  const text = typeof joined === 'string' ? joined : '';
  let rows = 0;
  for (let start = 0; start < text.length; rows++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.lastIndexOf('\t', end - 1);
    const slash = text.indexOf('/', start);
    // a line without a tab, or more lines than rows: a name holds a line feed
    if (tab < start || slash < start || slash > tab || rows === count) {
      rows = -1;
      break;
    }
    out.byPath.set(keys.pathOf(Number(text.slice(start, slash)), text.slice(slash + 1, tab)), rows);
    if (end - tab === 2 && text.charCodeAt(tab + 1) === 45 /* '-' */) markMissing(out, rows);
    else {
      readStamp(text, tab + 1, end, out.stamps, 4 * rows);
      out.present++;
    }
    start = end + 1;
  }
  if (rows === count && out.byPath.size === count) return out;
  const res = db.exec('SELECT f.dir, f.name, f.missing, f.dev, f.ino, f.size, f.mtime_ms FROM files f')[0]?.values ?? [];
  const byRow = emptyStamps(res.length);
  for (let row = 0; row < res.length; row++) {
    const [dir, name, missing, ...stamp] = res[row];
    byRow.byPath.set(keys.pathOf(Number(dir), String(name)), row);
    if (Number(missing) !== 0) {
      markMissing(byRow, row);
      continue;
    }
    for (let k = 0; k < 4; k++) byRow.stamps[4 * row + k] = typeof stamp[k] === 'number' && Number.isSafeInteger(stamp[k]) ? (stamp[k] as number) : Number.NaN;
    byRow.present++;
  }
  return byRow;
}

function emptyStamps(count: number): StoredStamps {
  return { byPath: new Map(), stamps: new Float64Array(4 * count), missing: new Uint8Array(count), present: 0 };
}

function markMissing(s: StoredStamps, row: number): void {
  s.missing[row] = 1;
  s.stamps.fill(Number.NaN, 4 * row, 4 * row + 4);
}

/**
 * The four integers of a stamp in text[from, to) ("dev ino size mtime", as SQLite writes integers) into
 * stamps[at … at+3]. A field that is not an optionally signed run of digits whose value is a safe integer (below
 * 2^53 the digits are summed exactly), or a stamp without exactly four fields, gives NaN in all four.
 */
function readStamp(text: string, from: number, to: number, stamps: Float64Array, at: number): void {
  let field = 0;
  let i = from;
  while (i < to && field < 4) {
    const negative = text.charCodeAt(i) === 45; // '-'
    if (negative) i++;
    const digitsFrom = i;
    let v = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
    if (i === digitsFrom || v > Number.MAX_SAFE_INTEGER || (i < to && text.charCodeAt(i) !== 32)) break;
    stamps[at + field++] = negative ? -v : v;
    i++; // the space after the field
  }
  if (field !== 4 || i < to) stamps.fill(Number.NaN, at, at + 4);
}
