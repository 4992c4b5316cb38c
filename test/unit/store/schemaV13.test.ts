/**
 * Schema 13: dims' texts interned in `strs` (rows hold ids), `files` keyed by (`dirs` id, name). The fixture
 * test/fixtures/index/schema12-mixed.sqlite is a schema-12 index written by the code of d06e52f (the last schema-12
 * commit) from realistic Claude and Codex logs: mixedHistory(13, '2026-04-01T00:00:00Z', 12, { tools: true }) under
 * /tmp/agentmeter-schema12-fixture, indexed at 2026-05-01 (VACUUMed). Its migration must keep every row, and the
 * migrated index must report what a new index of the same logs reports and go on through journaled saves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadCounters, loadFacts, } from '../../../src/core/query/facts';
import { committedDims } from '../../../src/core/query/committedDims';
import { applyChanges, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { DimCache } from '../../../src/core/store/dims';
import { FileKeys, FILES_AS_PATHS, splitPath } from '../../../src/core/store/fileDirs';
import { findSessionLogPath } from '../../../src/core/query/files';
import { loadFileStamps } from '../../../src/core/store/fileStamps';
import { openIndexDatabase } from '../../../src/core/store/persist';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { filesAsPaths } from '../../../src/core/store/fileRows';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { Indexer } from '../../../src/core/ingest/indexer';
import { claudeAssistant, cleanup, indexOnce, rootsFor, tmpDir, totals, write } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { indexReport } from './indexReport';
import { claudeCallRows } from './claudeCallRows';
import { ridKey } from '../../../src/core/store/claudePacks';
import { SCHEMA12_LOGS, lockSchema12Logs } from './schema12Logs';

const FIXTURE = join(__dirname, '../../fixtures/index/schema12-mixed.sqlite');
const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];

/** The fixture opened as the extension and the CLI open an index file (journal, migration, schema parsed). */
async function migrated(dir: string): Promise<Database> {
  const file = join(dir, 'index.sqlite');
  copyFileSync(FIXTURE, file);
  const opened = openIndexDatabase(await loadSqlJs(), file, undefined, { deferCapture: true });
  assert.equal(opened.migratedFrom, 12);
  assert.equal(opened.rebuiltReason, undefined);
  return opened.db;
}

