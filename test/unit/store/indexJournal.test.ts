import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { followJournal, journalReadUpTo, moveIndexAside, openIndexDatabase, readIndexCopy, saveIndexDatabase } from '../../../src/core/store/persist';
import { appendJournal, journalPathOf, readJournal } from '../../../src/core/store/indexJournal';
import { startCapture } from '../../../src/core/store/changeCapture';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { MIGRATIONS } from '../../../src/core/store/schema';
import { loadFacts } from '../../../src/core/query/facts';
import * as h from '../ingest/helpers';
import { dump } from './dbDump';

/** One new API call in Claude Code's format: a streaming copy, then the final line. */
function appendCall(file: string, n: number): void {
  const ts = `2026-03-12T0${n % 10}:15:00.000Z`;
  h.append(file, h.claudeAssistant({ id: `msg_journal_${n}`, ts, usage: { input: 3, output: 1, cw5m: 40, cacheRead: 1000 + n } }));
  h.append(file, h.claudeAssistant({ id: `msg_journal_${n}`, ts, usage: { input: 3, output: 200 + n, cw5m: 40, cacheRead: 1000 + n } }));
}

async function refresh(db: Database, roots: ReturnType<typeof h.rootsFor>) {
  const indexer = new Indexer({ db, roots });
  try {
    return await indexer.refresh();
  } finally {
    await indexer.dispose();
  }
}

/** A copy of the fixtures' logs indexed and saved whole to `<dir>/index.sqlite`; `open()` is its owner's next session. */
async function savedIndex(dir: string) {
  const SQL = await loadSqlJs();
  const logs = h.basicLogsCopy(dir);
  const file = join(dir, 'index.sqlite');
  const { db } = await h.indexOnce(logs.roots);
  saveIndexDatabase(db, file);
  return { ...logs, file, open: () => openIndexDatabase(SQL, file).db };
}

/** One new call in the logs, read by `db` and saved to `file`: what that save wrote. */
async function saveNewCall(db: Database, ix: { roots: ReturnType<typeof h.rootsFor>; claudeFile: string; file: string }, n: number) {
  appendCall(ix.claudeFile, n);
  await refresh(db, ix.roots);
  return saveIndexDatabase(db, ix.file);
}

test('after the first save (whole file), a save of one new call appends a small journal record; the file plus its journal reopen to the same index', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const { roots, claudeFile } = h.basicLogsCopy(dir);
    const file = join(dir, 'index.sqlite');
    const { db } = await h.indexOnce(roots);
    const first = saveIndexDatabase(db, file);
    assert.equal(first.whole, true);
    assert.equal(first.bytes, statSync(file).size);
    assert.equal(existsSync(journalPathOf(file)), false);

    // the owner's next session: open, ingest one call, save
    const opened = openIndexDatabase(SQL, file);
    const fileBytes = readFileSync(file);
    appendCall(claudeFile, 1);
    assert.equal((await refresh(opened.db, roots)).changed, true);
    const second = saveIndexDatabase(opened.db, file);
    assert.equal(second.whole, false, 'appended to the journal');
    assert.ok(second.bytes > 0 && second.bytes < 8_000, `one call's changes: ${second.bytes} bytes`);
    assert.deepEqual(readFileSync(file), fileBytes, 'the index file itself is not written');
    assert.equal(statSync(journalPathOf(file)).size, second.bytes);
    assert.deepEqual(saveIndexDatabase(opened.db, file), { bytes: 0, whole: false }, 'nothing changed, nothing written');

    appendCall(claudeFile, 2);
    await refresh(opened.db, roots);
    const third = saveIndexDatabase(opened.db, file);
    assert.equal(third.whole, false);
    assert.equal(statSync(journalPathOf(file)).size, second.bytes + third.bytes);

    // the owner reopening, a reader's copy and a fresh index of the same logs all agree, row for row
    const reopened = openIndexDatabase(SQL, file).db;
    assert.deepEqual(dump(reopened), dump(opened.db));
    const copy = readIndexCopy(SQL, readFileSync(file), readFileSync(journalPathOf(file)));
    assert.deepEqual(dump(copy), dump(opened.db));
    const fresh = (await h.indexOnce(roots)).db;
    assert.deepEqual(h.totals(reopened), h.totals(fresh));
    assert.deepEqual((await refresh(reopened, roots)).bytesRead, 0, 'the journal carried the read offsets: nothing is read again');
  } finally {
    h.cleanup(dir);
  }
});

