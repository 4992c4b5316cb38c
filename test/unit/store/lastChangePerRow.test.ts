import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { applyChanges, type Change, startCapture, takeChanges } from '../../../src/core/store/changeCapture';
import { jsonArrayItems, lastChangePerRow } from '../../../src/core/store/lastChangePerRow';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import * as h from '../ingest/helpers';
import { dump } from './dbDump';

test('jsonArrayItems: the top-level items as SQLite wrote them — strings with commas, quotes and brackets, integers past 2^53 kept as text', () => {
  assert.deepEqual(jsonArrayItems('[1,"a,b",null,"x\\"],y",2.5,-3]'), ['1', '"a,b"', 'null', '"x\\"],y"', '2.5', '-3']);
  assert.deepEqual(jsonArrayItems('[9007199254740993,9007199254740992]'), ['9007199254740993', '9007199254740992']);
  assert.deepEqual(jsonArrayItems('["",""]'), ['""', '""']);
  assert.deepEqual(jsonArrayItems('[]'), []);
  assert.deepEqual(jsonArrayItems('{"a":1}'), []);
  assert.deepEqual(jsonArrayItems('[7,"k,]",3,4]', 2), ['7', '"k,]"'], 'the first two only');
});

/** Replays `records` on a copy of `base` one change after another, and as their last change per row: both dumps. */
async function bothWays(base: Uint8Array, records: Change[][]): Promise<{ all: ReturnType<typeof dump>; last: ReturnType<typeof dump>; kept: number; total: number }> {
  const SQL = await loadSqlJs();
  const a = new SQL.Database(base);
  const b = new SQL.Database(base);
  try {
    for (const r of records) applyChanges(a, r);
    const kept = lastChangePerRow(b, records);
    applyChanges(b, kept);
    return { all: dump(a), last: dump(b), kept: kept.length, total: records.reduce((n, r) => n + r.length, 0) };
  } finally {
    a.close();
    b.close();
  }
}

test('the last change per row gives the same tables as every change in order: rows written again, deleted, re-inserted, keys past 2^53, and a table whose other UNIQUE constraint makes a REPLACE delete a row of another key', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(`
    CREATE TABLE t (a INTEGER, b TEXT, v INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;
    CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT);
    CREATE TABLE u (id INTEGER PRIMARY KEY, k TEXT UNIQUE);
    INSERT INTO t VALUES (1, 'x', 0), (2, 'y', 0);
    INSERT INTO u VALUES (1, 'one'), (2, 'two');`);
  const base = db.export();
  startCapture(db);
  const records: Change[][] = [];
  const save = (sql: string) => {
    db.exec(sql);
    records.push(takeChanges(db));
  };
  save("UPDATE t SET v = v + 1 WHERE a = 1; INSERT INTO r VALUES (9007199254740993, 'big'), (9007199254740992, 'big-1');");
  save("UPDATE t SET v = v + 1 WHERE a = 1; DELETE FROM t WHERE a = 2; INSERT INTO r VALUES (5, 'five');");
  save("INSERT INTO t VALUES (2, 'y', 7); UPDATE r SET v = 'BIG' WHERE id = 9007199254740993; DELETE FROM r WHERE id = 5;");
  // u: the REPLACE of id 3 deletes id 1 (same k), which no captured change records; a later change of id 3 must not
  // make the first one vanish
  save("INSERT OR REPLACE INTO u VALUES (3, 'one');");
  save("UPDATE u SET k = 'three' WHERE id = 3; UPDATE t SET v = v + 1 WHERE a = 1; UPDATE t SET a = 4 WHERE a = 2;");
  db.close();

  const r = await bothWays(base, records);
  assert.deepEqual(r.last, r.all);
  assert.deepEqual(r.all.u, [[2, 'two'], [3, 'three']], 'id 1 went with the REPLACE');
  assert.deepEqual(r.all.r.map((row) => row[1]).sort(), ['BIG', 'big-1'], 'both big keys kept apart (as JS numbers they are one)');
  assert.deepEqual(r.all.t, [[1, 'x', 3], [4, 'y', 7]]);
  assert.ok(r.kept < r.total, `${r.kept} of ${r.total} changes kept`);
});

test("an index's saves of a day of calls: the last change per row replays to the same index with a fraction of the changes, and a journal of them reopens to it", async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const file = join(dir, 'logs/claude/projects/-home-u-proj/0b9f5c8e-1111-4222-8333-944445555666.jsonl');
    h.write(file, h.claudeUser('2026-03-12T08:59:00.000Z'));
    const roots = h.rootsFor({ claude: join(dir, 'logs/claude') });
    const index = join(dir, 'index.sqlite');
    const { db } = await h.indexOnce(roots);
    saveIndexDatabase(db, index);
    const owner = openIndexDatabase(SQL, index).db;
    const base = owner.export();
    startCapture(owner);
    const records: Change[][] = [];
    const ix = new Indexer({ db: owner, roots });
    try {
      for (let n = 0; n < 40; n++) {
        // a call every 90 s from 09:00: 15-minute buckets, hours and the session's totals written again and again
        const ts = new Date(Date.parse('2026-03-12T09:00:00.000Z') + n * 90_000).toISOString();
        h.append(file, h.claudeAssistant({ id: `msg_day_${n}`, ts, usage: { input: 3, output: 1, cw5m: 40, cacheRead: 1000 + n } }));
        h.append(file, h.claudeAssistant({ id: `msg_day_${n}`, ts, usage: { input: 3, output: 200 + n, cw5m: 40, cacheRead: 1000 + n } }));
        await ix.refresh();
        records.push(takeChanges(owner));
      }
    } finally {
      await ix.dispose();
    }
    const r = await bothWays(base, records);
    assert.deepEqual(r.last, r.all);
    assert.deepEqual(r.all, dump(owner), 'both equal the index that wrote them');
    assert.ok(r.kept * 2 < r.total, `${r.kept} of ${r.total} changes kept`);
    db.close();
    owner.close();

    // the same calls saved one by one into the journal: reopening replays them (as their last change per row)
    const { db: writer } = await h.indexOnce(roots);
    saveIndexDatabase(writer, index);
    const again = openIndexDatabase(SQL, index).db;
    h.append(file, h.claudeAssistant({ id: 'msg_day_40', ts: '2026-03-12T10:01:00.000Z', usage: { input: 5, output: 9, cacheRead: 10 } }));
    const ix2 = new Indexer({ db: again, roots });
    try {
      for (let n = 41; n < 45; n++) {
        h.append(file, h.claudeAssistant({ id: `msg_day_${n}`, ts: `2026-03-12T10:0${n - 40}:30.000Z`, usage: { input: 5, output: n, cacheRead: 10 } }));
        await ix2.refresh();
        assert.equal(saveIndexDatabase(again, index).whole, false, 'a journal record');
      }
    } finally {
      await ix2.dispose();
    }
    const reopened = openIndexDatabase(SQL, index).db;
    assert.deepEqual(dump(reopened), dump(again));
    assert.deepEqual(reopened.exec('PRAGMA journal_mode; PRAGMA cache_size').map((r) => r.values[0][0]), ['delete', -2000], "the replay's page settings put back");
    writer.close();
    again.close();
    reopened.close();
  } finally {
    h.cleanup(dir);
  }
});
