// A small addition to sql.js 1.16's script (node_modules/sql.js/dist/sql-wasm.js), made by the build for every bundle
// and for dist/sql-wasm.js: `Database.prototype.fileBytes()`, the database file's bytes as sql.js's in-memory file
// system holds them, as a view (no copy). A whole save writes them as they are (core store/journaledSaves.ts) instead
// of `export()`'s copy — a backup into a second array of the file's size (+38 MB at a year with every source, at the
// save that ends a first index, when the heap is at its highest). Outside a transaction the file holds every committed
// page (SQLite writes them at commit; a rollback journal, never WAL, in sql.js), which is what the backup copies.
//
// The script is minified: the file system's `lookupPath` is `B`, a node's contents and length are `Ua` and `Wa` (as
// `export()` itself uses them a few characters before the anchor). The patch applies only where that exact text is
// found, once; anything else (another sql.js) leaves the script as it is, and saves use `export()`.

/** The text of sql.js 1.16's `export()` that names lookupPath and the node's fields, ending where the method is added. */
const ANCHOR = 'var r=B(f).node,u=null,w=r.Qa.write;';
const INSERT_BEFORE = 'g.prototype.close=function(){';
const METHOD =
  'g.prototype.fileBytes=function(){if(!this.db)throw Error("Database closed");var n=B(this.filename).node;' +
  'return new Uint8Array(n.Ua.buffer,n.Ua.byteOffset,n.Wa)};';

/**
 * sql.js's script with `fileBytes` added, or `undefined` when the script is not the one this patch was written for
 * (each anchor must occur exactly once).
 * @param {string} script
 * @returns {string | undefined}
 */
export function patchSqlJs(script) {
  if (count(script, ANCHOR) !== 1 || count(script, INSERT_BEFORE) !== 1) return undefined;
  return script.replace(INSERT_BEFORE, METHOD + INSERT_BEFORE);
}

function count(text, part) {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
  return n;
}
