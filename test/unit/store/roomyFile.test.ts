import { test } from 'node:test';
import type { Database } from 'sql.js';
import assert from 'node:assert/strict';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWithRoom, readFileWithRoom, readFileWithRoomAsync, roomFor, withRoom } from '../../../src/core/store/roomyFile';
import { freshIndexDatabase } from '../../../src/core/store/persist';
import { SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';

/** Rows of about 1 KB each: enough to grow a file past its first megabytes. */
function fill(db: Database, rows: number): void {
  db.run('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)');
  db.run('BEGIN');
  for (let i = 0; i < rows; i++) db.run('INSERT INTO t (v) VALUES (?)', [`${i}:${'x'.repeat(1000)}`]);
  db.run('COMMIT');
}

/** The bytes of a database of `rows` rows of `fill`. */
function imageOf(SQL: Awaited<ReturnType<typeof loadSqlJs>>, rows: number): Uint8Array {
  const seed = new SQL.Database();
  fill(seed, rows);
  const bytes = seed.export();
  seed.close();
  return bytes;
}

test('roomFor: the file doubled, at least 64 MiB of room, at most 2 GiB', () => {
  assert.equal(roomFor(0), 64 * 1024 * 1024);
  assert.equal(roomFor(10e6), 10e6 + 64 * 1024 * 1024);
  assert.equal(roomFor(100e6), 200e6);
  assert.equal(roomFor(1.5 * 2 ** 30), 2 ** 31);
  assert.equal(roomFor(3 * 2 ** 30), 3 * 2 ** 30); // no room: grown by copying as before
});

test('withRoom: bytes that cannot get room are handed over as they are', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  assert.equal(withRoom(bytes, 3), bytes);
  assert.equal(withRoom(new Uint8Array(0)).length, 0);
  // an array past what this process can allocate: sql.js gets a plain copy of the bytes
  const handed = withRoom(bytes, 2 ** 33);
  assert.deepEqual([...handed.slice(0, 3)], [1, 2, 3]);
  assert.equal(handed.slice(0, 3).length, 3);
});

test('sql.js keeps the roomy array as the file and writes the growing database into it, in place', async () => {
  const SQL = await loadSqlJs();
  const bytes = imageOf(SQL, 10);

  // the array the file system keeps is the one `slice(0, length)` gives: catch it
  let kept: Uint8Array | undefined;
  const handed = withRoom(bytes, 8 * 1024 * 1024);
  const slice = handed.slice.bind(handed);
  (handed as { slice: (a?: number, b?: number) => Uint8Array }).slice = (a?: number, b?: number) => (kept = slice(a, b));
  const db = new SQL.Database(handed);
  assert.ok(kept, 'sql.js took the bytes through slice');
  assert.equal(kept.length, 8 * 1024 * 1024);
  assert.deepEqual(kept.subarray(0, bytes.length), bytes);

  fill(db, 3000); // ~3 MB: far past the handed file's size, within its room
  const out = db.export();
  assert.ok(out.length > 3e6, `the database grew (${out.length} bytes)`);
  // every page SQLite wrote is in the kept array: the file grew in place, never copied to a new one (export copies
  // the database with SQLite's backup, which writes its own change counter: header bytes 24-27 and 92-95)
  const counters = (b: Uint8Array) => {
    const c = b.slice(0, out.length);
    c.fill(0, 24, 28);
    c.fill(0, 92, 96);
    return c;
  };
  assert.deepEqual(counters(kept), counters(out));
  assert.equal(Number(db.exec('SELECT count(*) FROM t')[0].values[0][0]), 3010);
  db.close();
});

test('a roomy database reads and writes as one opened from plain bytes: the same rows, the same file', async () => {
  const SQL = await loadSqlJs();
  const bytes = imageOf(SQL, 50);

  const plain = new SQL.Database(bytes);
  const roomy = openWithRoom(SQL, bytes);
  for (const db of [plain, roomy]) {
    fill(db, 2000);
    db.run('DELETE FROM t WHERE id % 3 = 0');
    db.run('BEGIN');
    db.run('INSERT INTO t (v) VALUES (?)', ['rolled back']);
    db.run('ROLLBACK');
  }
  assert.deepEqual(roomy.exec('SELECT count(*), sum(length(v)) FROM t'), plain.exec('SELECT count(*), sum(length(v)) FROM t'));
  assert.deepEqual(roomy.export(), plain.export());
  plain.close();
  roomy.close();
});

test('a new index: an empty database with room, migrated to this schema like one made from nothing', async () => {
  const SQL = await loadSqlJs();
  const empty = openWithRoom(SQL);
  assert.equal(Number(empty.exec('SELECT count(*) FROM sqlite_master')[0].values[0][0]), 0);
  assert.equal(schemaVersionOf(empty), 0);
  empty.close();

  const fresh = freshIndexDatabase(SQL);
  const fromNothing = new SQL.Database();
  const { migrate } = await import('../../../src/core/store/schema');
  migrate(fromNothing);
  assert.equal(schemaVersionOf(fresh), SCHEMA_VERSION);
  const schema = (db: typeof fresh) => db.exec('SELECT type, name, sql FROM sqlite_master ORDER BY name')[0].values;
  assert.deepEqual(schema(fresh), schema(fromNothing));
  fresh.close();
  fromNothing.close();
});

test('a file read with room is the file sql.js writes into (no copy); a buffer not made here is copied, never written past its bytes', async () => {
  const SQL = await loadSqlJs();
  const image = imageOf(SQL, 20);
  const dir = mkdtempSync(join(tmpdir(), 'agentmeter-roomy-'));
  try {
    const file = join(dir, 'index.sqlite');
    writeFileSync(file, image);
    for (const bytes of [readFileWithRoom(file), await readFileWithRoomAsync(file)]) {
      assert.deepEqual(new Uint8Array(bytes), image);
      assert.equal(bytes.buffer.byteLength, roomFor(image.length));
      const db = new SQL.Database(withRoom(bytes));
      fill(db, 3000);
      const out = db.export();
      // the database grew inside the buffer the file was read into
      const grown = new Uint8Array(bytes.buffer, 0, out.length).slice();
      for (const a of [grown, out]) {
        a.fill(0, 24, 28);
        a.fill(0, 92, 96);
      }
      assert.deepEqual(grown, out);
      db.close();
    }
    // a small Buffer shares Node's pool with other buffers: handed over as a copy, the pool untouched
    const neighbour = Buffer.from('neighbour bytes');
    const small = Buffer.from(image.subarray(0, 4096));
    const handed = withRoom(small, 8192);
    const kept = handed.slice(0, small.length);
    assert.notEqual(kept.buffer, small.buffer);
    assert.equal(neighbour.toString(), 'neighbour bytes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
