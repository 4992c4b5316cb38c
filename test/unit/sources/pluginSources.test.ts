/**
 * The plug-in sources through the whole pipeline (discovery → parse → keyed de-dup → usage rows → facts), on a home
 * holding each agent's fixture files where the agent writes them (src/core/sources/<id>/fixtures). What each parser
 * reads is tested in its own folder; here: every source is found where its agent logs, the store counts exactly what
 * the parsers read (the same key read again replaces, never adds), a second refresh adds nothing, an in-place rewrite
 * replaces, an SQLite database is read with its -wal, a file caught mid-rewrite loses nothing, and a source whose logs
 * disappear keeps its history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots, listLogFiles, rootDirs } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { DATABASE_MIN_INTERVAL_MS } from '../../../src/core/ingest/databaseInterval';
import { loadCounters, loadFacts } from '../../../src/core/query/facts';
import { migrate } from '../../../src/core/store/schema';
import { resetOutdatedSources } from '../../../src/core/store/sourceVersions';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { KeyedPayload } from '../../../src/core/sources/keyed/keyedParse';
import { SOURCE_IDS, sourceDef } from '../../../src/core/sources/registry';
import { cleanup } from '../ingest/helpers';
import { fixtureHome } from './fixtureHome';

const SRC = join(__dirname, '../../../src/core/sources');
const PLUGINS = ['gemini', 'qwen', 'cline', 'roo', 'kilo', 'copilot-cli', 'opencode'];

interface Totals {
  requests: number;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  reasoning: number;
}
const zero = (): Totals => ({ requests: 0, input: 0, output: 0, cacheWrite: 0, cacheRead: 0, reasoning: 0 });

/** The index's totals per source. */
function stored(db: Database): Record<string, Totals> {
  const out: Record<string, Totals> = {};
  for (const f of loadFacts(db)) {
    out[f.source] ??= zero();
    const t = out[f.source];
    t.requests += f.requests;
    t.input += f.input;
    t.output += f.output;
    t.cacheWrite += f.cacheWrite5m + f.cacheWrite1h;
    t.cacheRead += f.cacheRead;
    t.reasoning += f.reasoning;
  }
  return out;
}

/** What the parsers read from the files as they are now, each key once (the last read wins), per source. */
async function parsed(home: string): Promise<Record<string, Totals>> {
  const files = await listLogFiles(discoverRoots({ env: {}, home }));
  const byKey = new Map<string, { source: string; r: KeyedPayload['records'][number] }>();
  for (const f of files) {
    const r = await sourceDef(f.source).parse({ path: f.path, source: f.source, format: f.format, project: f.project, session: f.session, offset: 0, state: {} });
    for (const rec of (r.payload as KeyedPayload | undefined)?.records ?? []) byKey.set(`${f.source}\u0000${rec.key}`, { source: f.source, r: rec });
  }
  const out: Record<string, Totals> = {};
  for (const { source, r } of byKey.values()) {
    out[source] ??= zero();
    const t = out[source];
    t.requests += r.requests;
    t.input += r.input;
    t.output += r.output;
    t.cacheWrite += r.cacheWrite5m + r.cacheWrite1h;
    t.cacheRead += r.cacheRead;
    t.reasoning += r.reasoning;
  }
  return out;
}

async function freshDb(): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  return db;
}

test('every plug-in source is found where its agent writes its logs', () => {
  const home = fixtureHome();
  try {
    const roots = discoverRoots({ env: {}, home });
    for (const id of PLUGINS) assert.equal(rootDirs(roots, id).length, id === 'qwen' ? 2 : 1, `${id}: ${JSON.stringify(roots.searched[id])}`);
    assert.deepEqual(rootDirs(roots, 'qwen'), [join(home, '.qwen/projects'), join(home, '.qwen/tmp')], 'Qwen: its projects/ and its older tmp/');
    assert.deepEqual(rootDirs(roots, 'claude'), []);
    assert.ok(SOURCE_IDS.every((id) => Array.isArray(roots.searched[id])), 'each source says where it looked');
  } finally {
    cleanup(home);
  }
});

test('the index counts exactly what the parsers read, once: a second refresh adds nothing', async () => {
  const home = fixtureHome();
  const db = await freshDb();
  try {
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    const first = await ix.refresh();
    const want = await parsed(home);
    for (const id of PLUGINS) assert.ok((want[id]?.requests ?? 0) > 0, `${id}: the fixtures hold requests`);
    assert.deepEqual(stored(db), want);
    // figures summed by hand from the fixture files (Gemini: src/core/sources/gemini/fixtures; Qwen: qwen/fixtures)
    assert.deepEqual([want.gemini.requests, want.gemini.input, want.gemini.output], [9, 19820, 2172]);
    assert.deepEqual([want.qwen.requests, want.qwen.input, want.qwen.output], [6, 20714, 2686]);
    assert.ok(first.records > 0);
    const again = await ix.refresh();
    assert.equal(again.records, 0);
    assert.deepEqual(stored(db), want, 'nothing counted twice');
    // every file's state is saved: a new indexer over the same database reads nothing again
    const fresh = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    assert.equal((await fresh.refresh()).records, 0);
    assert.deepEqual(stored(db), want);
    await ix.dispose();
    await fresh.dispose();
  } finally {
    db.close();
    cleanup(home);
  }
});