test('the idle fold (wholeIfJournalFrom): a journal below the threshold stays; from it on, the next save writes the whole file even with nothing new, and the file alone reopens to the same index', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { file } = ix;
    const owner = ix.open();
    const a = await saveNewCall(owner, ix, 1);
    const b = await saveNewCall(owner, ix, 2);
    const journalBytes = a.bytes + b.bytes;
    assert.equal(statSync(journalPathOf(file)).size, journalBytes);
    const fileBytes = readFileSync(file);
    assert.deepEqual(saveIndexDatabase(owner, file, { wholeIfJournalFrom: journalBytes + 1 }), { bytes: 0, whole: false }, 'below the threshold: nothing written');
    assert.deepEqual(readFileSync(file), fileBytes);
    const folded = saveIndexDatabase(owner, file, { wholeIfJournalFrom: journalBytes });
    assert.equal(folded.whole, true, 'from the threshold on: the whole file');
    assert.equal(folded.bytes, statSync(file).size);
    assert.equal(existsSync(journalPathOf(file)), false, 'the journal is gone');
    assert.deepEqual(dump(openIndexDatabase(SQL, file).db), dump(owner));
    // the saves after the fold append to a new journal as before
    const c = await saveNewCall(owner, ix, 3);
    assert.equal(c.whole, false);
    assert.equal(statSync(journalPathOf(file)).size, c.bytes);
    assert.deepEqual(dump(openIndexDatabase(SQL, file).db), dump(owner));
  } finally {
    h.cleanup(dir);
  }
});

test('a save cut short leaves a torn last record: it is not applied, the logs it covered are read again, and the next save overwrites it', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { roots, file } = ix;
    const owner = ix.open();
    const a = await saveNewCall(owner, ix, 1);
    const b = await saveNewCall(owner, ix, 2);
    const expected = h.totals(owner);
    truncateSync(journalPathOf(file), a.bytes + Math.floor(b.bytes / 2)); // the crash

    const reopened = openIndexDatabase(SQL, file).db;
    assert.equal(loadFacts(reopened).reduce((n, f) => n + f.requests, 0), loadFacts(owner).reduce((n, f) => n + f.requests, 0) - 1, 'call 2 is not in the index yet');
    const r = await refresh(reopened, roots);
    assert.ok(r.bytesRead > 0 && r.bytesRead < 5_000, `only the second call's lines are read again (${r.bytesRead} bytes)`);
    assert.deepEqual(h.totals(reopened), expected);
    const c = saveIndexDatabase(reopened, file);
    assert.equal(c.whole, false);
    const read = readJournal(readFileSync(journalPathOf(file)), readJournal(readFileSync(journalPathOf(file)), 0).otherGen!);
    assert.equal(read.records.length, 2, 'the torn record was overwritten');
    assert.equal(read.stopped, undefined);
    assert.deepEqual(dump(openIndexDatabase(SQL, file).db), dump(reopened));
  } finally {
    h.cleanup(dir);
  }
});

test('a whole save starts a new generation: a journal left from before (a crash between the rename and its removal) is never applied', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { file } = ix;
    const owner = ix.open();
    await saveNewCall(owner, ix, 1);
    const oldJournal = readFileSync(journalPathOf(file));
    // the owner writes another file whole (e.g. a database not opened from it): a new generation, the journal goes
    const other = (await h.indexOnce(h.rootsFor({ codex: join(dir, 'logs/codex') }))).db;
    assert.equal(saveIndexDatabase(other, file).whole, true);
    assert.equal(existsSync(journalPathOf(file)), false);
    writeFileSync(journalPathOf(file), oldJournal); // as if the removal had not happened
    const reopened = openIndexDatabase(SQL, file).db;
    assert.deepEqual(dump(reopened), dump(other), 'the old records are not applied to the new file');
    // the old database, whose file was replaced since it read it, does not append to a journal of another file
    assert.equal((await saveNewCall(owner, ix, 2)).whole, true);
    assert.deepEqual(dump(openIndexDatabase(SQL, file).db), dump(owner));
  } finally {
    h.cleanup(dir);
  }
});

test('more changes than capture keeps, a schema migration, a database of another file, a journal that cannot be written: the save writes the whole file', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { file } = ix;

    const owner = ix.open();
    startCapture(owner, 3); // capture keeps 3 rows here
    const overflowed = await saveNewCall(owner, ix, 1);
    assert.equal(overflowed.whole, true);
    assert.deepEqual(dump(openIndexDatabase(SQL, file).db), dump(owner));

    assert.equal(saveIndexDatabase(owner, join(dir, 'elsewhere.sqlite')).whole, true, 'another file');

    const v1 = new SQL.Database();
    v1.exec(`${MIGRATIONS[0]}; PRAGMA user_version = 1; INSERT INTO meta VALUES ('journalGen', '5')`);
    writeFileSync(join(dir, 'old.sqlite'), v1.export());
    // a file of schema 1 is migrated on open: its first save is whole (a journal of schema 1 records would not fit)
    const migrated = openIndexDatabase(SQL, join(dir, 'old.sqlite'));
    assert.equal(migrated.rebuiltReason, undefined);
    assert.equal(saveIndexDatabase(migrated.db, join(dir, 'old.sqlite')).whole, true);

    const owner2 = ix.open();
    mkdirSync(journalPathOf(file)); // the journal cannot be written
    const blocked = await saveNewCall(owner2, ix, 2);
    assert.equal(blocked.whole, true);
  } finally {
    h.cleanup(dir);
  }
});

