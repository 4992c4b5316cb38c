import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { rebuildAggregates } from '../../../src/core/store/aggregates';
import { migrate, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { claudeAssistant, cleanup, freshDb, rootsFor, tmpDir, write } from '../ingest/helpers';
import { writeHistory, writeUpTo } from './claudeHistory';
import { mixedHistory } from '../query/mixedHistory';
import { activitySums, assertActivityEqualsHours } from '../activity/activitySums';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';
import { asSchema12 } from './dimRows';

const NOW = Date.parse('2026-05-10T00:00:00Z'); // all calls after 2026-04-05 are in the full de-dup state (docs/DEDUP.md)

const rows = (db: Database, sql: string) => JSON.stringify(db.exec(sql)[0]?.values ?? []);
/** usage_hours by the (source, model, tier) its key names; `ord` holds dims ids, which differ between two indexes of the same logs */
const hours = (db: Database, withOrd = true, withTimes = true) =>
  rows(db, `SELECT h.hour, k.source, k.model, k.tier, h.input, h.output, h.cw5m, h.cw1h, h.cache_read, h.reasoning,
    h.web_search, h.requests${withTimes ? ', h.first_ms, h.last_ms' : ''}${withOrd ? ', h.ord' : ''}
    FROM usage_hours h JOIN hour_keys k ON k.id = h.key ORDER BY h.hour, k.source, k.model, k.tier`);
/** session_totals by their dims tuple */
const sessions = (db: Database, withTimes = true) =>
  rows(db, `SELECT d.source, d.model, d.project, d.session, d.branch, d.tier, s.input, s.output, s.cw5m, s.cw1h, s.cache_read,
    s.reasoning, s.web_search, s.requests, s.first_bucket, s.last_bucket, s.first_billed${withTimes ? ', s.first_ms, s.last_ms' : ''}
    FROM session_totals s JOIN ${DIMS_AS_TEXT} d ON d.id = s.dim ORDER BY d.source, d.model, d.project, d.session, d.branch, d.tier`);
const count = (db: Database, sql: string) => Number(db.exec(sql)[0].values[0][0]);

async function rebuilt(db: Database): Promise<Database> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database(db.export());
  rebuildAggregates(copy);
  return copy;
}

function indexer(db: Database, dir: string): Indexer {
  return new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), now: () => NOW });
}