test('migration 13 keeps every row of a schema-12 index written by the old code: dims with their ids and texts, files with their paths and figures, every other table as it was', async () => {
  const SQL = await loadSqlJs();
  const old = new SQL.Database(readFileSync(FIXTURE));
  assert.equal(Number(rows(old, 'PRAGMA user_version')[0][0]), 12);
  const dimsBefore = rows(old, 'SELECT * FROM dims ORDER BY id');
  const filesBefore = rows(old, 'SELECT * FROM files ORDER BY path');
  assert.ok(dimsBefore.length > 40 && filesBefore.length > 20, `${dimsBefore.length} dims, ${filesBefore.length} files`);
  assert.ok(new Set(dimsBefore.map((r) => r[1])).size === 2, 'Claude and Codex');
  const others = dump(old);
  old.close();

  const dir = tmpDir();
  try {
    const db = await migrated(dir);
    assert.equal(Number(rows(db, 'PRAGMA user_version')[0][0]), SCHEMA_VERSION);
    assert.equal(rows(db, 'PRAGMA integrity_check')[0][0], 'ok');
    assert.deepEqual(rows(db, `SELECT * FROM ${DIMS_AS_TEXT} ORDER BY id`), dimsBefore);
    assert.deepEqual(filesAsPaths(db), filesBefore);
    // every other table, row by row
    const after = dump(db);
    for (const t of Object.keys(others)) if (t !== 'dims' && t !== 'files' && t !== 'claude_calls') assert.deepEqual(after[t], others[t], t);
    // claude_calls packed since version 14 (schemaV14.test.ts), the same rows with the requestIds as their keys
    assert.deepEqual(claudeCallRows(db), others.claude_calls.map((c) => [c[0], ridKey(Number(c[1])), ...c.slice(2)]));
    // each text once, each directory once, and the paths split at their last separator
    const strs = rows(db, 'SELECT s FROM strs').map((r) => String(r[0]));
    assert.equal(new Set(strs).size, strs.length);
    assert.ok(strs.includes('claude') && strs.includes('codex') && strs.includes('standard'));
    // (a dirs row holds its parent's id and its last segment since schema 19: each distinct (parent, segment) once)
    const dirs = rows(db, 'SELECT parent, path FROM dirs').map((r) => `${r[0]}/${r[1]}`);
    assert.equal(new Set(dirs).size, dirs.length);
    const fileKeys = new FileKeys(db);
    for (const [dir, name] of rows(db, 'SELECT dir, name FROM files')) {
      const dirPath = fileKeys.pathOf(Number(dir), '');
      assert.deepEqual(splitPath(`${dirPath}${name}`), [dirPath, name]);
    }
    fileKeys.free();
    assert.equal(rows(db, "SELECT count(*) FROM sqlite_temp_master WHERE name IN ('s12', 'd12', 'f12', 'p12')")[0][0], 0, 'the TEMP copies are gone');
    // the readers: every dims row as before, the stored stamps by whole path
    const byId = committedDims(db);
    for (const [id, source, model, project, session, branch, tier] of dimsBefore) {
      assert.deepEqual(byId.get(Number(id)), { source, model, project, session, branch, tier });
    }
    const stamps = loadFileStamps(db);
    assert.deepEqual([...stamps.byPath.keys()].sort(), filesBefore.map((r) => String(r[0])).sort());
    // the writer finds each tuple again (no new row) and adds a new one after the largest id
    const cache = new DimCache(db);
    try {
      for (const [id, source, model, project, session, branch, tier] of dimsBefore) {
        assert.equal(cache.idOf({ source, model, project, session, branch, tier } as never), Number(id));
      }
      const maxId = Math.max(...dimsBefore.map((r) => Number(r[0])));
      assert.equal(cache.idOf({ source: 'claude', model: 'claude-opus-4-6', project: 'new-project', session: 'new-session', branch: '', tier: 'standard' }), maxId + 1);
    } finally {
      cache.free();
    }
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('a migrated schema-12 index reports what a new index of the same logs reports, and goes on the same after new lines', async () => {
  const dir = tmpDir();
  const release = await lockSchema12Logs();
  try {
    // the fixture's logs, where it read them (its files rows name them), and a new index of them
    const logs = SCHEMA12_LOGS;
    writeHistory(logs, mixedHistory(13, '2026-04-01T00:00:00Z', 12, { tools: true }));
    const roots = rootsFor({ claude: join(logs, 'claude'), codex: join(logs, 'codex') });
    const db = await migrated(dir);
    const { db: fresh } = await indexOnce(roots, undefined, NOW);
    const report = indexReport;
    assert.deepEqual(report(db), report(fresh));
    assert.deepEqual(loadCounters(db), loadCounters(fresh));
    // nothing new (the files written again here have new inodes: looked at again, their lines counted once), except
    // that Codex is read again once: its parser version (2) is newer than the fixture index's
    const ix = new Indexer({ db, roots, now: () => NOW });
    const again = await ix.refresh();
    assert.equal(again.records, totals(fresh, { source: 'codex' }).requests);
    assert.deepEqual(report(db), report(fresh));
    assert.equal((await ix.refresh()).records, 0);
    // new lines in a known session and a new project: both indexes count them alike
    write(join(logs, 'claude/projects/-home-u-later/sess-later.jsonl'),
      claudeAssistant({ id: 'msg_later_1', ts: '2026-04-20T10:00:00.000Z', usage: { input: 12, output: 34 }, session: 'sess-later', cwd: '/home/u/later' }));
    await ix.refresh();
    await indexOnce(roots, fresh, NOW);
    assert.deepEqual(report(db), report(fresh));
    await ix.dispose();
    db.close();
    fresh.close();
  } finally {
    cleanup(dir);
    release();
  }
});

test('a migrated index goes through the journal: the changes captured from a refresh (new texts, dims, directories, files), replayed on the index as saved, give the same index', async () => {
  const dir = tmpDir();
  const logs = tmpDir();
  try {
    const db = await migrated(dir);
    const copy = new (await loadSqlJs()).Database(db.export()); // the index as saved
    startCapture(db);
    // logs of the same shape in another folder: new directories and files; the same sessions' tuples found, new texts
    writeHistory(logs, mixedHistory(13, '2026-04-01T00:00:00Z', 3, { tools: true }));
    write(join(logs, 'claude/projects/-home-u-üñï/sess-new.jsonl'),
      claudeAssistant({ id: 'msg_new_1', ts: '2026-04-21T10:00:00.000Z', usage: { input: 5, output: 6 }, session: 'sess-new', cwd: '/home/u/üñï', model: 'claude-haiku-4-5', branch: 'feature/ü' }));
    const ix = new Indexer({ db, roots: rootsFor({ claude: join(logs, 'claude'), codex: join(logs, 'codex') }), now: () => NOW });
    await ix.refresh();
    await ix.dispose();
    const changes = takeChanges(db);
    for (const t of ['strs', 'dims', 'dirs', 'files']) assert.ok(changes.some(([c]) => c === t), `changes of ${t}`);
    applyChanges(copy, changes);
    assert.deepEqual(dump(copy), dump(db));
    assert.deepEqual(loadFacts(copy), loadFacts(db));
    copy.close();
    db.close();
  } finally {
    cleanup(dir);
    cleanup(logs);
  }
});

test("files keyed by (directory, name): a session's log found by its whole path (POSIX and Windows separators), a present file before a missing one", async () => {
  const dir = tmpDir();
  try {
    const db = await migrated(dir);
    const [[path, session]] = rows(db, `SELECT f.path, d.session FROM ${FILES_AS_PATHS} f JOIN ${DIMS_AS_TEXT} d ON f.path LIKE '%/' || d.session || '.jsonl' WHERE f.source = 'claude' LIMIT 1`);
    assert.equal(findSessionLogPath(db, 'claude', String(session)), path);
    // files of another machine's layout, written as the ingest writes them
    const keys = new FileKeys(db);
    const put = db.prepare("INSERT INTO files (dir, name, source_id, dev, ino, size, mtime_ms, offset, missing) VALUES (?, ?, (SELECT id FROM strs WHERE s = 'codex'), 1, 2, 3, 4.5, 3, ?)");
    const win = 'C:\\Users\\u\\.codex\\sessions\\2026\\04\\rollout-w1.jsonl';
    const gone = '/home/u/.codex/sessions/2026/04/rollout-w1.jsonl';
    put.run([...keys.keyOf(gone), 1]);
    put.run([...keys.keyOf(win), 0]);
    put.free();
    keys.free();
    assert.deepEqual(splitPath(win), ['C:\\Users\\u\\.codex\\sessions\\2026\\04\\', 'rollout-w1.jsonl']);
    assert.equal(findSessionLogPath(db, 'codex', 'rollout-w1'), win, 'the present file');
    assert.deepEqual(rows(db, `SELECT path, mtime_ms FROM ${FILES_AS_PATHS} WHERE path IN (?, ?) ORDER BY path`.replace('?, ?', `'${gone}', '${win.replaceAll("'", "''")}'`)), [[gone, 4.5], [win, 4.5]]);
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    db.close();
  } finally {
    cleanup(dir);
  }
});
