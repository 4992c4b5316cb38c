import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { IndexFileReadError, isCorruptDatabaseError, moveIndexAside, openIndexDatabase, saveIndexDatabase, sqliteHeaderProblem } from '../../../src/core/store/persist';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import { nullLogger } from '../../../src/core/types';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { loadCounters } from '../../../src/core/query/facts';
import * as h from '../ingest/helpers';

const base = join(__dirname, '../../fixtures/basic');
const roots = h.rootsFor({ claude: join(base, 'claude'), codex: join(base, 'codex') });
const userVersion = (db: { exec(s: string): { values: unknown[][] }[] }) => Number(db.exec('PRAGMA user_version')[0].values[0][0]);

test('persist and reload: same facts, counters and file offsets; the next refresh reads nothing', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'sub/index.db');
  const { db } = await h.indexOnce(roots);
  saveIndexDatabase(db, file);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['index.db']); // temp file renamed away
  const opened = openIndexDatabase(SQL, file);
  assert.equal(opened.rebuiltReason, undefined);
  assert.deepEqual(h.totals(opened.db), h.totals(db));
  assert.deepEqual(loadCounters(opened.db), loadCounters(db));
  const r = await new Indexer({ db: opened.db, roots }).refresh();
  assert.deepEqual([r.filesChanged, r.bytesRead], [0, 0]);
  h.cleanup(dir);
});

test('a whole save of a database more than a tenth free pages compacts it (VACUUM) and leaves the journal mode as it was; the data are the same', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const file = join(dir, 'index.db');
    const { db } = await h.indexOnce(roots);
    saveIndexDatabase(db, file); // first save
    const pragma = (d: typeof db, p: string) => d.exec(`PRAGMA ${p}`)[0]!.values[0]![0];
    // pages freed by a mass delete (as after a migration that rebuilt tables)
    db.run('CREATE TABLE bulk (k INTEGER PRIMARY KEY, v TEXT)');
    db.run("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO bulk SELECT i, printf('%0500d', i) FROM n");
    db.run('DROP TABLE bulk');
    assert.ok(Number(pragma(db, 'freelist_count')) * 10 > Number(pragma(db, 'page_count')), 'sparse');
    const modeBefore = pragma(db, 'journal_mode');
    const other = join(dir, 'other.db'); // another file: a whole save
    const r = saveIndexDatabase(db, other);
    assert.equal(r.whole, true);
    assert.equal(pragma(db, 'freelist_count'), 0, 'compacted');
    assert.equal(pragma(db, 'journal_mode'), modeBefore);
    const reopened = openIndexDatabase(SQL, other).db;
    assert.equal(pragma(reopened, 'freelist_count'), 0);
    assert.deepEqual(h.totals(reopened), h.totals(db));
  } finally {
    h.cleanup(dir);
  }
});

test('the first save of a database built in memory runs no VACUUM (the peak of a first index): a table it does not rewrite keeps its pages; the data are the same', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const { db } = await h.indexOnce(roots);
    const pragma = (d: typeof db, p: string) => Number(d.exec(`PRAGMA ${p}`)[0]!.values[0]![0]);
    // B-tree pages filled in random key order: a VACUUM would pack them (packing.ts rewrites only its own list)
    const before = pragma(db, 'page_count');
    db.run('CREATE TABLE loose (k INTEGER PRIMARY KEY, v TEXT)');
    const keys = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3001);
    for (const k of keys) db.run('INSERT INTO loose VALUES (?, ?)', [k, 'x'.repeat(200)]);
    const loosePages = pragma(db, 'page_count') - before;
    const file = join(dir, 'index.db');
    const r = saveIndexDatabase(db, file);
    assert.equal(r.whole, true);
    const reopened = openIndexDatabase(SQL, file).db;
    assert.equal(readFileSync(file).length, pragma(reopened, 'page_count') * pragma(db, 'page_size'));
    assert.deepEqual(h.totals(reopened), h.totals(db));
    assert.equal(Number(reopened.exec('SELECT count(*) FROM loose')[0]!.values[0]![0]), 3000);
    // packed, the same rows take fewer pages: what the first save does not do
    const pages = pragma(reopened, 'page_count');
    reopened.run('VACUUM');
    assert.ok(pragma(reopened, 'page_count') < pages, `${pages} -> ${pragma(reopened, 'page_count')} pages (loose took ${loosePages})`);
  } finally {
    h.cleanup(dir);
  }
});

