import type { Database } from 'sql.js';
import { FileStateTexts } from '../../../src/core/store/fileRows';
import { FileKeys } from '../../../src/core/store/fileDirs';

const SUMS = 'input, output, cw5m, cw1h, cache_read, reasoning, web_search, requests';
/**
 * The columns read from the tables whose first and last entry times are stored as offsets since schema 16 (f, l;
 * first_ms and last_ms generated from them): the times as epoch ms, in their columns' order before, so that a dump
 * of an older index and of the same index migrated compare (f and l follow from the times and the bucket).
 */
const AS_TIMES: Record<string, string> = {
  usage: `bucket, dim, ${SUMS}, first_ms, last_ms`,
  usage_hours: `hour, key, ${SUMS}, first_ms, last_ms, ord`,
  session_totals: `dim, ${SUMS}, first_ms, last_ms, first_bucket, last_bucket, first_billed`,
};

/** Every row of every table of `main`, in key order: two databases with the same dump hold the same index. */
export function dump(db: Database): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  const tables = db.exec("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")[0].values.map((r) => String(r[0]));
  for (const t of tables) {
    if (t === 'dirs' && db.exec('SELECT count(*) FROM pragma_table_info(\'dirs\') WHERE name = \'parent\'')[0].values[0][0] === 1) {
      out[t] = dirsRows(db);
      continue;
    }
    if (t === 'files' && db.exec('SELECT count(*) FROM pragma_table_info(\'files\') WHERE name = \'fp\'')[0].values[0][0] === 1) {
      out[t] = filesRows(db);
      continue;
    }
    const cols = AS_TIMES[t] ?? '*';
    const n = AS_TIMES[t] ? AS_TIMES[t].split(',').length : db.exec(`PRAGMA main.table_info("${t}")`)[0].values.length;
    out[t] = db.exec(`SELECT ${cols} FROM main."${t}" ORDER BY ${Array.from({ length: n }, (_, i) => i + 1).join(', ')}`)[0]?.values ?? [];
  }
  return out;
}

/**
 * `files` of schema 17 as schema 13 to 16 held it (dir, name, source, dev, ino, size, mtime_ms, offset, state as JSON text, missing),
 * in key order: since schema 17 its source is an id in strs and its state packed (store/fileRows.ts).
 */
function filesRows(db: Database): unknown[][] {
  const states = new FileStateTexts(db);
  const res = db.exec('SELECT dir, name, (SELECT s FROM strs WHERE id = source_id), dev, ino, size, mtime_ms, offset, fp, state, missing FROM main.files ORDER BY dir, name');
  return (res[0]?.values ?? []).map(([dir, name, source, dev, ino, size, mtime, offset, fp, state, missing]) => [dir, name, source, dev, ino, size, mtime, offset, states.text(fp, state), missing]);
}

/**
 * `dirs` of schema 19 as schema 13 to 18 held it: each directory of a file with its id and whole text (the directories
 * above them, which only schema 19 keeps as rows, left out), by id.
 */
function dirsRows(db: Database): unknown[][] {
  const keys = new FileKeys(db);
  try {
    return (db.exec('SELECT DISTINCT dir FROM main.files ORDER BY dir')[0]?.values ?? []).map(([id]) => [id, keys.pathOf(Number(id), '')]);
  } finally {
    keys.free();
  }
}
