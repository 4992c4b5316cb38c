import type { Database } from 'sql.js';
import { inTransaction } from '../query/inTransaction';

/** A database of the sql.js the build patches (scripts/sqljsPatch.mjs): its file's bytes as a view, no copy. */
type WithFileBytes = Database & { fileBytes?: () => Uint8Array };

/**
 * The bytes of the whole database file, to be written before anything else runs on `db`: the in-memory file system's
 * own bytes as a view where sql.js has `fileBytes` (the bundles: a whole save after a first index then allocates no
 * second array of the file's size), else `export()`'s copy (tests, an unpatched sql.js). Inside an open transaction
 * the file may lack pages SQLite has not written yet: `export()` then (which refuses, as it always did).
 */
export function wholeFileBytes(db: Database): Uint8Array {
  const fileBytes = (db as WithFileBytes).fileBytes;
  if (typeof fileBytes !== 'function' || inTransaction(db)) return db.export();
  return fileBytes.call(db);
}