test('a Cline task rewritten in place replaces its requests; one caught mid-rewrite is skipped, counted, and loses nothing', async () => {
  const home = fixtureHome();
  const db = await freshDb();
  try {
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    await ix.refresh();
    const before = stored(db).cline;
    const file = join(home, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1767261600000/ui_messages.json');
    const original = readFileSync(file, 'utf8');
    // the stream of the first request goes on: Cline rewrites its row with more output tokens
    const grown = original.replace('\\"tokensOut\\":420,', '\\"tokensOut\\":1420,');
    assert.notEqual(grown, original);
    writeFileSync(file, grown);
    await ix.refresh();
    const after = stored(db).cline;
    assert.equal(after.output, before.output + 1000, 'the row\'s new figures replace its old ones');
    assert.equal(after.requests, before.requests, 'the same request, not a new one');
    // half a rewrite: skipped and counted, the task's requests kept
    const malformed = loadCounters(db).malformedLines;
    writeFileSync(file, grown.slice(0, grown.length / 2));
    await ix.refresh();
    assert.deepEqual(stored(db).cline, after);
    assert.equal(loadCounters(db).malformedLines, malformed + 1);
    // the write completes: read again, the same figures
    writeFileSync(file, grown);
    await ix.refresh();
    assert.deepEqual(stored(db).cline, after);
    await ix.dispose();
  } finally {
    db.close();
    cleanup(home);
  }
});

test('an SQLite database is read with its -wal: a change of only the -wal is a change of the database', async () => {
  const home = fixtureHome();
  const db = await freshDb();
  try {
    const roots = discoverRoots({ env: {}, home });
    let now = Date.parse('2026-12-06T10:00:00Z');
    const ix = new Indexer({ db, roots, now: () => now });
    await ix.refresh();
    const dbOnly = stored(db).opencode;
    // OpenCode commits two more replies: they are in opencode.db-wal until a checkpoint
    const wal = join(home, '.local/share/opencode/opencode.db-wal');
    copyFileSync(join(SRC, 'opencode/fixtures/wal/opencode.db-wal'), wal);
    // a database read less than DATABASE_MIN_INTERVAL_MS ago is left for later by a watcher's refresh...
    now += DATABASE_MIN_INTERVAL_MS / 2;
    const early = await ix.refresh({ paths: [wal] });
    assert.equal(early.filesChanged, 0);
    assert.deepEqual(early.deferred, [join(home, '.local/share/opencode/opencode.db')], 'the result names it (the writer asks again after the interval)');
    assert.deepEqual(stored(db).opencode, dbOnly);
    // ...and read by the next one after it (or by the periodic full check)
    now += DATABASE_MIN_INTERVAL_MS;
    const r = await ix.refresh({ paths: [wal] }); // as the watcher reports it
    assert.equal(r.filesChanged, 1);
    assert.equal(r.deferred, undefined);
    const withWal = stored(db).opencode;
    assert.equal(withWal.requests - dbOnly.requests, (await parsed(home)).opencode.requests - dbOnly.requests);
    assert.ok(withWal.requests > dbOnly.requests, 'the replies still in the -wal are counted');
    assert.deepEqual(stored(db), await parsed(home));
    // a full refresh (the periodic check) reads a changed database at once, however recently it was read
    now += 1000;
    utimesSync(wal, new Date(now), new Date(now));
    assert.equal((await ix.refresh()).filesChanged, 1);
    assert.deepEqual(stored(db), await parsed(home), 'read again: the same keys, nothing counted twice');
    await ix.dispose();
  } finally {
    db.close();
    cleanup(home);
  }
});

test('a source whose logs disappear keeps its history', async () => {
  const home = fixtureHome();
  const db = await freshDb();
  try {
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    await ix.refresh();
    const before = stored(db);
    rmSync(join(home, '.gemini/tmp/proj-a/chats'), { recursive: true });
    rmSync(join(home, '.copilot/session-state'), { recursive: true });
    await ix.refresh();
    assert.deepEqual(stored(db), before);
    await ix.dispose();
  } finally {
    db.close();
    cleanup(home);
  }
});

test('a source whose parsers changed (its version): what the index holds of it is taken back and read again, the others untouched', async () => {
  const home = fixtureHome();
  const db = await freshDb();
  try {
    await new Indexer({ db, roots: discoverRoots({ env: {}, home }) }).refresh();
    const before = stored(db);
    // Gemini's parsers now say version 2: its records are taken back at once...
    assert.deepEqual(await resetOutdatedSources(db, new Map([['gemini', 2], ['cline', 1]])), ['gemini']);
    const { gemini, ...others } = before;
    assert.deepEqual(stored(db), others, 'Gemini taken back, nothing else touched');
    assert.ok(gemini.requests > 0);
    assert.deepEqual(await resetOutdatedSources(db, new Map([['gemini', 2]])), [], 'the version is recorded');
    // an indexer compares the registry's versions with the index's on its first refresh (the registry says Gemini 1):
    // Gemini is read again from the start — the same figures, counted once
    await new Indexer({ db, roots: discoverRoots({ env: {}, home }) }).refresh();
    assert.deepEqual(stored(db), before);
    const version = (id: string) => db.exec(`SELECT value FROM meta WHERE key = 'sourceVersion:${id}'`)[0]?.values[0]?.[0];
    assert.equal(version('gemini'), '1');
    assert.equal(version('copilot-cli'), '3', 'Copilot CLI is at version 3 (its counters per CLI version)');
  } finally {
    db.close();
    cleanup(home);
  }
});
