import type { Database } from 'sql.js';
import { packState, stateText } from './fileStates';
import { FILES_AS_PATHS } from './fileDirs';
import { TextIds } from './strs';

/**
 * `files` rows since schema 17: the source as its id in `strs` (`source_id`), the parser state packed
 * (store/fileStates.ts: `fp` and `state`). The ingest writes them (ingest/apply.ts), the indexer reads a file's state
 * back as the JSON text it was (`FileStateTexts`).
 */

/**
 * The strs texts for reading states back: the texts kept per database (store/strs.ts `TextIds`: read once, then only
 * rows added since — not every text again for each refresh's stored files).
 */
export class FileStateTexts {
  private readonly strs: TextIds;

  constructor(db: Database) {
    this.strs = new TextIds(db, 'strs');
  }

  /** The JSON text of a stored state (its `fp` and `state` columns). */
  text(fp: unknown, state: unknown): string {
    return stateText(typeof fp === 'number' ? fp : null, typeof state === 'string' ? state : null, (id) => this.strs.textOf(id));
  }
}

/**
 * Migration 17's data step: each row of temp.f16 (the files of schema 16) into the new `files`, its source and its
 * state's key lists interned, the same row otherwise. Rows in key order.
 */
export function packFileStates(db: Database): void {
  const strs = new TextIds(db, 'strs');
  const put = db.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const sel = db.prepare('SELECT dir, name, source, dev, ino, size, mtime_ms, offset, state, missing FROM temp.f16 ORDER BY dir, name');
  try {
    while (sel.step()) {
      const [dir, name, source, dev, ino, size, mtime, offset, state, missing] = sel.get();
      const p = packState(String(state ?? '{}'), (k) => strs.idOf(k));
      put.run([dir, name, strs.idOf(String(source)), dev, ino, size, mtime, offset, p.fp, p.state, missing]);
    }
  } finally {
    sel.free();
    put.free();
    strs.free();
  }
  db.run('DROP TABLE temp.f16');
}

/**
 * Every `files` row as schema 13 to 16 held it, ordered by path: path, source, dev, ino, size, mtime_ms, offset, the
 * state's JSON text, missing (the bench's checks and tests compare indexes of either schema with it).
 */
export function filesAsPaths(db: Database): unknown[][] {
  const states = new FileStateTexts(db);
  const res = db.exec(`SELECT path, source, dev, ino, size, mtime_ms, offset, fp, state, missing FROM ${FILES_AS_PATHS} ORDER BY path`);
  return (res[0]?.values ?? []).map(([path, source, dev, ino, size, mtime, offset, fp, state, missing]) => [path, source, dev, ino, size, mtime, offset, states.text(fp, state), missing]);
}
