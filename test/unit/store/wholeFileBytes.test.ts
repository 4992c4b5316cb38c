import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { patchSqlJs } from '../../../scripts/sqljsPatch.mjs';
import { openIndexDatabase, readIndexCopy, saveIndexDatabase } from '../../../src/core/store/persist';
import { openWithRoom } from '../../../src/core/store/roomyFile';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { wholeFileBytes } from '../../../src/core/store/wholeFileBytes';
import * as h from '../ingest/helpers';

const load = createRequire(__filename);
const script = load.resolve('sql.js'); // …/sql.js/dist/sql-wasm.js, as the build bundles it

/** sql.js as the bundles have it: its script with the build's patch (scripts/sqljsPatch.mjs), evaluated here. */
async function patchedSqlJs(): Promise<SqlJsStatic> {
  const patched = patchSqlJs(readFileSync(script, 'utf8'));
  assert.ok(patched, 'the patch applies to the installed sql.js (the build fails otherwise)');
  const mod = { exports: {} as unknown };
  new Function('module', 'exports', 'require', '__filename', '__dirname', patched)(mod, mod.exports, load, script, dirname(script));
  const init = mod.exports as (config: { wasmBinary: ArrayBuffer }) => Promise<SqlJsStatic>;
  const wasm = readFileSync(join(dirname(script), 'sql-wasm.wasm'));
  return init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
}

const fileBytesOf = (db: Database) => (db as Database & { fileBytes(): Uint8Array }).fileBytes();
const pragma = (db: Database, p: string) => Number(db.exec(`PRAGMA ${p}`)[0]!.values[0]![0]);

/** The file's bytes open as the same database as `export()`'s copy: every row, a sound file, the same pages. */
function assertSameAsExport(SQL: SqlJsStatic, db: Database, what: string): void {
  const view = fileBytesOf(db);
  const copy = db.export();
  assert.equal(view.length, copy.length, `${what}: length`);
  assert.equal(view.length, pragma(db, 'page_count') * pragma(db, 'page_size'), `${what}: the file is its pages`);
  // a backup (export()) bumps the header's change counter, schema cookie and version-valid-for number (bytes 24-27,
  // 40-43, 92-95: sqlite.org/fileformat.html, 1.3); nothing else differs
  const header = (i: number) => (i >= 24 && i < 28) || (i >= 40 && i < 44) || (i >= 92 && i < 96);
  const differ: number[] = [];
  for (let i = 0; i < view.length; i++) if (view[i] !== copy[i] && !header(i)) differ.push(i);
  assert.deepEqual(differ.slice(0, 5), [], `${what}: bytes`);
  // and it opens as a sound file with the same rows (the bytes being equal, a count and sums are enough here)
  const a = new SQL.Database(view.slice());
  try {
    assert.equal(a.exec('PRAGMA integrity_check')[0]!.values[0]![0], 'ok', what);
    const sums = (d: Database) => d.exec('SELECT count(*), total(k), total(length(v)) FROM t')[0]!.values[0];
    assert.deepEqual(sums(a), sums(db), `${what}: rows`);
  } finally {
    a.close();
  }
}

test("the patched sql.js's file bytes are the database export() copies, as the file grows past its room and is cut in place", async () => {
  const SQL = await patchedSqlJs();
  // with room to grow in place (roomyFile.ts), as the index is opened; 1 MB of rows at a time, then cut
  const db = openWithRoom(SQL, undefined, (d) => d.run('PRAGMA auto_vacuum = INCREMENTAL'));
  db.run('CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)');
  const put = (from: number, n: number) => {
    db.run('BEGIN');
    for (let k = from; k < from + n; k++) db.run('INSERT INTO t VALUES (?, randomblob(1000))', [k]);
    db.run('COMMIT');
  };
  put(0, 1000);
  assertSameAsExport(SQL, db, 'first MB');
  put(1000, 80_000); // ~80 MB: past the 64 MiB of room the empty file was given (sql.js copies it into a larger array)
  assertSameAsExport(SQL, db, 'grown past its room');
  // a cut of a tenth, as the save after a first index makes (free pages cut off by incremental_vacuum): the patched
  // resize keeps the file's array (no new array of the file's size and copy) and zeroes what was cut
  const before = fileBytesOf(db);
  db.run('DELETE FROM t WHERE k >= 72000 AND k < 81000');
  db.run('PRAGMA incremental_vacuum');
  const cut = fileBytesOf(db);
  assert.ok(cut.length < before.length * 0.95 && cut.length > before.length * 0.8, `cut from ${before.length} to ${cut.length} bytes`);
  assert.ok(cut.buffer === before.buffer, 'the cut file is still in its array');
  assert.ok(new Uint8Array(cut.buffer, cut.byteOffset + cut.length, before.length - cut.length).every((b) => b === 0), 'the cut bytes are zero');
  assertSameAsExport(SQL, db, 'cut by incremental_vacuum');
  // a cut of more than a quarter gets an array of its size (the zeroed rest would stay resident)
  db.run('DELETE FROM t WHERE k % 3 = 0 OR k > 40000');
  db.run('PRAGMA incremental_vacuum');
  const halved = fileBytesOf(db); // (more than a quarter)
  assert.ok(halved.length < cut.length * 0.6, `cut from ${cut.length} to ${halved.length} bytes`);
  assert.ok(halved.buffer !== cut.buffer && halved.buffer.byteLength === halved.length, 'a new array of the file size');
  assertSameAsExport(SQL, db, 'halved by incremental_vacuum');
  put(100_000, 500);
  assertSameAsExport(SQL, db, 'grown again after the cut');
  db.run('DELETE FROM t WHERE k >= 100000');
  db.run('PRAGMA incremental_vacuum');
  assertSameAsExport(SQL, db, 'cut again');
  put(200_000, 20_000); // past the cut: the pages written there read as a new file's
  assertSameAsExport(SQL, db, 'grown past the first cut');
  db.close();
});

test('inside an open transaction the whole bytes come from export(), which refuses as it did', async () => {
  const SQL = await patchedSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE t (k INTEGER PRIMARY KEY)');
  db.run('BEGIN');
  db.run('INSERT INTO t VALUES (1)');
  assert.throws(() => wholeFileBytes(db), /Unable to export/);
  db.run('COMMIT');
  assert.equal(wholeFileBytes(db).length, pragma(db, 'page_count') * pragma(db, 'page_size'));
  db.close();
});

test('a whole save writes the view of the patched sql.js, and an unpatched sql.js saves the same database', async () => {
  const dir = h.tmpDir();
  for (const [what, SQL] of [['patched', await patchedSqlJs()], ['unpatched', await loadSqlJs()]] as const) {
    assert.equal(typeof (new SQL.Database() as Database & { fileBytes?: unknown }).fileBytes, what === 'patched' ? 'function' : 'undefined');
    const file = join(dir, `${what}.sqlite`);
    const { db } = openIndexDatabase(SQL, undefined);
    h.write(join(dir, what, 'c/projects/p/s.jsonl'), [1, 2, 3].map((n) => h.claudeAssistant({ ts: `2026-04-0${n}T10:00:00Z`, id: `msg_${n}`, usage: { input: n, output: 10 * n } })).join(''));
    await h.indexOnce(h.rootsFor({ claude: join(dir, what, 'c') }), db);
    const r = saveIndexDatabase(db, file);
    assert.equal(r.whole, true);
    const again = readIndexCopy(SQL, readFileSync(file));
    assert.deepEqual(h.totals(again), h.totals(db), what);
    assert.equal(h.totals(again).requests, 3, what);
    again.close();
    db.close();
  }
  h.cleanup(dir);
});
