// Two small changes to sql.js 1.16's script (node_modules/sql.js/dist/sql-wasm.js), made by the build for every bundle
// and for dist/sql-wasm.js: a file cut shorter keeps its array (RESIZE below), and `Database.prototype.fileBytes()`,
// the database file's bytes as sql.js's in-memory file system holds them, as a view (no copy). A whole save writes
// them as they are (core store/wholeFileBytes.ts) instead
// of `export()`'s copy — a backup into a second array of the file's size (+38 MB at a year with every source, at the
// save that ends a first index, when the heap is at its highest). Outside a transaction the file holds every committed
// page (SQLite writes them at commit; a rollback journal, never WAL, in sql.js), which is what the backup copies.
//
// The script is minified: the file system's `lookupPath` is `B`, a node's contents and length are `Ua` and `Wa` (as
// `export()` itself uses them a few characters before the anchor). The patches apply only where those exact texts are
// found, once each; anything else (another sql.js) leaves the script as it is (the build then fails: update them).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The text of sql.js 1.16's `export()` that names lookupPath and the node's fields, ending where the method is added. */
const ANCHOR = 'var r=B(f).node,u=null,w=r.Qa.write;';
const INSERT_BEFORE = 'g.prototype.close=function(){';
const METHOD =
  'g.prototype.fileBytes=function(){if(!this.db)throw Error("Database closed");var n=B(this.filename).node;' +
  'return new Uint8Array(n.Ua.buffer,n.Ua.byteOffset,n.Wa)};';

/**
 * MEMFS's resize of a file (`setattr` with a size: SQLite's truncation, e.g. `incremental_vacuum` cutting free pages
 * off the end) made a new array of the new size and copied the file into it (+38 MB at the save that ends a first
 * index with every source, beside the array with room the index was kept in). The patched resize keeps the array when
 * the new size fits in it, and zeroes what was cut: bytes past a file's length stay zero, as in a new array, so a later
 * write past the end reads as it did. A file cut by more than a quarter (a VACUUM of an older index: the zeroed pages
 * would stay resident for the process's life), cut to nothing, grown past its array, or whose contents are not an
 * array of their own (an agent's database read through keyed/databaseImage.ts) is handled as before.
 */
const RESIZE = 'a.Wa!=b&&(d=a.Ua,a.Ua=new Uint8Array(b),a.Ua.set(d.subarray(0,Math.min(b,\na.Wa))),a.Wa=b)'; // (a line break in the script)
const RESIZE_IN_PLACE =
  'a.Wa!=b&&(b>0&&a.Ua instanceof Uint8Array&&b<=a.Ua.length&&b*4>=a.Wa*3?(b<a.Wa&&a.Ua.fill(0,b,a.Wa),a.Wa=b):' +
  '(d=a.Ua,a.Ua=new Uint8Array(b),a.Ua.set(d.subarray(0,Math.min(b,a.Wa))),a.Wa=b))';

/**
 * sql.js's script with `fileBytes` added and files resized in place, or `undefined` when the script is not the one
 * these patches were written for (each anchor must occur exactly once).
 * @param {string} script
 * @returns {string | undefined}
 */
export function patchSqlJs(script) {
  if (count(script, ANCHOR) !== 1 || count(script, INSERT_BEFORE) !== 1 || count(script, RESIZE) !== 1) return undefined;
  return script.replace(INSERT_BEFORE, METHOD + INSERT_BEFORE).replace(RESIZE, RESIZE_IN_PLACE);
}

function count(text, part) {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
  return n;
}

/** sql.js's script (its package's main, …/sql.js/dist/sql-wasm.js), patched; the build fails when the patches do not apply. */
export function patchedSqlJsScript() {
  const script = createRequire(import.meta.url).resolve('sql.js');
  const patched = patchSqlJs(readFileSync(script, 'utf8'));
  if (!patched) throw new Error(`scripts/sqljsPatch.mjs does not apply to ${script}: update the patches for this sql.js`);
  return patched;
}

/** An esbuild plugin that bundles sql.js's script patched (the build's bundles, and the bench's in-process children). */
export function sqlJsPatchPlugin(patched = patchedSqlJsScript()) {
  return {
    name: 'sqljs-patch',
    setup(build) {
      build.onLoad({ filter: /[\\/]sql\.js[\\/]dist[\\/]sql-wasm\.js$/ }, () => ({ contents: patched, loader: 'js' }));
    },
  };
}
