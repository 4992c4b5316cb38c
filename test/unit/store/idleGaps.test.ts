import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { idleGapsBySession, idleRewrites, priceIdleGaps, type IdleRewrites } from '../../../src/core/limits/cacheEconomics';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadAllFacts } from '../../../src/core/query/allFacts';
import { committedDims } from '../../../src/core/query/committedDims';
import { loadDimTotals, type DimTotal } from '../../../src/core/query/dimTotals';
import { keptDimTotalsState } from '../../../src/core/query/keptDimTotals';
import { historyOf } from '../../../src/app/dashboard/history';
import { keptHistoryOf } from '../../../src/app/dashboard/keptHistory';
import { keptFactsSince } from '../../../src/core/query/keptFacts';
import { keptSessionFacts } from '../../../src/core/query/keptSessionFacts';
import { loadSessionFacts } from '../../../src/core/query/aggregates';
import { loadIdleGaps, pendingIdleGaps, updateIdleGaps, type IdleGapFilter, type PendingIdleGaps } from '../../../src/core/store/idleGaps';
import { keptIdleGaps } from '../../../src/core/store/keptIdleGaps';
import { rollUpUsage } from '../../../src/core/store/retention';
import { migrate, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { claudeAssistant, cleanup, freshDb, rootsFor, tmpDir, write } from '../ingest/helpers';
import { mixedHistory } from '../query/mixedHistory';
import { writeUpTo, type HistoryFile } from './claudeHistory';
import { asSchema12 } from './dimRows';

/**
 * The idle cache re-writes the index keeps (store/idleGaps.ts) must be what the rule (core `idleRewrites`) finds in
 * the 15-minute facts of any range under any source and model filter — after refreshes with de-dup corrections, a
 * kept copy moving to another session, a file rewritten in place, a retention roll-up and the schema migration.
 */
const NOW = Date.parse('2026-05-10T00:00:00Z');
/** the start of the period whose facts are kept (the history starts 2026-03-20; retention below rolls up to 04-10) */
const KEPT_SINCE = Date.parse('2026-04-01T00:00:00Z');
const DAY = 86_400_000;
const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);

function indexer(db: Database, dir: string): Indexer {
  return new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), now: () => NOW });
}


/** the rule's figures, with dollars rounded far below a cent (sums in another order differ in the last bits) */
const figures = (r: IdleRewrites) => ({
  events: r.events, tokens: r.tokens, sessions: r.sessions.map((s) => `${s.source}/${s.session} ${s.events} ${s.tokens} ${s.avoidableWith1h}`).sort(),
  costUsd: r.costUsd.toFixed(9), avoidableWith1hUsd: r.avoidableWith1hUsd.toFixed(9),
});

/** ranges whose facts per dims row are kept: all time, and one whose bounds cut sessions */
const SESSION_RANGES: [number, number][] = [[Date.parse('2026-03-01T00:00:00Z'), NOW + DAY], [KEPT_SINCE + 3_600_000, NOW - 2 * DAY]];

/** how many ranges × filters the writer's kept events were compared on */
let keptReads = 0;
/** the writer's kept all-time events' facts of the last compare, and how many a later compare found again (the same objects) */
let lastAllTimeFacts = new Map<string, Fact>();
let keptFactsShared = 0;

/** how often the kept all-time groups were brought up to date from the changed dims rows only (not read again) */
let foldedChanged = 0;

/**
 * The writer's kept sums by dims row, sorted by dim; and the dashboard's all-time groups kept over them
 * (app/dashboard/keptHistory.ts) equal the groups folded from a fresh read of every row.
 */
function keptSums(db: Database): DimTotal[] {
  const state = keptDimTotalsState(db);
  if (state.changed !== null) foldedChanged++;
  const dims = committedDims(db);
  assert.deepEqual(keptHistoryOf(db, state, dims), historyOf(loadDimTotals(db), dims), 'kept all-time groups');
  return [...state.byDim.values()].sort((a, b) => a.dim - b.dim);
}

/**
 * Compares the kept events with the rule over the 15-minute facts for ranges × filters — first as a reader's copy
 * reads them (the dirty sessions computed in memory, nothing written), then as the writer does (stored first) —
 * and returns the events of all time.
 */
