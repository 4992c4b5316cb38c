/**
 * Schema 19: a dirs row holds its parent directory's id and its last segment (store/fileDirs.ts, store/strs.ts), not
 * the whole path. An index of every source's logs is taken back to schema 18 (whole paths), migrated, and must find
 * every file by the same path, report the same, go on like a new index (a new directory) and through the journal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters } from '../../../src/core/query/facts';
import { findSessionLogPath } from '../../../src/core/query/files';
import { applyChanges, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { FileKeys, FILES_AS_PATHS } from '../../../src/core/store/fileDirs';
import { loadFileStamps } from '../../../src/core/store/fileStamps';
import { migrate, SCHEMA_VERSION, schemaVersionOf } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { parentDir } from '../../../src/core/store/strs';
import { cleanup, indexOnce, tmpDir } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { fixtureHome } from '../sources/fixtureHome';
import { writeHistory } from './claudeHistory';
import { dump } from './dbDump';
import { asSchema18 } from './dimRows';
import { indexReport } from './indexReport';

const NOW = Date.parse('2026-05-01T00:00:00Z');
const rows = (db: Database, sql: string) => db.exec(sql)[0]?.values ?? [];
const report = (d: Database) => ({ ...indexReport(d), counters: loadCounters(d) });
const paths = (db: Database) => rows(db, `SELECT path FROM ${FILES_AS_PATHS} ORDER BY path`).map((r) => String(r[0]));
const stamps = (db: Database) => [...loadFileStamps(db).byPath.keys()].sort();

test('a directory\'s parent: POSIX, Windows and UNC paths up to their root', () => {
  assert.equal(parentDir('/home/u/.copilot/session-state/abc/'), '/home/u/.copilot/session-state/');
  assert.equal(parentDir('/home/'), '/');
  assert.equal(parentDir('/'), undefined);
  assert.equal(parentDir(''), undefined);
  assert.equal(parentDir('C:\\Users\\u\\.codex\\sessions\\'), 'C:\\Users\\u\\.codex\\');
  assert.equal(parentDir('C:\\'), undefined);
  assert.equal(parentDir('\\\\server\\share\\logs\\'), '\\\\server\\share\\');
  assert.equal(parentDir('rel/dir/'), 'rel/');
  assert.equal(parentDir('rel/'), undefined);
});

test('directories as parent and segment: written and read back whole, each once, POSIX and Windows, in and out of a transaction', async () => {
  const db = new (await loadSqlJs()).Database();
  migrate(db);
  const dirs = ['/home/u/.gemini/tmp/p1/chats/', '/home/u/.gemini/tmp/p2/chats/', '/home/u/.copilot/session-state/s1/', 'C:\\Users\\u\\.codex\\sessions\\2026\\04\\', '', 'rel/x/', '/'];
  db.run('BEGIN');
  const keys = new FileKeys(db);
  const ids = dirs.map((d) => keys.keyOf(`${d}f.jsonl`)[0]);
  for (const [i, d] of dirs.entries()) assert.equal(keys.pathOf(ids[i], 'f.jsonl'), `${d}f.jsonl`, 'read back inside the transaction');
  keys.free();
  db.run('COMMIT');
  const again = new FileKeys(db);
  for (const [i, d] of dirs.entries()) {
    assert.equal(again.pathOf(ids[i], 'n'), `${d}n`, 'read back after it');
    assert.deepEqual(again.find(`${d}other.json`), [ids[i], 'other.json']);
  }
  again.free();
  const all = rows(db, 'SELECT parent, path FROM dirs').map((r) => `${r[0]}|${r[1]}`);
  assert.equal(new Set(all).size, all.length, 'each (parent, segment) once');
  assert.deepEqual(rows(db, "SELECT path FROM dirs WHERE parent IS NULL ORDER BY path").map((r) => r[0]), ['', '/', 'C:\\', 'rel/']);
  assert.ok(rows(db, "SELECT max(length(path)) FROM dirs WHERE parent IS NOT NULL")[0][0] as number <= 'session-state/'.length);
  db.close();
});

test('migration 19 nests the directories: every file by the same path, the same report; the migrated index goes on like a new one and through the journal', async () => {
  const logs = tmpDir();
  const home = fixtureHome();
  try {
    writeHistory(logs, mixedHistory(19, '2026-04-01T00:00:00Z', 20, { tools: true }));
    const roots = discoverRoots({ env: {}, home, dirs: { claude: [join(logs, 'claude')], codex: [join(logs, 'codex')] } });
    const { db } = await indexOnce(roots, undefined, NOW);
    const before = dump(db);
    const rep = report(db);
    const files = paths(db);
    assert.ok(files.length > 40);
    asSchema18(db);
    assert.equal(schemaVersionOf(db), 18);
    assert.deepEqual(dump(db), before, 'schema 18 holds the same rows');
    assert.equal(rows(db, "SELECT count(*) FROM pragma_table_info('dirs') WHERE name = 'parent'")[0][0], 0);
    migrate(db);
    assert.equal(schemaVersionOf(db), SCHEMA_VERSION);
    assert.deepEqual(dump(db), before);
    assert.deepEqual(report(db), rep);
    assert.deepEqual(paths(db), files);
    assert.deepEqual(stamps(db), files, 'the stored stamps by whole path');
    assert.equal(db.export()[100], 13, 'the migrated schema still on the first page (a leaf page)');
    const copilot = files.find((p) => p.includes('/session-state/'))!;
    const session = copilot.split('/').at(-2)!;
    assert.equal(findSessionLogPath(db, 'copilot-cli', session), copilot);
    assert.equal(findSessionLogPath(db, 'copilot-cli', session.toUpperCase()), copilot, 'ASCII letters in either case, as LIKE');
    // a new session's directory, captured for the journal
    const saved = new (await loadSqlJs()).Database(db.export());
    startCapture(db);
    cpSync(join(copilot, '..'), join(copilot, '../../0f0f0f0f-aaaa-4bbb-8ccc-123456789abc'), { recursive: true });
    const ix = new Indexer({ db, roots, now: () => NOW });
    await ix.refresh();
    await ix.dispose();
    const { db: fresh } = await indexOnce(roots, undefined, NOW);
    assert.deepEqual(paths(db), paths(fresh));
    assert.deepEqual(stamps(db), stamps(fresh));
    assert.deepEqual(report(db).facts, report(fresh).facts);
    applyChanges(saved, takeChanges(db));
    assert.deepEqual(dump(saved), dump(db));
    assert.deepEqual(paths(saved), paths(db));
    saved.close();
    fresh.close();
    db.close();
  } finally {
    cleanup(logs);
    cleanup(home);
  }
});
