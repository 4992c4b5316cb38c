import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClaimMessage, WorkerReply } from '../../../src/core/ingest/claims';
import type { ParseJob, ParseResult } from '../../../src/core/ingest/records';
import { loadOwnSqlJs, loadSqlJs } from '../../../src/core/store/sqljs';
import type { KeyedPayload } from '../../../src/core/sources/keyed/keyedParse';
import * as h from './helpers';

/**
 * A parse worker that read an agent's database (OpenCode's, in a first index: whichever thread claims it first) lets
 * go of the sql.js it read it with (keyedParse.ts readDatabasesWithOwnSqlJs): its wasm memory (SQLite's heap, 16 MiB
 * and up, with the page cache of the read) was held to the end of the refresh beside the indexing thread's sql.js.
 */
const FIXTURES = join(__dirname, '../../../src/core/sources/opencode/fixtures/wal');
const WASM_MEMORY_MIN = 16 * 1024 * 1024;

/** The largest ArrayBuffer backing store in a worker's heap (after the full GC a heap snapshot starts with). */
async function largestBuffer(w: Worker): Promise<number> {
  const chunks: string[] = [];
  for await (const c of await w.getHeapSnapshot()) chunks.push(String(c));
  const s = JSON.parse(chunks.join('')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[]; strings: string[] };
  const fields = s.snapshot.meta.node_fields;
  const [name, size] = [fields.indexOf('name'), fields.indexOf('self_size')];
  let largest = 0;
  for (let i = 0; i < s.nodes.length; i += fields.length) {
    if (s.strings[s.nodes[i + name]] === 'system / JSArrayBufferData') largest = Math.max(largest, s.nodes[i + size]);
  }
  return largest;
}

/** Runs `jobs` in a fresh parse worker (claimed from the back, as pool.ts shares them) and returns their results. */
async function parseInWorker(w: Worker, jobs: ParseJob[], batch: number): Promise<ParseResult[]> {
  const out: ParseResult[] = [];
  await new Promise<void>((resolve, reject) => {
    const on = (m: WorkerReply) => {
      if (m.batch !== batch) return;
      if (m.type === 'result') out[m.index] = m.result;
      else {
        w.off('message', on);
        resolve();
      }
    };
    w.on('message', on);
    w.once('error', reject);
    const msg: ClaimMessage = { batch, jobs, claims: new Int32Array(new SharedArrayBuffer(4 * jobs.length)), mark: 2 };
    w.postMessage(msg);
  });
  return out;
}

test('loadOwnSqlJs: a sql.js of its own at each load, none of them the shared one of the thread', async () => {
  const shared = await loadSqlJs();
  const a = await loadOwnSqlJs();
  const b = await loadOwnSqlJs();
  assert.notEqual(a, shared);
  assert.notEqual(b, a);
  assert.equal(await loadSqlJs(), shared);
  // each works on its own: a database of one is not seen by the other
  const da = new a.Database();
  da.run('CREATE TABLE t (x); INSERT INTO t VALUES (42)');
  const db = new b.Database();
  assert.deepEqual(da.exec('SELECT x FROM t')[0].values, [[42]]);
  assert.deepEqual(db.exec("SELECT count(*) FROM sqlite_master WHERE name = 't'")[0].values, [[0]]);
  da.close();
  db.close();
});

test('a parse worker lets go of its sql.js after reading an OpenCode database, and reads the next one as well', async () => {
  const dir = h.tmpDir();
  const share = join(dir, '.local/share/opencode');
  mkdirSync(share, { recursive: true });
  copyFileSync(join(FIXTURES, 'opencode.db'), join(share, 'opencode.db'));
  copyFileSync(join(FIXTURES, 'opencode.db-wal'), join(share, 'opencode.db-wal'));
  const job: ParseJob = { path: join(share, 'opencode.db'), source: 'opencode', format: 'db', project: '(unknown)', session: '', offset: 0, state: {} };
  const w = new Worker(await h.bundledWorker());
  try {
    const [first] = await parseInWorker(w, [job], 1);
    assert.equal(first.error, undefined);
    assert.equal(first.malformed, 0);
    const records = (first.payload as KeyedPayload).records;
    assert.ok(records.length > 0, 'the database read');
    assert.ok((await largestBuffer(w)) < WASM_MEMORY_MIN, 'no wasm memory held after the read');
    // read again (from the start: no cursor kept here) with sql.js loaded anew: the same records
    const [second] = await parseInWorker(w, [job], 2);
    assert.deepEqual((second.payload as KeyedPayload).records, records);
    assert.ok((await largestBuffer(w)) < WASM_MEMORY_MIN);
  } finally {
    await w.terminate();
    h.cleanup(dir);
  }
});