function compare(db: Database, what: string): number {
  // the writer's all-time sums by dims row, kept across changes, equal a fresh read (before and after the marks go)
  const byDim = (d: Database) => keptSums(d);
  assert.deepEqual(byDim(db), loadDimTotals(db), `${what}: kept dim totals`);
  // and the facts of a period, kept likewise (the dashboard's recent 70 days), equal a fresh read in the same order
  assert.deepEqual(keptFactsSince(db, KEPT_SINCE, committedDims(db)), loadAllFacts(db, KEPT_SINCE), `${what}: kept facts`);
  // and the facts per dims row of a range (the views by session and project), kept for the last ranges asked
  for (const [since, until] of SESSION_RANGES) {
    assert.deepEqual(keptSessionFacts(db, since, until, committedDims(db)), loadSessionFacts(db, { sinceMs: since, untilMs: until }), `${what}: kept session facts`);
  }
  const marked = Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = -1')[0].values[0][0]);
  const before = db.exec('SELECT * FROM idle_gaps ORDER BY dim, grp, bucket')[0]?.values;
  const pending = pendingIdleGaps(db);
  assert.equal(pending === null, marked === 0, what);
  assert.deepEqual(db.exec('SELECT * FROM idle_gaps ORDER BY dim, grp, bucket')[0]?.values, before, `${what}: a reader's read writes nothing`);
  const asReader = compareWith(db, `${what} (reader)`, pending);
  updateIdleGaps(db);
  assert.equal(Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = -1')[0].values[0][0]), 0);
  assert.equal(compareWith(db, `${what} (writer)`, null), asReader);
  assert.deepEqual(byDim(db), loadDimTotals(db), `${what}: kept dim totals after the marks went`);
  assert.deepEqual(keptFactsSince(db, KEPT_SINCE, committedDims(db)), loadAllFacts(db, KEPT_SINCE), `${what}: kept facts after the marks went`);
  return asReader;
}

function compareWith(db: Database, what: string, pending: PendingIdleGaps | null): number {
  const facts = loadAllFacts(db);
  const models = [...new Set(facts.map((f) => f.model))];
  const first = Math.min(...facts.map((f) => f.bucketStartMs));
  const last = Math.max(...facts.map((f) => f.bucketStartMs)) + 900_000;
  const ranges: [number, number][] = [[first, last], [first + 3 * DAY, last - 5 * DAY], [last - 7 * DAY - 4 * 900_000, last], [first + 10 * DAY + 3_600_000, first + 12 * DAY]];
  const filters: IdleGapFilter[] = [
    { source: 'all', model: null }, { source: 'claude', model: null }, { source: 'codex', model: null },
    ...models.map((model) => ({ source: 'all' as const, model })), { source: 'codex', model: models[0] },
  ];
  let allTime = -1;
  for (const [since, until] of ranges) {
    for (const q of filters) {
      const shown = facts.filter((f) => f.bucketStartMs >= since && f.bucketStartMs < until && (q.source === 'all' || f.source === q.source) && (q.model === null || f.model === q.model));
      const kept = loadIdleGaps(db, since, until, q, committedDims(db), pending);
      const label = `${what}: [${new Date(since).toISOString()}, ${new Date(until).toISOString()}) ${JSON.stringify(q)}`;
      if (pending === null) {
        // the writer's rows kept in memory across changes (only the changed sessions' rows read again) give the same
        // events in the same order, and the same array when asked again with nothing changed
        const inMemory = keptIdleGaps(db, since, until, q, committedDims(db));
        assert.deepEqual(inMemory, kept, `${label}: kept in memory`);
        assert.equal(keptIdleGaps(db, since, until, q, committedDims(db)), inMemory, `${label}: the same events again`);
        keptReads++;
        if (since === first && until === last && q.source === 'all' && q.model === null && inMemory) {
          // the unchanged sessions' facts are the objects of the last read (their rows were not read again)
          const now = new Map<string, Fact>();
          for (const sg of inMemory) for (const e of sg.events) for (const f of e.facts) {
            const k = `${f.source}/${f.session}/${f.project}/${f.branch}/${f.model}/${f.tier}/${f.bucketStartMs}`;
            if (lastAllTimeFacts.get(k) === f) keptFactsShared++;
            now.set(k, f);
          }
          lastAllTimeFacts = now;
        }
      }
      if (kept === null) {
        // only where a session's buckets by first entry are out of bucket order (then the 15-minute rows answer)
        assert.ok(idleGapsBySession(facts.filter((f) => q.model === null || f.model === q.model)).some((s) => !s.ordered), label);
        continue;
      }
      assert.deepEqual(figures(priceIdleGaps(kept, cost)), figures(idleRewrites(shown, cost)), label);
      if (since === first && until === last && q.source === 'all' && q.model === null) allTime = idleRewrites(shown, cost).events;
    }
  }
  return allTime;
}

/** The kept rows equal the ones computed again for every session from scratch. */
async function equalsRecomputed(db: Database, what: string): Promise<void> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database(db.export());
  copy.run('DELETE FROM idle_gaps; INSERT INTO idle_gaps (dim, grp, bucket) SELECT id, -1, 0 FROM dims');
  updateIdleGaps(copy);
  const rows = (d: Database) => JSON.stringify(d.exec('SELECT * FROM idle_gaps ORDER BY dim, grp, bucket')[0]?.values ?? []);
  updateIdleGaps(db);
  assert.equal(rows(db), rows(copy), what);
  copy.close();
}

