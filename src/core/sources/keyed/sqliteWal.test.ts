import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSqlJs } from '../../store/sqljs';
import type { FileInfo } from '../plugin';
import { opencodeSource } from '../opencode/index';
import { mergeWal } from './sqliteWal';

/**
 * fixtures/wal: an opencode.db (WAL mode, page size 4096) written by SQLite 3.40 with OpenCode's tables: one reply
 * checkpointed into opencode.db, two more replies committed in two transactions still in opencode.db-wal
 * (7 frames each; the first transaction's frames end at byte 32 + 7 × 4120 = 28872).
 */
const dir = join(__dirname, '..', 'opencode', 'fixtures', 'wal');
const dbBytes = readFileSync(join(dir, 'opencode.db'));
const walBytes = readFileSync(join(dir, 'opencode.db-wal'));
const FILE: FileInfo = { path: join(dir, 'opencode.db'), project: '(unknown)', session: '', format: 'db' };
const FIRST_COMMIT_END = 32 + 7 * (24 + 4096);

async function keys(bytes: Uint8Array): Promise<string[]> {
  const SQL = await loadSqlJs();
  const parser = opencodeSource.parsers.db;
  if (parser.kind !== 'database') throw new Error('db parser');
  return parser.readDatabase(new SQL.Database(bytes), FILE, null).out.records.map((r) => r.key).sort();
}

test('opencode WAL: the database file alone misses the replies still in its -wal; merged, all are read', async () => {
  assert.deepEqual(await keys(dbBytes), ['msg_c5cc84bbf001a3bQs6VdR97IUK']);
  assert.deepEqual(await keys(mergeWal(dbBytes, walBytes)), ['msg_c5cc84bbf001a3bQs6VdR97IUK', 'msg_c5cc9a010001Gg7HhJjKkLlMmN', 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy']);
});

test('opencode WAL: a -wal caught mid-write gives the last committed state; a foreign or damaged one changes nothing', async () => {
  const torn = walBytes.subarray(0, FIRST_COMMIT_END + 3 * (24 + 4096) + 100);
  assert.deepEqual(await keys(mergeWal(dbBytes, torn)), ['msg_c5cc84bbf001a3bQs6VdR97IUK', 'msg_c5cc9a010001Gg7HhJjKkLlMmN']);
  const damaged = Uint8Array.from(walBytes);
  damaged[FIRST_COMMIT_END + 24 + 500] ^= 0xff; // a byte of the second transaction's first page
  assert.deepEqual(await keys(mergeWal(dbBytes, damaged)), ['msg_c5cc84bbf001a3bQs6VdR97IUK', 'msg_c5cc9a010001Gg7HhJjKkLlMmN']);
  assert.equal(mergeWal(dbBytes, undefined), dbBytes);
  assert.equal(mergeWal(dbBytes, walBytes.subarray(0, 20)), dbBytes);
  const badHeader = Uint8Array.from(walBytes);
  badHeader[12] ^= 1; // checkpoint sequence: the header checksum no longer holds
  assert.equal(mergeWal(dbBytes, badHeader), dbBytes);
  // the inputs are never changed
  assert.deepEqual(readFileSync(join(dir, 'opencode.db')), dbBytes);
});
