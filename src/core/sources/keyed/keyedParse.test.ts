import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ParseJob } from '../../ingest/records';
import { loadSqlJs } from '../../store/sqljs';
import { assistantData, insertSession, OPENCODE_SCHEMA, stepFinish, tokens, upsertMessage, upsertPart } from '../opencode/fixtures/schema';
import { opencodeSource } from '../opencode/index';
import type { KeyedUsage, SourcePlugin } from '../plugin';
import { DatabaseImage } from './databaseImage';
import type { KeyedPayload } from './keyedParse';
import { parseKeyed } from './keyedParse';
import { mergeWal } from './sqliteWal';

const ROOT = 'ses_3a2f91c0affe4Xk2NqP0sRtUvW';
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);
const walDir = join(__dirname, '..', 'opencode', 'fixtures', 'wal');

/** An opencode.db of `n` replies (each with a step-finish part and a long user prompt), as OpenCode writes them. */
async function opencodeDb(n: number): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  insertSession(db, { id: ROOT, directory: '/home/dev/work/shop', title: 'Refactor the cart', time: T0 });
  for (let i = 0; i < n; i++) {
    const id = `msg_c5cc${String(i).padStart(8, '0')}a3bQs6VdR97IUK`;
    const t = T0 + i * 60_000;
    upsertMessage(db, `msg_u5cc${String(i).padStart(8, '0')}a3bQs6VdR97IUK`, ROOT, { role: 'user', time: { created: t }, agent: 'build', text: 'x'.repeat(2000) }, t);
    const tk = tokens(10 + i, 200 + i, 0, 5000, 100, 5310 + 2 * i);
    upsertMessage(db, id, ROOT, assistantData({ created: t + 1000, completed: t + 9000, parentID: 'p', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: '/home/dev/work/shop', cost: 0.01, tokens: tk, finish: 'stop' }), t + 9000);
    upsertPart(db, `prt_c5cc${String(i).padStart(8, '0')}AaaaaaaaaaaaaA`, id, ROOT, stepFinish(tk, 0.01, 'stop'), t + 9000);
  }
  const bytes = db.export();
  db.close();
  return bytes;
}

function job(path: string, state = {}): ParseJob {
  return { path, source: 'opencode', format: 'db', project: '(unknown)', session: '', offset: 0, state };
}

const keysOf = (r: { payload?: unknown }) => ((r.payload as KeyedPayload | undefined)?.records ?? []).map((x: KeyedUsage) => x.key).sort();

test('a database is read from its file as SQLite asks for pages: a lookup reads a little of a large file, and the reads are the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-dbimage-'));
  try {
    const bytes = await opencodeDb(1500);
    const path = join(dir, 'opencode.db');
    writeFileSync(path, bytes);
    assert.ok(bytes.length > 4_000_000, `a database of several MB (${bytes.length})`);

    const image = DatabaseImage.open(path);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(image as unknown as Uint8Array);
    try {
      const one = db.exec("SELECT json_extract(data, '$.tokens.output') FROM message WHERE id = 'msg_c5cc00001234a3bQs6VdR97IUK'");
      assert.deepEqual(one[0].values, [[200 + 1234]]);
      assert.ok(image.bytesRead < bytes.length / 4, `read ${image.bytesRead} of ${bytes.length} bytes for one row`);
      assert.equal(image.length, bytes.length);
      assert.deepEqual(image.subarray(0, bytes.length), bytes, 'the same bytes as the file');
      assert.equal(image.unchanged(), true);
      // a write sql.js would make into the contents stays in memory, over what is read; the file is never written
      image.set([7, 7, 7], 4094);
      assert.deepEqual([...image.subarray(4092, 4100)], [bytes[4092], bytes[4093], 7, 7, 7, bytes[4097], bytes[4098], bytes[4099]]);
      assert.deepEqual(readFileSync(path), Buffer.from(bytes));
    } finally {
      db.close();
      image.close();
    }

    // the whole read through parseKeyed: every reply, the file untouched
    const r = await parseKeyed(opencodeSource, job(path));
    assert.equal(keysOf(r).length, 1500);
    assert.equal(r.malformed, 0);
    assert.equal(r.offset, bytes.length);
    assert.deepEqual(readFileSync(path), Buffer.from(bytes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database in WAL mode is read with the committed pages of its -wal over it: byte for byte what mergeWal builds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-dbimage-'));
  try {
    const path = join(dir, 'opencode.db');
    copyFileSync(join(walDir, 'opencode.db'), path);
    copyFileSync(join(walDir, 'opencode.db-wal'), `${path}-wal`);
    const merged = mergeWal(readFileSync(path), readFileSync(`${path}-wal`));
    const image = DatabaseImage.open(path);
    try {
      assert.equal(image.length, merged.length);
      assert.deepEqual(image.subarray(0, image.length), merged);
      // any range, across page and block boundaries
      assert.deepEqual(image.subarray(4000, 9000), merged.subarray(4000, 9000));
      assert.deepEqual(image.subarray(10, 30), merged.subarray(10, 30));
    } finally {
      image.close();
    }
    const r = await parseKeyed(opencodeSource, job(path));
    assert.deepEqual(keysOf(r), ['msg_c5cc84bbf001a3bQs6VdR97IUK', 'msg_c5cc9a010001Gg7HhJjKkLlMmN', 'msg_c5ce10010001Uu1Vv2Ww3Xx4Yy']);
    assert.deepEqual(readFileSync(`${path}-wal`), readFileSync(join(walDir, 'opencode.db-wal')), 'the -wal is never written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database written by its agent while it is read is skipped and counted, its cursor kept, and read whole at its next change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-dbimage-'));
  try {
    const path = join(dir, 'opencode.db');
    writeFileSync(path, await opencodeDb(20));
    const real = opencodeSource.parsers.db;
    if (real.kind !== 'database') throw new Error('opencode db parser');
    // the agent checkpoints in the middle of our read: the file's mtime moves on
    const writing: SourcePlugin = {
      ...opencodeSource,
      parsers: {
        db: {
          kind: 'database',
          readDatabase: (db, file, cursor) => {
            const out = real.readDatabase(db, file, cursor);
            utimesSync(path, new Date(), new Date(Date.now() + 60_000));
            return out;
          },
        },
      },
    };
    const state = { cursor: null };
    const skipped = await parseKeyed(writing, job(path, state));
    assert.equal(skipped.malformed, 1);
    assert.equal(skipped.payload, undefined);
    assert.equal(skipped.state, state, 'the state (its cursor) unchanged');
    assert.equal(skipped.offset, 0);

    const again = await parseKeyed(opencodeSource, job(path, state));
    assert.equal(keysOf(again).length, 20);
    assert.equal(again.malformed, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database that is not there or not a database: an error or a skipped read, never a throw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'am-dbimage-'));
  try {
    const missing = await parseKeyed(opencodeSource, job(join(dir, 'opencode.db')));
    assert.match(missing.error ?? '', /ENOENT/);
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'not a database at all, just text'.repeat(200));
    const garbage = await parseKeyed(opencodeSource, job(path));
    assert.equal(garbage.malformed, 1);
    assert.equal(garbage.payload, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