test('the idle re-writes kept in the index equal the rule over the 15-minute facts: ranges, filters, corrections, a rewrite, retention', async () => {
  const dir = tmpDir();
  try {
    const files = mixedHistory(23, '2026-03-20T00:00:00Z', 45);
    mkdirSync(join(dir, 'claude/projects'), { recursive: true });
    mkdirSync(join(dir, 'codex/sessions'), { recursive: true });
    const db = await freshDb();
    const ix = indexer(db, dir);
    const written = new Map<string, number>();
    for (let k = 1; k <= 4; k++) {
      writeUpTo(dir, files, written, k / 4);
      await ix.refresh({ flushEveryMs: 0, newestFirst: k % 2 === 0 });
      if (k === 1) {
        // kept from here on, brought up to date by the marks
        keptSums(db);
        for (const [since, until] of SESSION_RANGES) keptSessionFacts(db, since, until, committedDims(db));
        keptFactsSince(db, KEPT_SINCE, committedDims(db));
      }
      // read after some refreshes only: the marks of several refreshes add up
      if (k % 2 === 0) {
        const events = compare(db, `step ${k}`);
        assert.ok(events > 20, `a history with idle re-writes (${events} at step ${k})`);
        await equalsRecomputed(db, `step ${k}`);
      }
    }
    assert.ok(Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = 1')[0].values[0][0]) > 0, 'per-model events kept');

    // a kept copy moves to another session (its better copy in another project's log): both sessions change
    const big = (session: string, project: string, ts: string, cw5m: number) =>
      claudeAssistant({ id: `msg_move_${ts}`, ts, usage: { input: 10, output: 5, cw5m }, session, cwd: `/home/u/${project}` });
    write(join(dir, 'claude/projects/mv-a/sess-mv-a.jsonl'), big('sess-mv-a', 'mv-a', '2026-05-02T09:00:00.000Z', 1) + big('sess-mv-a', 'mv-a', '2026-05-02T09:40:00.000Z', 30_000));
    await ix.refresh();
    assert.ok(compare(db, 'a new session with a gap') >= 0);
    write(join(dir, 'claude/projects/mv-b/sess-mv-b.jsonl'), big('sess-mv-b', 'mv-b', '2026-05-02T09:40:00.000Z', 40_000) + big('sess-mv-b', 'mv-b', '2026-05-02T11:10:00.000Z', 50_000));
    await ix.refresh();
    updateIdleGaps(db); // the marks go before the kept dim totals see them: they follow the consumed marks
    compare(db, 'after a kept copy moved');
    await equalsRecomputed(db, 'after a kept copy moved');

    // a log rewritten in place with other content (read again from 0: what it counted is taken back)
    const victim = files.find((f) => f.path.startsWith('claude') && f.lines.length > 20)!;
    writeFileSync(join(dir, victim.path), victim.lines.slice(0, 8).join(''));
    await ix.refresh();
    compare(db, 'after a rewrite');
    await equalsRecomputed(db, 'after a rewrite');

    // retention: days before the cut-off rolled into one row per (day, dims row); then a late write into a rolled day
    rollUpUsage(db, Date.parse('2026-04-10T00:00:00Z'), 'UTC');
    compare(db, 'after retention');
    await equalsRecomputed(db, 'after retention');
    write(join(dir, 'claude/projects/late/sess-late.jsonl'), big('sess-late', 'late', '2026-04-01T10:00:00.000Z', 20_000) + big('sess-late', 'late', '2026-04-01T12:00:00.000Z', 20_000));
    await ix.refresh();
    compare(db, 'after a late write into a rolled-up day');
    await equalsRecomputed(db, 'after a late write into a rolled-up day');
    assert.ok(foldedChanged >= 4, `the kept groups followed the changed rows only (${foldedChanged} times)`);
    assert.ok(keptReads > 50 && keptFactsShared > 100, `the kept events followed the changed rows only (${keptReads} reads, ${keptFactsShared} facts kept)`);
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('migration 9 marks every session of a version-8 index and keeps its stored Claude blocks', async () => {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(5, '2026-04-01T00:00:00Z', 20));
    const db = await freshDb();
    await indexer(db, dir).refresh();
    updateIdleGaps(db);
    const blocks = JSON.stringify([db.exec('SELECT * FROM claude_blocks ORDER BY start_ms')[0]?.values, db.exec('SELECT * FROM claude_block_parts ORDER BY start_ms, ord')[0]?.values]);
    const kept = JSON.stringify(db.exec('SELECT * FROM idle_gaps ORDER BY dim, grp, bucket')[0]?.values);
    assert.ok(kept.length > 100);
    // back to version 8: no idle_gaps, no keyed packs, and keyed_calls as it was before version 10
    asSchema12(db);
    db.run('DROP TABLE keyed_packs; DROP TABLE idle_gaps; DROP TABLE keyed_calls; CREATE TABLE keyed_calls (h INTEGER PRIMARY KEY, f, d, t, v); CREATE INDEX kf ON keyed_calls (f); PRAGMA user_version = 8');
    assert.equal(migrate(db), SCHEMA_VERSION);
    assert.equal(Number(db.exec('SELECT count(*) FROM idle_gaps WHERE grp = -1')[0].values[0][0]), Number(db.exec('SELECT count(*) FROM session_totals')[0].values[0][0]));
    assert.equal(JSON.stringify([db.exec('SELECT * FROM claude_blocks ORDER BY start_ms')[0]?.values, db.exec('SELECT * FROM claude_block_parts ORDER BY start_ms, ord')[0]?.values]), blocks);
    assert.ok(updateIdleGaps(db) > 10);
    assert.equal(JSON.stringify(db.exec('SELECT * FROM idle_gaps ORDER BY dim, grp, bucket')[0]?.values), kept);
    db.close();
  } finally {
    cleanup(dir);
  }
});

function writeHistory(dir: string, files: readonly HistoryFile[]): void {
  writeUpTo(dir, files, new Map(), 1);
}

test('sessions computed again in groups of a month: a session of 50 days, short sessions over three months — the rows equal the rule over every fact', async () => {
  // pendingIdleGaps reads the marked sessions in groups whose buckets span at most 31 days (a longer session alone):
  // every session's events must be those the rule finds over all its facts, whichever group it fell in
  const dir = tmpDir();
  try {
    const start = Date.parse('2026-02-01T09:00:00Z');
    const iso = (ms: number) => new Date(ms).toISOString();
    let n = 0;
    const call = (session: string, ms: number, cw5m: number, cw1h = 0) =>
      claudeAssistant({ id: `m${++n}`, req: `r${n}`, ts: iso(ms), session, cwd: '/home/u/app', usage: { input: 10, output: 50, cacheRead: 2000, cw5m, cw1h } });
    // the long session: calls on its first day, after 20 days, after 50 days (gaps over an hour: 1-hour writes count)
    let long = '';
    for (const day of [0, 20, 50]) for (let k = 0; k < 3; k++) long += call('long', start + day * DAY + k * 60_000, 12_000, 3_000);
    write(join(dir, 'claude', 'projects', '-home-u-app', 'long.jsonl'), long);
    // 30 short sessions over 90 days, each with a 20-minute pause (5-minute writes re-written) and a 2-hour one
    for (let s = 0; s < 30; s++) {
      const t0 = start + s * 3 * DAY + 3_600_000;
      const text = call(`s${s}`, t0, 15_000) + call(`s${s}`, t0 + 20 * 60_000, 11_000 + s) + call(`s${s}`, t0 + 140 * 60_000, 9_000, 4_000 + s);
      write(join(dir, 'claude', 'projects', '-home-u-app', `s${s}.jsonl`), text);
    }
    const db = await freshDb();
    await indexer(db, dir).refresh();
    assert.ok(pendingIdleGaps(db) !== null, 'a first index marks every session');
    updateIdleGaps(db);
    assert.equal(pendingIdleGaps(db), null, 'all computed');
    const all: IdleGapFilter = { source: 'all', model: null };
    const stored = loadIdleGaps(db, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z'), all, committedDims(db), null);
    assert.ok(stored, 'every session is in bucket order');
    const rule = idleRewrites(loadAllFacts(db), cost);
    const got = priceIdleGaps(stored!, cost);
    assert.deepEqual(figures(got), figures(rule));
    assert.equal(rule.sessions.length, 31, 'the long session and every short one have events');
    assert.equal(rule.events, 2 + 30 * 2);
  } finally {
    cleanup(dir);
  }
});