test('migration: a missing file and an empty (v0) database are brought to the current schema', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  assert.equal(userVersion(openIndexDatabase(SQL, undefined).db), SCHEMA_VERSION);
  assert.equal(userVersion(openIndexDatabase(SQL, join(dir, 'absent.db')).db), SCHEMA_VERSION);
  const empty = new SQL.Database();
  empty.run('CREATE TABLE unrelated (x)');
  writeFileSync(join(dir, 'v0.db'), empty.export());
  const opened = openIndexDatabase(SQL, join(dir, 'v0.db'));
  assert.equal(opened.rebuiltReason, undefined);
  assert.equal(userVersion(opened.db), SCHEMA_VERSION);
  await new Indexer({ db: opened.db, roots }).refresh();
  assert.equal(h.totals(opened.db, { source: 'claude' }).requests, 7);
  h.cleanup(dir);
});

test('a corrupt database is moved aside and a fresh one is started, with a clear message', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4000, 0x5a)]));
  const warnings: string[] = [];
  const opened = openIndexDatabase(SQL, file, { info() {}, debug() {}, error() {}, warn: (m) => warnings.push(m) });
  assert.match(opened.rebuiltReason ?? '', /unreadable.*moved aside.*\.corrupt-\d+.*rebuilding/);
  assert.equal(warnings.length, 1);
  assert.equal(existsSync(file), false);
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('index.db.corrupt-')).length, 1);
  assert.equal(userVersion(opened.db), SCHEMA_VERSION);
  // garbage that is not SQLite at all
  writeFileSync(file, 'not a database');
  assert.match(openIndexDatabase(SQL, file).rebuiltReason ?? '', /corrupt/);
  h.cleanup(dir);
});

test('a database from a newer schema is moved aside as .newer-<version>', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  const newer = new SQL.Database();
  newer.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  writeFileSync(file, newer.export());
  const opened = openIndexDatabase(SQL, file);
  assert.match(opened.rebuiltReason ?? '', /newer/);
  assert.equal(existsSync(`${file}.newer-${SCHEMA_VERSION + 1}`), true);
  assert.equal(userVersion(opened.db), SCHEMA_VERSION);
  h.cleanup(dir);
});

test('an index file that cannot be read is not corruption: it is left as it is and no fresh index replaces it', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  mkdirSync(file); // reading fails (EISDIR), as it would for a file held by another program or without permission
  assert.throws(() => openIndexDatabase(SQL, file), (e: unknown) => {
    assert.ok(e instanceof IndexFileReadError);
    assert.equal(e.code, 'EISDIR');
    assert.match(e.message, /cannot read the usage index .*index\.db .*left as it is/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), ['index.db'], 'nothing moved aside, nothing created');
  h.cleanup(dir);
});

test('the writer tries an unreadable index file again, and opens it once it can be read; it gives up with the error', async () => {
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  const { db } = await h.indexOnce(roots);
  const expected = h.totals(db);
  const warnings: string[] = [];
  const engine = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: { ...nullLogger, warn: (m) => warnings.push(m) } });
  try {
    mkdirSync(file); // held for a moment
    setTimeout(() => {
      rmSync(file, { recursive: true });
      saveIndexDatabase(db, file);
    }, 250);
    const { notes } = await engine.openWritable(file);
    assert.deepEqual(notes, [], 'opened as it is, not rebuilt');
    assert.ok(warnings.some((w) => /cannot read the usage index.*trying again in \d+ ms/.test(w)), warnings.join(' | '));
    assert.deepEqual(h.totals((engine as unknown as { db: typeof db }).db), expected, 'the saved history is there');

    const other = join(dir, 'other.db');
    mkdirSync(other); // never readable
    await assert.rejects(engine.openWritable(other), /cannot read the usage index .*other\.db/);
    assert.ok(existsSync(other) && readdirSync(dir).every((n) => !n.includes('corrupt')), 'left as it is');
  } finally {
    await engine.close();
    h.cleanup(dir);
  }
});