test('a reader copy follows the journal: only the new records, then reload once the file is written whole', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { file } = ix;
    const owner = ix.open();
    const copy = readIndexCopy(SQL, readFileSync(file), undefined);
    assert.equal(followJournal(copy, undefined), 0);
    for (const n of [1, 2]) await saveNewCall(owner, ix, n);
    assert.equal(followJournal(copy, readFileSync(journalPathOf(file))), 2);
    assert.deepEqual(dump(copy), dump(owner));
    assert.equal(followJournal(copy, readFileSync(journalPathOf(file))), 0, 'nothing new');
    await saveNewCall(owner, ix, 3);
    const half = readFileSync(journalPathOf(file));
    assert.equal(followJournal(copy, half.subarray(0, half.length - 10)), 0, 'a record being written is left for the next look');
    assert.equal(followJournal(copy, half), 1);
    assert.deepEqual(dump(copy), dump(owner));
    // a reader reads only what was appended since it last looked (journalReadUpTo), not the whole journal
    await saveNewCall(owner, ix, 4);
    const upTo = journalReadUpTo(copy);
    const whole = readFileSync(journalPathOf(file));
    assert.equal(followJournal(copy, whole.subarray(upTo), undefined, upTo + 1, whole.length), 'reload', 'bytes from elsewhere than where it stopped');
    assert.equal(followJournal(copy, whole.subarray(upTo), undefined, upTo, whole.length), 1);
    assert.deepEqual(dump(copy), dump(owner));
    // the whole file written: the journal goes (shorter than read) or a new one of another generation starts
    saveIndexDatabase(owner, join(dir, 'x.sqlite'));
    saveIndexDatabase(owner, file);
    assert.equal(followJournal(copy, undefined), 'reload');
  } finally {
    h.cleanup(dir);
  }
});

test('a rolled-back transaction leaves nothing in the journal; moving a damaged file aside takes its journal along', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const file = join(dir, 'index.sqlite');
    const db = openIndexDatabase(SQL, undefined).db;
    saveIndexDatabase(db, file);
    const owner = openIndexDatabase(SQL, file).db;
    owner.run('BEGIN');
    owner.run("INSERT INTO meta (key, value) VALUES ('rolled', 'back')");
    owner.run('ROLLBACK');
    assert.deepEqual(saveIndexDatabase(owner, file), { bytes: 0, whole: false });
    owner.run("INSERT INTO meta (key, value) VALUES ('kept', 'yes')");
    assert.equal(saveIndexDatabase(owner, file).whole, false);
    assert.equal(openIndexDatabase(SQL, file).db.exec("SELECT value FROM meta WHERE key = 'kept'")[0].values[0][0], 'yes');
    moveIndexAside(file, 'damaged', undefined, 'corrupt-1');
    assert.deepEqual(readdirSync(dir).sort(), ['index.sqlite.corrupt-1', 'index.sqlite.corrupt-1.journal']);
  } finally {
    h.cleanup(dir);
  }
});

test('a record that cannot be applied stops the replay there: the records before it stay applied (one transaction for all), none after it; the logs are read again', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const ix = await savedIndex(dir);
    const { roots, file } = ix;
    const owner = ix.open();
    const a = await saveNewCall(owner, ix, 1);
    const afterFirst = dump(owner);
    const expected = h.totals(owner);
    const b = await saveNewCall(owner, ix, 2);
    await saveNewCall(owner, ix, 3);
    const journal = readFileSync(journalPathOf(file));
    const gen = readJournal(journal, 0).otherGen!; // read as another generation: its number
    const records = readJournal(journal, gen).records;
    assert.equal(records.length, 3);
    assert.equal(records[0]!.end, a.bytes);
    assert.equal(records[1]!.end, a.bytes + b.bytes);
    // the second record as if written by a newer AgentMeter (a table this one does not have), then the third again
    writeFileSync(journalPathOf(file), journal.subarray(0, a.bytes));
    appendJournal(journalPathOf(file), a.bytes, gen, [['a_table_of_a_newer_version', 1, '[1]'], ...records[1]!.changes]);
    appendJournal(journalPathOf(file), readFileSync(journalPathOf(file)).length, gen, records[2]!.changes);

    const reopened = openIndexDatabase(SQL, file).db;
    assert.deepEqual(dump(reopened), afterFirst, 'the first record applied, the second and third not');
    await refresh(reopened, roots);
    assert.deepEqual(h.totals(reopened), h.totals(owner));
    assert.notDeepEqual(h.totals(reopened), expected);
  } finally {
    h.cleanup(dir);
  }
});