test('aggregates kept across many refreshes (de-dup corrections within and across refreshes, a row that reaches zero) equal a rebuild from usage and a fresh index', async () => {
  const dir = tmpDir();
  try {
    const files = mixedHistory(11, '2026-04-08T00:00:00Z', 30);
    mkdirSync(join(dir, 'claude/projects'), { recursive: true });
    mkdirSync(join(dir, 'codex/sessions'), { recursive: true });
    const db = await freshDb();
    const ix = indexer(db, dir);
    const written = new Map<string, number>();
    const steps = 9;
    for (let k = 1; k <= steps; k++) {
      writeUpTo(dir, files, written, k / steps);
      await ix.refresh({ flushEveryMs: 0, newestFirst: k % 2 === 0 }); // a flush after every file
      const r = await rebuilt(db);
      assert.equal(hours(db), hours(r), `step ${k}: usage_hours`);
      assert.equal(sessions(db), sessions(r), `step ${k}: session_totals`);
      assertActivityEqualsHours(db); // cost by activity follows the same deltas (store/usageActivity.ts)
      r.close();
    }
    assert.ok(Object.keys(activitySums(db)).length >= 8, `the generated calls ask for tools of every class: ${Object.keys(activitySums(db))}`);
    assert.ok(count(db, 'SELECT count(*) FROM usage_hours') > 300);
    assert.ok(count(db, 'SELECT count(DISTINCT k.source) FROM usage_hours h JOIN hour_keys k ON k.id = h.key') === 2);

    // a call alone in its bucket and session, then its better copy in another session of another project: the
    // kept copy moves, its old usage row reaches zero and the old session's totals row goes with it
    const lone = (session: string, project: string, output: number) =>
      claudeAssistant({ id: 'msg_lone', ts: '2026-05-03T05:07:00.000Z', usage: { input: 10, output }, session, cwd: `/home/u/${project}` });
    write(join(dir, 'claude/projects/lone-a/sess-lone-a.jsonl'), lone('sess-lone-a', 'lone-a', 3));
    await ix.refresh();
    const loneRows = (session: string) => count(db, `SELECT count(*) FROM session_totals s JOIN ${DIMS_AS_TEXT} d ON d.id = s.dim WHERE d.session = '${session}'`);
    assert.equal(loneRows('sess-lone-a'), 1);
    write(join(dir, 'claude/projects/lone-b/sess-lone-b.jsonl'), lone('sess-lone-b', 'lone-b', 900));
    await ix.refresh();
    assert.equal(loneRows('sess-lone-a'), 0, 'the replaced copy left no totals behind');
    assert.equal(loneRows('sess-lone-b'), 1);
    assert.equal(count(db, `SELECT sum(s.output) FROM session_totals s JOIN ${DIMS_AS_TEXT} d ON d.id = s.dim WHERE d.project LIKE '%lone%'`), 900);
    const r = await rebuilt(db);
    assert.equal(hours(db), hours(r), 'after the correction: usage_hours');
    assert.equal(sessions(db), sessions(r), 'after the correction: session_totals');
    r.close();
    assert.equal(count(db, 'SELECT sum(requests) FROM session_totals'), count(db, 'SELECT sum(requests) FROM usage'));

    // a fresh index of the same logs in one refresh: the same sums (first/last entry times may differ, as in usage:
    // there they only widen, so a kept copy that moved leaves its old row's times behind)
    const fresh = await freshDb();
    await indexer(fresh, dir).refresh();
    assert.equal(hours(db, false, false), hours(fresh, false, false), 'fresh index: usage_hours');
    assert.equal(sessions(db, false), sessions(fresh, false), 'fresh index: session_totals');
    assertActivityEqualsHours(db);
    assert.deepEqual(activitySums(db), activitySums(fresh), 'fresh index: the same sums per activity');
    fresh.close();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('migration 4 backfills the aggregates of a version-3 index from its usage rows', async () => {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(12, '2026-04-01T00:00:00Z', 30));
    const db = await freshDb();
    await indexer(db, dir).refresh();
    const [h, s] = [hours(db), sessions(db)];
    assert.ok(count(db, 'SELECT count(*) FROM usage_hours') > 100 && count(db, 'SELECT count(*) FROM session_totals') > 30);
    // as an AgentMeter of schema 3 left it
    asSchema12(db);
    db.run('DROP TABLE keyed_packs; DROP TABLE idle_gaps; DROP TABLE keyed_calls; DROP TABLE usage_acts; DROP TABLE act_keys; DROP TABLE codex_event_packs; CREATE TABLE codex_events (h INTEGER PRIMARY KEY); DROP TABLE rate_limits; CREATE TABLE rate_limits (bucket INTEGER PRIMARY KEY, observed_ms INTEGER NOT NULL, snapshot TEXT NOT NULL); DROP TABLE usage_hours; DROP TABLE hour_keys; DROP TABLE session_totals; PRAGMA user_version = 3');
    assert.equal(migrate(db), SCHEMA_VERSION);
    assert.equal(hours(db), h);
    assert.equal(sessions(db), s);
    // and the next refresh keeps them
    write(join(dir, 'claude/projects/late/sess-late.jsonl'), claudeAssistant({ id: 'msg_late', ts: '2026-05-02T10:00:00.000Z', usage: { input: 5, output: 7 }, session: 'sess-late' }));
    await indexer(db, dir).refresh();
    const r = await rebuilt(db);
    assert.equal(hours(db), hours(r));
    assert.equal(sessions(db), sessions(r));
    assert.notEqual(hours(db), h);
    r.close();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test("session_totals' first billed bucket moves later when its usage row keeps a request but loses all its billed tokens", async () => {
  const dir = tmpDir();
  try {
    const p = join(dir, 'claude/projects/billed/sess-billed.jsonl');
    // 05:07: a billed call and a web search alone (no tokens) in the same bucket; 07:02: a billed call
    write(p, [
      claudeAssistant({ id: 'msg_first', ts: '2026-05-03T05:07:00.000Z', usage: { input: 10, output: 3 }, session: 'sess-billed', cwd: '/home/u/billed' }),
      claudeAssistant({ id: 'msg_search', ts: '2026-05-03T05:08:00.000Z', usage: { webSearch: 1 }, session: 'sess-billed', cwd: '/home/u/billed' }),
      claudeAssistant({ id: 'msg_later', ts: '2026-05-03T07:02:00.000Z', usage: { input: 4, output: 2 }, session: 'sess-billed', cwd: '/home/u/billed' }),
    ].join(''));
    const db = await freshDb();
    const ix = indexer(db, dir);
    await ix.refresh();
    const firstBilled = () => db.exec(`SELECT s.first_bucket, s.first_billed FROM session_totals s JOIN ${DIMS_AS_TEXT} d ON d.id = s.dim
      WHERE d.session = 'sess-billed'`)[0]?.values[0]?.map(Number);
    assert.deepEqual(firstBilled(), [Date.parse('2026-05-03T05:00:00Z'), Date.parse('2026-05-03T05:00:00Z')]);
    // the first call's better copy in another session: its 05:00 row keeps the web search's request, no billed tokens
    write(join(dir, 'claude/projects/other/sess-other.jsonl'),
      claudeAssistant({ id: 'msg_first', ts: '2026-05-03T05:07:00.000Z', usage: { input: 10, output: 300 }, session: 'sess-other', cwd: '/home/u/other' }));
    await ix.refresh();
    assert.deepEqual(firstBilled(), [Date.parse('2026-05-03T05:00:00Z'), Date.parse('2026-05-03T07:00:00Z')]);
    const r = await rebuilt(db);
    assert.equal(sessions(db), sessions(r));
    assert.equal(hours(db), hours(r));
    r.close();
    db.close();
  } finally {
    cleanup(dir);
  }
});