const warnTo = (warnings: string[]) => ({ info() {}, debug() {}, error() {}, warn: (m: string) => warnings.push(m) });

test('a saved index passes the header check; truncated copies and garbage bytes are moved aside and rebuilt', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const { db } = await h.indexOnce(roots);
  const good = join(dir, 'good.db');
  saveIndexDatabase(db, good);
  const bytes = readFileSync(good);
  assert.equal(sqliteHeaderProblem(bytes), undefined);
  const pageSize = bytes.readUInt16BE(16);
  assert.ok(bytes.length >= 3 * pageSize, 'the index has several pages');
  const cases: [string, Buffer, RegExp][] = [
    ['half.db', bytes.subarray(0, 2 * pageSize), /truncated .*the header says \d+ pages/],
    ['torn.db', bytes.subarray(0, 2 * pageSize + 1000), /truncated/],
    ['header-only.db', bytes.subarray(0, 100), /too short/],
    ['empty.db', Buffer.alloc(0), /too short/],
    ['random.db', Buffer.from(Array.from({ length: 3 * pageSize }, (_, i) => (i * 7919 + 13) & 0xff)), /not a database/],
  ];
  for (const [name, content, why] of cases) {
    const file = join(dir, name);
    writeFileSync(file, content);
    const warnings: string[] = [];
    const opened = openIndexDatabase(SQL, file, warnTo(warnings));
    assert.match(opened.rebuiltReason ?? '', why, name);
    assert.match(opened.rebuiltReason ?? '', /moved aside to .*\.corrupt-\d+; rebuilding/, name);
    assert.equal(warnings.length, 1, name);
    assert.equal(existsSync(file), false, name);
    assert.equal(userVersion(opened.db), SCHEMA_VERSION, name);
    await new Indexer({ db: opened.db, roots }).refresh();
    assert.deepEqual(h.totals(opened.db), h.totals(db), `${name}: rebuilt from the logs`);
  }
  assert.equal(readdirSync(dir).filter((n) => n.includes('.corrupt-')).length, cases.length, 'every damaged copy kept aside');
  h.cleanup(dir);
});

test('without the integrity scan, damage past the first page opens and is reported as corruption on first use (the CLI then moves the file aside)', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  const { db } = await h.indexOnce(roots);
  saveIndexDatabase(db, file);
  const bad = readFileSync(file);
  const pageSize = bad.readUInt16BE(16);
  for (let i = pageSize; i < bad.length; i++) bad[i] = (i * 7919) & 0xff;
  writeFileSync(file, bad);
  const opened = openIndexDatabase(SQL, file, nullLogger);
  assert.equal(opened.rebuiltReason, undefined, 'no whole-file scan on open');
  await assert.rejects(new Indexer({ db: opened.db, roots }).refresh(), (e: unknown) => isCorruptDatabaseError(e));
  assert.equal(isCorruptDatabaseError(new Error('no such table: facts')), false);
  const reason = moveIndexAside(file, 'database is unreadable (database disk image is malformed)');
  assert.match(reason, /malformed\); moved aside to .*index\.db\.corrupt-\d+; rebuilding/);
  assert.equal(existsSync(file), false);
  // with the scan (asked for by a caller without this first-use path) the damage is found on open
  writeFileSync(file, bad);
  assert.match(openIndexDatabase(SQL, file, nullLogger, { integrityScan: true }).rebuiltReason ?? '', /unreadable.*moved aside/);
  h.cleanup(dir);
});

test('a run that does not own the file (moveAside: false) leaves a damaged or newer file where it is and starts empty', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  const file = join(dir, 'index.db');
  writeFileSync(file, 'not a database');
  const warnings: string[] = [];
  const opened = openIndexDatabase(SQL, file, warnTo(warnings), { moveAside: false });
  assert.match(opened.rebuiltReason ?? '', /unreadable.*left as it is; this run starts from an empty index/);
  assert.equal(warnings.length, 1);
  assert.deepEqual(readdirSync(dir), ['index.db']);
  assert.equal(h.totals(opened.db).requests, 0);
  h.cleanup(dir);
});
